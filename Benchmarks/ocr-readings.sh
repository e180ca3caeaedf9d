#!/usr/bin/env bash
# What each way of reading a page costs and finds (issue #13): the tesseract tool reads every
# page of Benchmarks/ocr_docs.txt at 300 dpi with --psm 3 and 6, and with kor+eng and kor alone;
# prints time and F1 per page and what choosing per page after the fact would cost (see
# Benchmarks/ocr_readings.py). Reference tools only (tesseract, pdftoppm, pdftotext from Debian).
# Usage: Benchmarks/ocr-readings.sh
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/pdfs-real
[ -d "$corpus" ] || { echo "ocr-readings.sh: $corpus is absent" >&2; exit 2; }
command -v tesseract >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q tesseract-ocr tesseract-ocr-kor tesseract-ocr-eng poppler-utils >/dev/null
work=$(mktemp -d /tmp/trawl-ocr-readings-XXXX)
trap 'rm -rf "$work"' EXIT
python3 Benchmarks/ocr_readings.py "$corpus" Benchmarks/ocr_docs.txt "$work"
