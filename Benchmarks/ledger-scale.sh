#!/usr/bin/env bash
# Scale of the near-duplicate index: inserts 1,000,000 synthetic MinHash signatures into a
# ledger, then times 10,000 lookups through the detector a run uses (half near-copies of
# stored documents, half unrelated). Prints inserts/s, lookups/s, mean lookup time, the
# ledger's size on disk and peak memory (also measured from outside with /usr/bin/time).
# Usage: Benchmarks/ledger-scale.sh [SIGNATURES] [LOOKUPS]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product trawl >/dev/null
bin=$(swift build -c release --show-bin-path)/trawl
ledger=$(mktemp -d)/ledger.sqlite
trap 'rm -rf "$(dirname "$ledger")"' EXIT
/usr/bin/time -f "process: %e s wall, %M KiB max resident" \
  "$bin" bench ledger --signatures "${1:-1000000}" --lookups "${2:-10000}" --path "$ledger" 2> >(grep -v '^inserted [0-9]*$' >&2)
