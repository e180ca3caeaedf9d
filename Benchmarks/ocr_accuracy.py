"""OCR accuracy against a known truth (issue #13), called by ocr-accuracy.sh.

Each text PDF listed in ocr_docs.txt is drawn with pdftoppm at 300 dpi (gray) into an
image-only PDF (lossless, img2pdf); Trawl OCRs that PDF (`trawl extract --ocr auto`), and the
reference pipeline draws it again with pdftoppm and reads each page with the tesseract
command-line tool, --psm 3 (its default) and --psm 6; all are compared with pdftotext of the
original pages.

Trawl's text has been through its PDF text cleaner (paragraphs from lines, line-broken words
joined, page numbers dropped); the tesseract tool's has not. So that the table compares
readings, not cleaners, every reading is cleaned the same way (`trawl bench clean-pages`, page
by page, as Trawl cleans the one-page PDFs it reads here) and compared with Trawl's own cleaned
extraction of the original's text layer; in brackets, the same readings against pdftotext.
The tool's uncleaned output against pdftotext is summed up at the end.

Headline: bag-of-words F1 over Hangul syllable runs and other words (NFKC, lower-cased), which
does not punish a different reading order of tables and columns. Also CER (Levenshtein
distance over the white-space-collapsed text / truth length), which does.
Writes a per-document CSV next to the table (argv[4]).
"""
import csv, json, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
import img2pdf
from PIL import Image
from rapidfuzz.distance import Levenshtein
from ocr_score import f1

trawl, corpus, listing, out_csv = sys.argv[1:5]
env = dict(os.environ, OMP_THREAD_LIMIT="1")


def cer(got, truth):
    a, b = " ".join(got.split()), " ".join(truth.split())
    return Levenshtein.distance(a, b) / max(1, len(b))


def cleaned(page):
    """A reading put through Trawl's cleaning of a PDF page's text."""
    return subprocess.run([trawl, "bench", "clean-pages"], input=page, capture_output=True, text=True, check=True).stdout


def tesseract(image, psm):
    return subprocess.run(["tesseract", image, "-", "-l", "kor+eng", "--psm", str(psm)],
                          capture_output=True, text=True, env=env).stdout


docs = []
for line in open(listing, encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        path, pages = line.rstrip("\n").split("\t")
        docs.append((path, int(pages)))

rows = []
work = tempfile.mkdtemp(prefix="trawl-ocr-acc-")
pool = ThreadPoolExecutor(2)
for n, (path, pages) in enumerate(docs):
    original = os.path.join(corpus, path)
    prefix = os.path.join(work, f"d{n}")
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-l", str(pages), original, prefix], check=True)
    images = sorted(f for f in os.listdir(work) if f.startswith(f"d{n}-") and f.endswith(".pgm"))
    images = [os.path.join(work, f) for f in images]
    # Lossless (PNG in the PDF, as img2pdf embeds it): Trawl and the tesseract tool see the
    # same pixels. Pillow's own PDF writer would store JPEG.
    pngs = []
    for i in images:
        png = i[:-4] + ".png"
        Image.open(i).save(png, dpi=(300, 300))
        pngs.append(png)
    scanned = prefix + ".pdf"
    with open(scanned, "wb") as f:
        f.write(img2pdf.convert(pngs))
    truth = subprocess.run(["pdftotext", "-l", str(pages), original, "-"], capture_output=True, text=True).stdout
    # Trawl reads the scan page by page, as the tesseract tool does: its text cleaner drops
    # lines repeated on every page of a document (running headers), which pdftotext keeps,
    # and that is not what this script measures. Its OCR is also compared with its own
    # reading of the original's text layer, page by page, and the tesseract tool's readings
    # are cleaned the same way (`cleaned`), so the cleaner's other work (paragraphs,
    # hyphenation, line-broken words) is on every side.
    subprocess.run(["pdfseparate", "-l", str(pages), scanned, prefix + "-scan%d.pdf"], check=True)
    subprocess.run(["pdfseparate", "-l", str(pages), original, prefix + "-orig%d.pdf"], check=True)
    def extract(mode, kind):
        files = [f"{prefix}-{kind}{i}.pdf" for i in range(1, pages + 1)]
        out = subprocess.run([trawl, "extract", "--ocr", mode, "--workers", "2"] + files, capture_output=True, text=True).stdout
        return [json.loads(l)["file"] for l in out.splitlines()]
    read = extract("auto", "scan")
    got = "\n".join(r.get("text") or "" for r in read)
    layer = "\n".join(r.get("text") or "" for r in extract("off", "orig"))
    chosen = ",".join((p.get("segmentation") or p.get("reason") or "?")[:6] for r in read for p in (r.get("ocr") or {}).get("pages", []))
    # The reference pipeline reads the image-only PDF as a user of it would: pdftoppm, then
    # tesseract per page (the pixels Trawl's renderer draws too).
    subprocess.run(["pdftoppm", "-r", "300", "-gray", scanned, prefix + "-scan"], check=True)
    drawn = sorted(os.path.join(work, f) for f in os.listdir(work) if f.startswith(f"d{n}-scan") and f.endswith(".pgm"))
    psm3_pages = list(pool.map(lambda i: tesseract(i, 3), drawn))
    psm6_pages = list(pool.map(lambda i: tesseract(i, 6), drawn))
    psm3, psm6 = "\n".join(map(cleaned, psm3_pages)), "\n".join(map(cleaned, psm6_pages))
    row = {"document": os.path.basename(path)[:38], "pages": len(images), "chosen": chosen}
    for name, text, reference in (("trawl", got, layer), ("trawl_pdftotext", got, truth),
                                  ("psm3", psm3, layer), ("psm3_pdftotext", psm3, truth),
                                  ("psm6", psm6, layer), ("psm6_pdftotext", psm6, truth),
                                  ("psm3_uncleaned", "\n".join(psm3_pages), truth), ("psm6_uncleaned", "\n".join(psm6_pages), truth)):
        score, p, r = f1(text, reference)
        row[f"f1_{name}"], row[f"p_{name}"], row[f"r_{name}"], row[f"cer_{name}"] = score, p, r, cer(text, reference)
    rows.append(row)
    print(f"{row['document']:<40} {row['pages']:>2}  F1 trawl {row['f1_trawl']:.3f} ({row['f1_trawl_pdftotext']:.3f})"
          f"  psm3 {row['f1_psm3']:.3f} ({row['f1_psm3_pdftotext']:.3f})  psm6 {row['f1_psm6']:.3f} ({row['f1_psm6_pdftotext']:.3f})"
          f"   CER trawl {row['cer_trawl']:.3f}  psm3 {row['cer_psm3']:.3f}  psm6 {row['cer_psm6']:.3f}   [{chosen}]", flush=True)

with open(out_csv, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)

mean = lambda k: sum(r[k] for r in rows) / len(rows)
best = sum(max(r["f1_psm3"], r["f1_psm6"]) for r in rows) / len(rows)
print()
print("every reading cleaned by Trawl's PDF text cleaner, against Trawl's cleaned extraction of the text layer (in brackets: against pdftotext)")
print(f"mean F1: trawl {mean('f1_trawl'):.3f} ({mean('f1_trawl_pdftotext'):.3f})  psm3 {mean('f1_psm3'):.3f} ({mean('f1_psm3_pdftotext'):.3f})"
      f"  psm6 {mean('f1_psm6'):.3f} ({mean('f1_psm6_pdftotext'):.3f})  better of psm3/psm6 per document {best:.3f}")
print(f"mean CER: trawl {mean('cer_trawl'):.3f}  psm3 {mean('cer_psm3'):.3f}  psm6 {mean('cer_psm6'):.3f}")
print(f"the tesseract tool's uncleaned output against pdftotext: mean F1 psm3 {mean('f1_psm3_uncleaned'):.3f}  psm6 {mean('f1_psm6_uncleaned'):.3f}")
worse = [r["document"] for r in rows if r["f1_trawl"] < r["f1_psm3"] - 0.005]
print("trawl below psm3 (by more than 0.005) on:", ", ".join(worse) if worse else "no document")
print("trawl at least the per-document better of psm3/psm6 on average:", "yes" if mean("f1_trawl") >= best - 0.0005 else "no")
