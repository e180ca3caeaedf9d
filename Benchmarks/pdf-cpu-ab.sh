#!/usr/bin/env bash
# CPU time of PDF extraction, one trawl binary against another (before/after a change), on
# the same files in one run: `trawl extract --isolation none --workers 1 --ocr off` over every
# distinct PDF in ../shared/corpus/pdfs-real, alternating A B A B so that drift hits both alike.
# CPU = user + system of the whole process tree (/usr/bin/time). Prints every round, then the
# minimum of each binary (the least-disturbed run) and the ratio after/before. Checks that both
# binaries print byte-identical output first.
# Usage: Benchmarks/pdf-cpu-ab.sh BEFORE_TRAWL AFTER_TRAWL [ROUNDS]   (default 5 rounds)
#   e.g. clone today's main into a second folder, `swift build -c release --product trawl`
#   there, and pass both release binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_TRAWL AFTER_TRAWL [ROUNDS]" >&2; exit 2; }
before=$1; after=$2; rounds=${3:-5}
corpus=../shared/corpus/pdfs-real
[ -d "$corpus" ] || { echo "pdf-cpu-ab.sh: $corpus is absent" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t files < <(find "$corpus" -name '*.pdf' | sort)
cat "${files[@]}" > /dev/null   # warm the page cache

extract() { "$1" extract --isolation none --workers 1 --ocr off "${files[@]}"; }
extract "$before" > "$work/before.jsonl" 2>/dev/null
extract "$after" > "$work/after.jsonl" 2>/dev/null
if cmp -s "$work/before.jsonl" "$work/after.jsonl"; then
  echo "output: byte-identical over ${#files[@]} files"
else
  echo "output: DIFFERS over ${#files[@]} files (diff $work/before.jsonl $work/after.jsonl)"
fi

cpu() {  # binary: prints user + sys seconds of one run
  /usr/bin/time -f "%U %S" -o "$work/t" "$1" extract --isolation none --workers 1 --ocr off "${files[@]}" > /dev/null 2>&1
  awk '{printf "%.2f", $1 + $2}' "$work/t"
}
: > "$work/rows"
for round in $(seq "$rounds"); do
  b=$(cpu "$before"); a=$(cpu "$after")
  echo "round $round: before $b s  after $a s"
  echo "$b $a" >> "$work/rows"
done
read -r minb mina < <(awk 'NR == 1 {b = $1; a = $2} {if ($1 < b) b = $1; if ($2 < a) a = $2} END {print b, a}' "$work/rows")
printf "CPU, minimum of %d: before %.2f s, after %.2f s; after/before %.3f (%.1f%% less)\n" \
  "$rounds" "$minb" "$mina" "$(echo "$mina / $minb" | bc -l)" "$(echo "(1 - $mina / $minb) * 100" | bc -l)"
# This machine's speed drifts by 20% between runs; the median of the paired ratios is the
# steadiest summary of what changed.
awk '{print $2 / $1}' "$work/rows" | sort -n | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "CPU, median of the %d paired after/before ratios: %.3f (%.1f%% less)\n", NR, m, (1 - m) * 100}'

