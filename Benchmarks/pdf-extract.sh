#!/usr/bin/env bash
# PDF text extraction speed on ../shared/corpus/pdfs-real, measured side by side in one run,
# each distinct file once:
#   trawl extract (release build, worker pool of one process per core), and the same run
#   with poppler in the trawl process (--isolation none) to show what isolation costs; OCR is
#   off (no reference tool here OCRs the scans)
#   a pdftotext loop over the same files (one process per file, as a shell script does)
#   PyMuPDF and pypdfium2, each extracting the same files in one Python process
# Every tool runs RUNS times in turn (A B C … A B C …); the median wall and CPU (user + sys of
# the process tree) of each are printed, with the ratios, and for pypdfium2 (run right after
# trawl in each round) also the median of the rounds' paired ratios. PyMuPDF and pypdfium2
# are installed into a git-ignored virtual environment (Benchmarks/.venv); poppler-utils
# comes from Debian.
# Usage: Benchmarks/pdf-extract.sh [RUNS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/pdfs-real
[ -d "$corpus" ] || { echo "pdf-extract.sh: $corpus is absent" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "pdf-extract.sh: pdftotext missing (apt-get install poppler-utils)" >&2; exit 2; }
runs=${1:-3}
venv=Benchmarks/.venv
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/python" -c "import pymupdf, pypdfium2" 2>/dev/null || "$venv/bin/pip" install --quiet pymupdf pypdfium2
swift build -c release --product trawl >/dev/null
bin=$(swift build -c release --show-bin-path)/trawl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$corpus" -name '*.pdf' | sort > "$work/files"
n=$(wc -l < "$work/files")

measure() {  # name, command...: appends "name wall cpu" to $work/rows
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/t" "$@" > /dev/null 2>&1 || true
  read -r wall user sys < <(tail -n 1 "$work/t")
  echo "$name $wall $(echo "$user + $sys" | bc)" >> "$work/rows"
}

cat > "$work/loop.sh" <<'SH'
while IFS= read -r f; do pdftotext -q -enc UTF-8 "$f" - > /dev/null || true; done < "$1"
SH
cat > "$work/bench_pymupdf.py" <<'PY'
import sys, pymupdf
pymupdf.TOOLS.mupdf_display_errors(False)
for path in open(sys.argv[1]).read().splitlines():
    try:
        with pymupdf.open(path) as doc:
            for page in doc:
                page.get_text()
    except Exception:
        pass
PY
cat > "$work/bench_pdfium.py" <<'PY'
import sys, pypdfium2
for path in open(sys.argv[1]).read().splitlines():
    try:
        pdf = pypdfium2.PdfDocument(path)
    except Exception:
        continue
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage()
            text.get_text_bounded()
            text.close()
            page.close()
    except Exception:
        pass
    finally:
        pdf.close()
PY

mapfile -t files < "$work/files"
# Warm the page cache so that no tool pays for the first read.
cat "${files[@]}" > /dev/null
: > "$work/rows"
for _ in $(seq "$runs"); do
  # pypdfium2 right after trawl: the closest competitor, paired within the round (below).
  measure trawl "$bin" extract --workers "$(nproc)" --ocr off "${files[@]}"
  measure pypdfium2 "$venv/bin/python" "$work/bench_pdfium.py" "$work/files"
  measure trawl-inproc "$bin" extract --isolation none --workers "$(nproc)" --ocr off "${files[@]}"
  measure pdftotext bash "$work/loop.sh" "$work/files"
  measure pymupdf "$venv/bin/python" "$work/bench_pymupdf.py" "$work/files"
done
middle() {  # the median of the numbers on stdin, one per line
  sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
median() {  # name, column (2 wall, 3 cpu)
  awk -v t="$1" -v c="$2" '$1 == t {print $c}' "$work/rows" | middle
}

echo "PDF extraction over $n distinct files in $corpus on $(nproc) cores, median of $runs runs"
printf "%-12s %10s %10s\n" tool wall_s cpu_s
for t in trawl trawl-inproc pdftotext pymupdf pypdfium2; do printf "%-12s %10.2f %10.2f\n" "$t" "$(median "$t" 2)" "$(median "$t" 3)"; done
tw=$(median trawl 2); tc=$(median trawl 3); ic=$(median trawl-inproc 3)
lw=$(median pdftotext 2); lc=$(median pdftotext 3); mw=$(median pymupdf 2); pw=$(median pypdfium2 2)
printf "pdftotext loop wall / trawl wall: %.2fx (target >= 2.5x)\n" "$(echo "$lw / $tw" | bc -l)"
printf "PyMuPDF wall / trawl wall:        %.2fx (target > 1x)\n" "$(echo "$mw / $tw" | bc -l)"
printf "pypdfium2 wall / trawl wall:      %.2fx (target > 1x)\n" "$(echo "$pw / $tw" | bc -l)"
# This virtual machine's pace drifts over minutes: the ratio of the two runs of one round,
# seconds apart, is less disturbed than the ratio of medians taken over the whole script.
paired=$(awk '$1 == "trawl" {t = $2} $1 == "pypdfium2" {print $2 / t}' "$work/rows" | middle)
printf "  the same, median of the %d rounds' paired ratios: %.2fx\n" "$runs" "$paired"
printf "trawl CPU / pdftotext loop CPU:   %.2f (target <= 1.15)\n" "$(echo "$tc / $lc" | bc -l)"
printf "process isolation CPU cost:       %.2fx of in-process extraction\n" "$(echo "$tc / $ic" | bc -l)"
