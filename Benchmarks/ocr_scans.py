"""Makes image-only PDFs from the text PDFs listed in ocr_docs.txt (pdftoppm at 300 dpi, gray,
embedded losslessly with img2pdf), for the OCR speed benchmark. Usage: ocr_scans.py CORPUS LIST OUT"""
import os, subprocess, sys, tempfile
import img2pdf
from PIL import Image

corpus, listing, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
n = 0
for line in open(listing, encoding="utf-8"):
    if not line.strip() or line.startswith("#"):
        continue
    path, pages = line.rstrip("\n").split("\t")
    n += 1
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-l", pages, os.path.join(corpus, path), os.path.join(work, "p")], check=True)
        pngs = []
        for f in sorted(os.listdir(work)):
            png = os.path.join(work, f[:-4] + ".png")
            Image.open(os.path.join(work, f)).save(png, dpi=(300, 300))
            pngs.append(png)
        with open(os.path.join(out, f"scan{n:02d}.pdf"), "wb") as f:
            f.write(img2pdf.convert(pngs))
