#!/usr/bin/env bash
# Peak memory of `trawl run` against archive size: builds synthetic mirrors of N release pages
# (each with its own copy of a fixture PDF) and prints the maximum resident set size per run.
# Usage: Benchmarks/memory.sh [N...]   (default: 1000 4000 16000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 4000 16000}")
[ $# -eq 0 ] && sizes=(1000 4000 16000)
swift build -c release --product trawl >/dev/null
bin=$(swift build -c release --show-bin-path)/trawl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pdf="Fixtures/archive/www.msit.example/bbs/download.do?atchFileId=FILE_000000000812001&fileSn=1"
printf "%8s %10s %10s %12s\n" releases seconds records max_rss_MiB
for n in "${sizes[@]}"; do
  python3 Benchmarks/synthetic-site.py "$work/site-$n" "$work/out-$n" "$work/p-$n.json" "$n" "$pdf"
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss-$n" "$bin" run "$work/p-$n.json" --quiet >/dev/null
  end=$(date +%s.%N)
  records=$(ls "$work/out-$n/records" | wc -l)
  printf "%8d %10.2f %10d %12.1f\n" "$n" "$(echo "$end - $start" | bc)" "$records" "$(echo "$(cat "$work/rss-$n") / 1024" | bc -l)"
done
