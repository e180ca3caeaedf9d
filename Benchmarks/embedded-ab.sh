#!/usr/bin/env bash
# Embedded mode, one binary against another (before/after a change), alternating A B A B so that
# machine drift shows: `bench harvest` (pages/s, peak RSS, no-change re-run), memory.sh's run of
# synthetic releases with a PDF each (time, max RSS), and `bench ledger` (lookups/s, peak RSS).
# Usage: Benchmarks/embedded-ab.sh OLD_TRAWL NEW_TRAWL [ROUNDS]
#   e.g. build the old commit's release binary in a second clone and pass both paths.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 OLD_TRAWL NEW_TRAWL [ROUNDS]" >&2; exit 2; }
bins=("$1" "$2")
rounds=${3:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pdf="Fixtures/archive/www.msit.example/bbs/download.do?atchFileId=FILE_000000000812001&fileSn=1"
for round in $(seq "$rounds"); do
  for i in 0 1; do
    bin=${bins[$i]}
    echo "== round $round: $([ "$i" -eq 0 ] && echo before || echo after) ($bin)"
    "$bin" bench harvest --releases 2000 2>&1 | grep -E "releases" | head -2
    rm -rf "$work/site" "$work/out"
    python3 Benchmarks/synthetic-site.py "$work/site" "$work/out" "$work/p.json" 4000 "$pdf" >/dev/null
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss" "$bin" run "$work/p.json" --quiet >/dev/null
    end=$(date +%s.%N)
    echo "  4000 synthetic releases with a PDF each: $(python3 -c "print(round($end - $start, 1))") s," \
         "max RSS $(( $(cat "$work/rss") / 1024 )) MiB, $(ls "$work/out/records" | wc -l) records"
    "$bin" bench ledger --signatures 200000 --lookups 10000 --path "$work/ledger.sqlite" 2>&1 | grep -v '^inserted [0-9]*$' | tail -4
    rm -f "$work"/ledger.sqlite*
  done
done
