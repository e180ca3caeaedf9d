#!/usr/bin/env bash
# PDF extraction speed on ../shared/corpus/pdfs-real, measured side by side in one run:
#   trawl extract (release build, worker pool of one process per core), and the same run
#   with poppler in the trawl process (--isolation none) to show what isolation costs
#   a pdftotext loop over the same files (one process per file, as a shell script does)
#   PyMuPDF extracting the same files in one Python process
# Prints wall and CPU time of each and the ratios. PyMuPDF is installed into a git-ignored
# virtual environment (Benchmarks/.venv); poppler-utils comes from Debian.
# Usage: Benchmarks/pdf-extract.sh [REPEAT]   (REPEAT copies of the file list, default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/pdfs-real
[ -d "$corpus" ] || { echo "pdf-extract.sh: $corpus is absent" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "pdf-extract.sh: pdftotext missing (apt-get install poppler-utils)" >&2; exit 2; }
repeat=${1:-3}
venv=Benchmarks/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pymupdf
fi
swift build -c release --product trawl >/dev/null
bin=$(swift build -c release --show-bin-path)/trawl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$corpus" -name '*.pdf' | sort > "$work/once"
for _ in $(seq "$repeat"); do cat "$work/once"; done > "$work/files"
n=$(wc -l < "$work/files")

measure() {  # name, command...: prints "name wall cpu"
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/t" "$@" > /dev/null 2>&1 || true
  read -r wall user sys < <(tail -n 1 "$work/t")
  echo "$name $wall $(echo "$user + $sys" | bc)"
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

mapfile -t files < "$work/files"
# Warm the page cache so that no tool pays for the first read.
cat "${files[@]}" > /dev/null
trawl=$(measure trawl "$bin" extract --workers "$(nproc)" "${files[@]}")
inproc=$(measure trawl-inproc "$bin" extract --isolation none --workers "$(nproc)" "${files[@]}")
loop=$(measure pdftotext bash "$work/loop.sh" "$work/files")
mupdf=$(measure pymupdf "$venv/bin/python" "$work/bench_pymupdf.py" "$work/files")

echo "PDF extraction over $n files ($repeat × $(wc -l < "$work/once") in $corpus) on $(nproc) cores"
printf "%-12s %10s %10s\n" tool wall_s cpu_s
for row in "$trawl" "$inproc" "$loop" "$mupdf"; do set -- $row; printf "%-12s %10.2f %10.2f\n" "$1" "$2" "$3"; done
set -- $trawl; tw=$2; tc=$3
set -- $inproc; ic=$3
set -- $loop; lw=$2; lc=$3
set -- $mupdf; mw=$2
printf "pdftotext loop wall / trawl wall: %.2fx (target >= 2.5x)\n" "$(echo "$lw / $tw" | bc -l)"
printf "PyMuPDF wall / trawl wall:        %.2fx (target > 1x)\n" "$(echo "$mw / $tw" | bc -l)"
printf "trawl CPU / pdftotext loop CPU:   %.2f (target <= 1.15)\n" "$(echo "$tc / $lc" | bc -l)"
printf "process isolation CPU cost:       %.2fx of in-process extraction\n" "$(echo "$tc / $ic" | bc -l)"
