#!/usr/bin/env bash
# Precision and recall of Trawl's duplicate decision on the labelled pairs of
# ../shared/corpus/near-dups (plagiarised news articles and re-captured web pages).
# Usage: Benchmarks/near-dups.sh [THRESHOLD]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/near-dups
[ -d "$corpus" ] || { echo "near-dups.sh: $corpus is absent" >&2; exit 2; }
swift build -c release --product trawl >/dev/null
"$(swift build -c release --show-bin-path)/trawl" bench near-dups --corpus "$corpus" --threshold "${1:-0.8}"
