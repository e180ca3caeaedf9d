#!/usr/bin/env bash
# Reading a site from a WARC file against reading the same site from a mirror on disk (issue #15):
# builds a synthetic archive of N releases, each with its own copy of a ~100 KB PDF (20,000
# releases ≈ 2 GB), writes it as a WARC with warcio (gzip per record), then runs `trawl run` on
# the directory source and on the warc source. Prints records/s, wall time and peak RSS of both.
# With K, both runs read only the first K releases (limits.max_listing_pages), while the warc source
# still indexes the whole file: the synthetic pages are near-duplicates of each other, which makes
# a full 20,000-release run slow in the near-duplicate stage for both sources alike.
# warcio comes from PyPI into the git-ignored Benchmarks/.venv, never a runtime dependency.
# Usage: Benchmarks/warc.sh [N [K]]   (default 20000 2000)   TRAWL_BIN: a release binary built beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
k=${2:-2000}
venv=Benchmarks/.venv
"$venv/bin/python" -c "import warcio" 2>/dev/null || { python3 -m venv "$venv"; "$venv/bin/pip" install --quiet warcio; }
if [ -n "${TRAWL_BIN:-}" ]; then bin=$TRAWL_BIN; else
  swift build -c release --product trawl >/dev/null
  bin=$(swift build -c release --show-bin-path)/trawl
fi
work=$(mktemp -d /tmp/trawl-warc-bench-XXXX)
trap 'rm -rf "$work"' EXIT
corpus=../shared/corpus/pdfs-real
pdfs=("$corpus/pypdf/SF424_page2.pdf" "$corpus/pdf.js/issue6132.pdf" "$corpus/pdfcpu/Acroforms2.pdf")
for p in "${pdfs[@]}"; do [ -f "$p" ] || { echo "warc.sh: $p is absent" >&2; exit 2; }; done
python3 Benchmarks/synthetic-site.py "$work/site" "$work/out-dir" "$work/dir.json" "$n" --distinct "${pdfs[@]}"
"$venv/bin/python" Benchmarks/warc_from_mirror.py "$work/site" "https://synthetic.example/" "$work/site.warc.gz" "$work/warc.json" "$work/out-warc"
for c in "$work/dir.json" "$work/warc.json"; do
  python3 -c 'import json, sys
p, k = sys.argv[1], int(sys.argv[2]); c = json.load(open(p))
c.setdefault("limits", {})["max_listing_pages"] = (k + 99) // 100
json.dump(c, open(p, "w"))' "$c" "$k"
done
echo "$n releases, the first $k read; mirror $(du -sh "$work/site" | cut -f1), WARC $(du -h "$work/site.warc.gz" | cut -f1); $(nproc) cores"
printf "%-18s %10s %10s %12s %12s\n" source records seconds records/s max_rss_MiB
for kind in dir warc; do
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss-$kind" "$bin" run "$work/$kind.json" --quiet >/dev/null 2>"$work/err-$kind" || { echo "$kind run failed: $(tail -3 "$work/err-$kind")"; continue; }
  end=$(date +%s.%N)
  records=$(ls "$work/out-$kind/records" | wc -l)
  awk -v k="$kind" -v r="$records" -v s="$start" -v e="$end" -v m="$(cat "$work/rss-$kind")" \
    'BEGIN { w = e - s; printf "%-18s %10d %10.1f %12.1f %12.1f\n", (k == "dir" ? "directory (mirror)" : "warc"), r, w, r / w, m / 1024 }'
done
