"""trafilatura and htmldate scored exactly as `trawl bench quality` scores Trawl."""
import json
import sys
import time
from pathlib import Path

import htmldate
import trafilatura

corpus = Path(sys.argv[1])


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


gold = json.loads((corpus / "trafilatura-eval/evaldata-subset.json").read_text())
tp = fn = fp = tn = titles = titles_gold = dates_ok = dates_gold = authors_ok = authors_gold = 0


def names(s):
    return {flat(x) for x in (s or "").lower().replace(";", ",").replace("&", ",").split(",") if flat(x)}


elapsed = 0.0
for url, entry in sorted(gold.items()):
    html = read(corpus / "trafilatura-eval/html" / entry["file"])
    start = time.perf_counter()
    text = trafilatura.extract(html, url=url) or ""
    elapsed += time.perf_counter() - start
    text = flat(text)
    for s in entry.get("with", []):
        if flat(s) in text: tp += 1
        else: fn += 1
    for s in entry.get("without", []):
        if flat(s) in text: fp += 1
        else: tn += 1
    meta = trafilatura.extract_metadata(html)
    if entry.get("title"):
        titles_gold += 1
        if meta is not None and flat(meta.title).lower() == flat(entry["title"]).lower():
            titles += 1
    if entry.get("date"):
        dates_gold += 1
        if meta is not None and (meta.date or "")[:10] == entry["date"][:10]:
            dates_ok += 1
    if entry.get("author"):
        authors_gold += 1
        if meta is not None and names(meta.author) == names(entry["author"]):
            authors_ok += 1
p = tp / max(tp + fp, 1)
r = tp / max(tp + fn, 1)
f1 = 2 * p * r / (p + r) if p + r else 0
print(f"trafilatura {trafilatura.__version__} main text: {len(gold)} pages, precision {p:.4f}, recall {r:.4f}, F1 {f1:.4f} "
      f"(TP {tp} FN {fn} FP {fp} TN {tn}); titles {titles}/{titles_gold}; dates {dates_ok}/{dates_gold}; authors {authors_ok}/{authors_gold}; "
      f"{len(gold) / elapsed:.1f} pages/s (extraction only)")

# Main-text speed as `trawl bench quality` measures it: the pages in memory, 3 rounds, one
# worker and then one process per core.
import multiprocessing, os
pages = [(read(corpus / "trafilatura-eval/html" / e["file"]), u) for u, e in sorted(gold.items())]


def extract_page(page):
    return trafilatura.extract(page[0], url=page[1])


start = time.perf_counter()
for _ in range(3):
    for page in pages: extract_page(page)
one = 3 * len(pages) / (time.perf_counter() - start)
cores = os.cpu_count() or 1
with multiprocessing.Pool(cores) as pool:
    start = time.perf_counter()
    for _ in range(3): pool.map(extract_page, pages, chunksize=8)
    allcores = 3 * len(pages) / (time.perf_counter() - start)
print(f"trafilatura main-text speed: {len(pages)} pages, {one:.1f} pages/s on one worker, {allcores:.1f} pages/s on {cores} workers")

dates = json.loads((corpus / "htmldate-eval/bbaw/expected-dates.json").read_text())
correct = missing = 0
for url, entry in sorted(dates.items()):
    html = read(corpus / "htmldate-eval/bbaw/html" / entry["file"])
    found = htmldate.find_date(html, original_date=True, url=url)
    if found is None: missing += 1
    elif found[:10] == entry["date"]: correct += 1
print(f"htmldate {htmldate.__version__} dates: {len(dates)} pages, accuracy {correct / len(dates):.3f} "
      f"({correct} correct, {len(dates) - correct - missing} wrong, {missing} not found)")
