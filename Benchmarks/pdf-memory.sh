#!/usr/bin/env bash
# Peak memory of the `trawl run` parent process against the number of PDFs in a run: builds
# mirrors of N release pages, each linking its own copy of a ../shared/corpus/pdfs-real file
# (the corpus repeated; each copy gets a unique comment after its end so no two are
# byte-identical and every one is extracted), and prints the parent's own peak RSS from the
# run summary (`peak_rss_mib`; the extraction workers are separate processes with their own cap).
# Usage: Benchmarks/pdf-memory.sh [N...]   (default: 100 2000)   TRAWL_BIN: a binary built beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/pdfs-real
[ -d "$corpus" ] || { echo "pdf-memory.sh: $corpus is absent" >&2; exit 2; }
sizes=("$@")
[ $# -eq 0 ] && sizes=(100 2000)
if [ -n "${TRAWL_BIN:-}" ]; then bin=$TRAWL_BIN; else
  swift build -c release --product trawl >/dev/null
  bin=$(swift build -c release --show-bin-path)/trawl
fi
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT; echo "work: $work" >&2
printf "%6s %9s %8s %10s %14s\n" pdfs seconds records extracted parent_peak_MiB
for n in "${sizes[@]}"; do
  mapfile -t pdfs < <(find "$corpus" -name '*.pdf' | sort)
  python3 Benchmarks/synthetic-site.py "$work/site-$n" "$work/out-$n" "$work/p-$n.json" "$n" --distinct "${pdfs[@]}"
  start=$(date +%s.%N)
  "$bin" run "$work/p-$n.json" --quiet >/dev/null || true
  end=$(date +%s.%N)
  summary=$(ls "$work/out-$n/runs/"*.json | head -1)
  read -r records extracted peak < <(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); c=s['counts']; print(c['records'], c['attachments_extracted'], s['peak_rss_mib'])" "$summary")
  printf "%6d %9.2f %8d %10d %14.1f\n" "$n" "$(echo "$end - $start" | bc)" "$records" "$extracted" "$peak"
done
