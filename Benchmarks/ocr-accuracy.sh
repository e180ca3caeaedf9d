#!/usr/bin/env bash
# OCR accuracy against a known truth (issue #13): the text PDFs in Benchmarks/ocr_docs.txt are
# drawn at 300 dpi into image-only PDFs; Trawl's OCR and the tesseract command-line tool
# (--psm 3 and --psm 6) read them, and each is compared with pdftotext of the original:
# bag-of-words F1 (Hangul syllable runs and words, NFKC, lower-cased) and CER, per document.
# Reference tools: tesseract, pdftoppm, pdftotext (Debian); Pillow, img2pdf and rapidfuzz in the
# git-ignored venv Benchmarks/.venv. Never Trawl's runtime dependencies.
# Usage: Benchmarks/ocr-accuracy.sh [CSV]     TRAWL_BIN: a release binary built beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/pdfs-real
[ -d "$corpus" ] || { echo "ocr-accuracy.sh: $corpus is absent" >&2; exit 2; }
command -v tesseract >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q tesseract-ocr tesseract-ocr-kor tesseract-ocr-eng poppler-utils >/dev/null
venv=Benchmarks/.venv
"$venv/bin/python" -c "import PIL, rapidfuzz, img2pdf" 2>/dev/null || { python3 -m venv "$venv"; "$venv/bin/pip" install --quiet pillow rapidfuzz img2pdf; }
if [ -n "${TRAWL_BIN:-}" ]; then bin=$TRAWL_BIN; else
  swift build -c release --product trawl >/dev/null
  bin=$(swift build -c release --show-bin-path)/trawl
fi
"$venv/bin/python" Benchmarks/ocr_accuracy.py "$bin" "$corpus" Benchmarks/ocr_docs.txt "${1:-/tmp/trawl-ocr-accuracy.csv}"
