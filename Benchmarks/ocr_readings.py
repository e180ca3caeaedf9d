"""What each way of reading a page costs and finds (issue #13): every page of the image-only
PDFs that ocr_scans.py makes is read by the tesseract tool with each segmentation (--psm 3, 6)
and language set (the configured `kor+eng`, and `kor` alone), one process per reading, two
pages at a time; each reading is timed and scored against pdftotext of the original page
(bag-of-words F1, as ocr_accuracy.py). Prints the table, then the recognition time of:
  the loop's choice (kor+eng, --psm 3 on every page: what the speed benchmark's loop runs),
  the best segmentation per page chosen after the fact (one reading per page, kor+eng),
  the best segmentation and language set per page chosen after the fact.
The second is a lower bound on what any per-page choice of segmentation costs at its accuracy.
Usage: ocr_readings.py CORPUS LIST PAGES_DIR     (PAGES_DIR: where to draw the pages)"""
import os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from ocr_score import f1

corpus, listing, pages_dir = sys.argv[1:4]
env = dict(os.environ, OMP_THREAD_LIMIT="1")
READINGS = [("kor+eng", 3), ("kor+eng", 6), ("kor", 3), ("kor", 6)]


pages = []
for n, line in enumerate(l for l in open(listing, encoding="utf-8") if l.strip() and not l.startswith("#")):
    path, count = line.rstrip("\n").split("\t")
    original = os.path.join(corpus, path)
    prefix = os.path.join(pages_dir, f"d{n + 1:02d}")
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-l", count, original, prefix], check=True)
    drawn = sorted(f for f in os.listdir(pages_dir) if f.startswith(f"d{n + 1:02d}-") and f.endswith(".pgm"))
    for i, image in enumerate(drawn, start=1):
        truth = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), original, "-"], capture_output=True, text=True).stdout
        pages.append((f"{os.path.basename(path)[:30]} p{i}", os.path.join(pages_dir, image), truth))


def read(page):
    name, image, truth = page
    out = []
    for languages, psm in READINGS:
        start = time.monotonic()
        text = subprocess.run(["tesseract", image, "-", "-l", languages, "--psm", str(psm)],
                              capture_output=True, text=True, env=env).stdout
        out.append((time.monotonic() - start, f1(text, truth)[0]))
    return name, out


print(f"{'page':<34}" + "".join(f"{l + ' psm' + str(p):>20}" for l, p in READINGS))
loop = [0.0, 0.0]
by_segmentation = [0.0, 0.0]
by_both = [0.0, 0.0]
with ThreadPoolExecutor(2) as pool:
    for name, out in pool.map(read, pages):
        print(f"{name:<34}" + "".join(f"{s:8.2f} s  F1 {f:.3f}" for s, f in out), flush=True)
        loop[0] += out[0][0]; loop[1] += out[0][1]
        # After the fact: the better F1 wins, the cheaper reading on a tie.
        best = min(out[:2], key=lambda r: (-round(r[1], 3), r[0]))
        by_segmentation[0] += best[0]; by_segmentation[1] += best[1]
        best = min(out, key=lambda r: (-round(r[1], 3), r[0]))
        by_both[0] += best[0]; by_both[1] += best[1]
n = len(pages)
print()
print(f"{n} pages; recognition seconds (one process per reading, summed) and mean F1 per page:")
print(f"  kor+eng --psm 3 on every page (the loop):                 {loop[0]:6.1f} s  F1 {loop[1] / n:.3f}")
print(f"  better segmentation per page, after the fact (kor+eng):   {by_segmentation[0]:6.1f} s  F1 {by_segmentation[1] / n:.3f}")
print(f"  better segmentation and languages per page, after the fact: {by_both[0]:4.1f} s  F1 {by_both[1] / n:.3f}")
