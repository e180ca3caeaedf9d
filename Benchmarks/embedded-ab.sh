#!/usr/bin/env bash
# Embedded mode, one binary against another (before/after a change), alternating A B A B so that
# machine drift hits both alike: `bench harvest` (first-run seconds for pages only and with a PDF
# each, peak RSS), memory.sh's run of synthetic releases with a PDF each (wall, CPU = user + sys of
# the process tree, max RSS), and `bench ledger` (lookups/s, peak RSS). Prints every round, then
# the median of each measure for both binaries and the ratio after/before.
# Usage: Benchmarks/embedded-ab.sh OLD_TRAWL NEW_TRAWL [ROUNDS]   (default 3 rounds)
#   e.g. build the old commit's release binary in a second clone and pass both paths.
# Scratch goes to $TMPDIR (default /dev/shm when it exists): on ext4, re-creating thousands of
# files just after deleting them costs a varying 5-15% of a run in the kernel's inode allocator
# (`recently_deleted`), which swamps the difference between two builds.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 OLD_TRAWL NEW_TRAWL [ROUNDS]" >&2; exit 2; }
bins=("$1" "$2")
names=(before after)
rounds=${3:-3}
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && export TMPDIR=/dev/shm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: >"$results"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$results"; }   # binary, measure, value
pdf="Fixtures/archive/www.msit.example/bbs/download.do?atchFileId=FILE_000000000812001&fileSn=1"
for round in $(seq "$rounds"); do
  for i in 0 1; do
    bin=${bins[$i]}; name=${names[$i]}
    echo "== round $round: $name ($bin)"
    out=$("$bin" bench harvest --releases 2000 --work "$work/harvest" 2>&1 | grep -E "^ *2000 releases" | head -2)
    echo "$out" | sed 's/^ */  /'
    record "$name" "harvest 2000 pages, first run s" "$(echo "$out" | sed -n 1p | sed -E 's/.*first run ([0-9.]+) s.*/\1/')"
    record "$name" "harvest 2000 pages + PDF, first run s" "$(echo "$out" | sed -n 2p | sed -E 's/.*first run ([0-9.]+) s.*/\1/')"
    record "$name" "harvest peak RSS MiB" "$(echo "$out" | sed -n 2p | sed -E 's/.*peak RSS ([0-9.]+) MiB.*/\1/')"
    rm -rf "$work/site" "$work/out" "$work/harvest"
    python3 Benchmarks/synthetic-site.py "$work/site" "$work/out" "$work/p.json" 4000 "$pdf" >/dev/null
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" run "$work/p.json" --quiet >/dev/null
    read -r wall user sys rss <"$work/time"
    cpu=$(python3 -c "print(round($user + $sys, 2))")
    echo "  4000 synthetic releases with a PDF each: $wall s wall, $cpu s CPU, max RSS $((rss / 1024)) MiB," \
         "$(ls "$work/out/records" | wc -l) records"
    record "$name" "synthetic 4000, wall s" "$wall"
    record "$name" "synthetic 4000, CPU s" "$cpu"
    record "$name" "synthetic 4000, max RSS MiB" "$((rss / 1024))"
    out=$("$bin" bench ledger --signatures 200000 --lookups 10000 --path "$work/ledger.sqlite" 2>&1 | grep -v '^inserted [0-9]*$' | tail -4)
    echo "$out" | sed 's/^/  /'
    record "$name" "ledger lookups/s" "$(echo "$out" | grep 'lookups/s' | sed -E 's/.* ([0-9]+) lookups\/s.*/\1/')"
    record "$name" "ledger peak RSS MiB" "$(echo "$out" | grep 'peak resident' | sed -E 's/.*: ([0-9.]+) MiB.*/\1/')"
    rm -f "$work"/ledger.sqlite*
  done
done
python3 - "$results" <<'EOF'
import csv, statistics, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter="\t"))
measures = list(dict.fromkeys(r[1] for r in rows))
print(f"\nmedians over the rounds{'':17}{'before':>10}{'after':>10}{'after/before':>14}")
for m in measures:
    v = {b: statistics.median(float(r[2]) for r in rows if r[0] == b and r[1] == m) for b in ("before", "after")}
    print(f"  {m:38}{v['before']:10.2f}{v['after']:10.2f}{v['after'] / v['before']:14.3f}")
EOF
