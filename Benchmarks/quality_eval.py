"""Record quality on every html-gold development set, Trawl beside trafilatura and htmldate.

Usage: quality_eval.py CORPUS TRAWL_DUMP CSV
  TRAWL_DUMP: `trawl bench quality --dump FILE` (what Trawl extracted from each page).
  CSV: written with one row per page and tool, so that a change shows page by page.

Measures, the same code for every tool:
  trafilatura-eval  main text by its gold snippets ("with" must be in the text, "without"
                    must not; precision, recall, F1 over all snippets, as trafilatura's own
                    evaluation counts), and title, date and author agreement;
  readability       main text by bag of words against Readability's expected article
                    (NFKC, lower case, runs of letters and digits, each Han or kana character
                    a word; precision, recall and F1 per page, then their means), and title,
                    author (byline) and date (publishedTime) agreement where the gold has one;
  htmldate-bbaw, htmldate-default
                    publication date accuracy (the day must be the gold day).
The reference ("reference" in the output): trafilatura for text, title and author (`extract`,
`extract_metadata`), htmldate for every date (`find_date(original_date=True)`), from the
git-ignored venv.
"""
import collections
import csv
import json
import re
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import htmldate
import trafilatura

READABILITY_URL = "http://fakehost/test/page.html"  # as QualityEvaluation.readabilityURL


def flat(s):
    return " ".join((s or "").split())


def read(path):
    data = path.read_bytes()
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", errors="replace")


WORD = re.compile(r"[^\W_]+")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(text):
    out = collections.Counter()
    for w in WORD.findall(unicodedata.normalize("NFKC", text or "").lower()):
        if CJK.search(w):
            # Han and kana carry no spaces: each character is a word, other runs stay whole.
            for piece in re.split(f"({CJK.pattern})", w):
                if piece:
                    out[piece] += 1
        else:
            out[w] += 1
    return out


def bag_scores(ours, gold):
    a, b = words(ours), words(gold)
    common = sum((a & b).values())
    p = common / sum(a.values()) if a else 0.0
    r = common / sum(b.values()) if b else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class TextOf(HTMLParser):
    """The text of an HTML fragment (Readability's expected article), scripts and styles left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "pre", "blockquote"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(html):
    parser = TextOf()
    parser.feed(html)
    return "".join(parser.parts)


def names(s):
    return {flat(x) for x in re.split(r"[;,&]|\band\b", (s or "").lower()) if flat(x)}


def same_title(a, b):
    return flat(a).lower() == flat(b).lower() if a and b else False


def same_day(a, b):
    return bool(a) and bool(b) and a[:10] == b[:10]


def references(set_name, html, url):
    """trafilatura's text, title, author and date, and htmldate's date."""
    text = trafilatura.extract(html, url=url) or ""
    meta = trafilatura.extract_metadata(html, default_url=url)
    ref = {"text": text}
    if meta is not None:
        ref.update(title=meta.title, author=meta.author, date=meta.date)
    found = htmldate.find_date(html, original_date=True, url=url)
    return ref, found


def main():
    corpus, dump, csv_path = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    trawl = {(d["set"], d["page"]): d for d in map(json.loads, dump.read_text().splitlines())}
    traf_gold = json.loads((corpus / "trafilatura-eval/evaldata-subset.json").read_text())
    rows = []
    # totals[set][tool] -> Counter of sums
    totals = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))

    def record(set_name, page, tool, **measures):
        rows.append({"set": set_name, "page": page, "tool": tool, **measures})
        t = totals[set_name][tool]
        t["pages"] += 1
        for k, v in measures.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                t[k] += v
            elif isinstance(v, bool):
                t[k] += int(v)
                t[k + "_n"] += 1

    for (set_name, page), ours in sorted(trawl.items()):
        if set_name == "trafilatura-eval":
            url = next(u for u, e in traf_gold.items() if e["file"] == page)
            entry = traf_gold[url]
            html = read(corpus / "trafilatura-eval/html" / page)
            ref, found = references(set_name, html, url)
            ref["date"] = found
            for tool, got in (("trawl", ours), ("reference", ref)):
                text = flat(got.get("text"))
                tp = sum(flat(s) in text for s in entry.get("with", []))
                fp = sum(flat(s) in text for s in entry.get("without", []))
                m = dict(tp=tp, fn=len(entry.get("with", [])) - tp, fp=fp, tn=len(entry.get("without", [])) - fp)
                if entry.get("title"):
                    m["title"] = same_title(got.get("title"), entry["title"])
                if entry.get("date"):
                    m["date"] = same_day(got.get("date"), entry["date"])
                if entry.get("author"):
                    m["author"] = bool(got.get("author")) and names(got["author"]) == names(entry["author"])
                if tool == "trawl":
                    m["date_source"] = ours.get("date_source") or ""
                record(set_name, page, tool, **m)
        elif set_name == "readability":
            folder = corpus / "readability" / page
            html = read(folder / "source.html")
            gold_text = html_text(read(folder / "expected.html"))
            meta = json.loads((folder / "expected-metadata.json").read_text())
            ref, found = references(set_name, html, READABILITY_URL)
            ref["date"] = found
            for tool, got in (("trawl", ours), ("reference", ref)):
                p, r, f = bag_scores(got.get("text"), gold_text)
                m = dict(precision=p, recall=r, f1=f)
                if meta.get("title"):
                    m["title"] = same_title(got.get("title"), meta["title"])
                if meta.get("byline"):
                    m["author"] = bool(got.get("author")) and names(got["author"]) == names(meta["byline"])
                if meta.get("publishedTime"):
                    m["date"] = same_day(got.get("date"), meta["publishedTime"])
                if tool == "trawl":
                    m["date_source"] = ours.get("date_source") or ""
                record(set_name, page, tool, **m)
        else:
            folder = "htmldate-eval/" + set_name.split("-", 1)[1]
            gold = json.loads((corpus / folder / "expected-dates.json").read_text())
            url = next(u for u, e in gold.items() if e["file"] == page)
            html = read(corpus / folder / "html" / page)
            found = htmldate.find_date(html, original_date=True, url=url)
            expected = gold[url]["date"]
            record(set_name, page, "trawl", date=same_day(ours.get("date"), expected), found=(ours.get("date") or "")[:10],
                   date_source=ours.get("date_source") or "")
            record(set_name, page, "reference", date=same_day(found, expected), found=(found or "")[:10])

    with csv_path.open("w", newline="") as f:
        keys = ["set", "page", "tool", "f1", "precision", "recall", "tp", "fn", "fp", "tn", "title", "author", "date", "found", "date_source"]
        writer = csv.DictWriter(f, fieldnames=keys, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.4f}" if isinstance(v, float) else v) for k, v in row.items()})

    print(f"trafilatura {trafilatura.__version__}, htmldate {htmldate.__version__}; per page: {csv_path}")
    dated = collections.Counter()
    for set_name in ("trafilatura-eval", "readability", "htmldate-bbaw", "htmldate-default"):
        for tool, t in sorted(totals[set_name].items(), key=lambda kv: kv[0] != "trawl"):
            parts = [f"{set_name:17} {tool:12} {t['pages']:4d} pages"]
            if "tp" in t:
                p = t["tp"] / max(t["tp"] + t["fp"], 1)
                r = t["tp"] / max(t["tp"] + t["fn"], 1)
                parts.append(f"main text F1 {2 * p * r / (p + r) if p + r else 0:.3f} (P {p:.3f}, R {r:.3f}, snippets)")
            if "f1" in t:
                n = t["pages"]
                parts.append(f"main text F1 {t['f1'] / n:.3f} (P {t['precision'] / n:.3f}, R {t['recall'] / n:.3f}, words)")
            for k in ("date", "title", "author"):
                if t[k + "_n"]:
                    parts.append(f"{k} {t[k] / t[k + '_n']:.3f} ({t[k]}/{t[k + '_n']})")
                    if k == "date":
                        dated[tool, "ok"] += t[k]
                        dated[tool, "n"] += t[k + "_n"]
            print(", ".join(parts))
    for side in ("trawl", "reference"):
        if dated[side, "n"]:
            print(f"all dated pages  {side:12} date {dated[side, 'ok'] / dated[side, 'n']:.3f} ({dated[side, 'ok']}/{dated[side, 'n']})")


if __name__ == "__main__":
    main()
