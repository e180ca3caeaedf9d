#!/usr/bin/env bash
# HTTP harvesting at scale (#4): generated release sites served on 127.0.0.1, harvested by the
# release binary. Prints pages per second, peak RSS per size (flat memory), the cost of a
# no-change re-run as a fraction of the first run (all conditional requests; and with
# stop_after_known), and the request rate the site saw under a politeness delay.
# Usage: Benchmarks/harvest.sh [N...]   (default: 1000 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ $# -eq 0 ] && sizes=(1000 5000)
swift build -c release --product trawl >/dev/null
bin=$(swift build -c release --show-bin-path)/trawl
"$bin" bench harvest --releases "${sizes[@]}"
