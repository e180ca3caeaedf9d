#!/usr/bin/env bash
# OCR speed on 2 cores (issue #13), side by side in one run on the same image-only PDFs (the
# pages of Benchmarks/ocr_docs.txt drawn at 300 dpi): pages per second of
#   trawl extract --workers 2 (OCR in its worker processes, engine loaded once per worker),
#   a pdftoppm | tesseract loop (300 dpi gray, one tesseract per page, two documents at a time,
#     OMP_THREAD_LIMIT=1 as for Trawl),
#   ocrmypdf --sidecar (Debian; --jobs 2, no optimisation, plain PDF output).
# Reference tools from Debian (tesseract-ocr, ocrmypdf, poppler-utils) and the git-ignored venv
# Benchmarks/.venv (Pillow, img2pdf); never Trawl's runtime dependencies.
# Usage: Benchmarks/ocr-speed.sh [ROUNDS]     TRAWL_BIN: a release binary built beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1}
corpus=../shared/corpus/pdfs-real
[ -d "$corpus" ] || { echo "ocr-speed.sh: $corpus is absent" >&2; exit 2; }
for tool in tesseract ocrmypdf pdftoppm; do
  command -v $tool >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q tesseract-ocr tesseract-ocr-kor tesseract-ocr-eng ocrmypdf poppler-utils >/dev/null
done
venv=Benchmarks/.venv
"$venv/bin/python" -c "import PIL, img2pdf" 2>/dev/null || { python3 -m venv "$venv"; "$venv/bin/pip" install --quiet pillow img2pdf rapidfuzz; }
if [ -n "${TRAWL_BIN:-}" ]; then bin=$TRAWL_BIN; else
  swift build -c release --product trawl >/dev/null
  bin=$(swift build -c release --show-bin-path)/trawl
fi
work=$(mktemp -d /tmp/trawl-ocr-speed-XXXX)
trap 'rm -rf "$work"' EXIT
"$venv/bin/python" Benchmarks/ocr_scans.py "$corpus" Benchmarks/ocr_docs.txt "$work/scans"
pages=0
for f in "$work"/scans/*.pdf; do pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}'))); done
echo "$(ls "$work"/scans/*.pdf | wc -l) image-only PDFs, $pages pages at 300 dpi, $(nproc) cores"
export OMP_THREAD_LIMIT=1

loop() {  # one document: draw its pages, read each with tesseract
  local pdf=$1 dir=$2/$(basename "$1" .pdf)
  mkdir -p "$dir"
  pdftoppm -r 300 -gray "$pdf" "$dir/p"
  for page in "$dir"/p*.pgm; do tesseract "$page" - -l kor+eng >/dev/null 2>&1; done
}
export -f loop

timed() {  # label, command...: prints pages/s and the wall and CPU seconds
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/cpu" "$@" >/dev/null 2>"$work/err" || { echo "$label failed: $(tail -3 "$work/err")"; return; }
  end=$(date +%s.%N)
  awk -v l="$label" -v p="$pages" -v s="$start" -v e="$end" -v cpu="$(cat "$work/cpu" | tail -1)" 'BEGIN {
    split(cpu, c, " "); w = e - s; printf "%-34s %6.2f pages/s   %7.1f s wall  %7.1f s CPU\n", l, p / w, w, c[1] + c[2] }'
}

for round in $(seq 1 "$rounds"); do
  echo "round $round"
  timed "trawl extract (2 workers)" "$bin" extract --workers 2 --ocr auto --ocr-max-pages 1000 --timeout 600 "$work"/scans/
  rm -rf "$work/loop"; mkdir -p "$work/loop"
  timed "pdftoppm | tesseract (2 at a time)" bash -c "ls '$work'/scans/*.pdf | xargs -P 2 -I{} bash -c 'loop \"\$1\" \"$work/loop\"' _ {}"
  rm -rf "$work/omp"; mkdir -p "$work/omp"
  timed "ocrmypdf --sidecar (--jobs 2)" sh -c "for f in '$work'/scans/*.pdf; do ocrmypdf -q -l kor+eng --jobs 2 --optimize 0 --output-type pdf --sidecar '$work/omp/'\$(basename \$f).txt \$f '$work/omp/'\$(basename \$f); done"
done
