#!/usr/bin/env bash
# Record quality without rules (#14), Trawl beside the references on every development set in
# html-gold (trafilatura-eval, readability, htmldate-eval/bbaw and /default): main text F1
# (precision, recall), date accuracy, title and author agreement, per set, with one CSV row per
# page and tool (Benchmarks/quality_eval.py says how each is measured); then main-text speed,
# Trawl over trafilatura. trafilatura and htmldate are installed into the git-ignored
# Benchmarks/.venv; they are never dependencies of Trawl.
# Usage: [PAIRS=5] Benchmarks/quality.sh [CSV]   (default /tmp/trawl-quality-pages.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/html-gold
[ -d "$corpus" ] || { echo "quality.sh: $corpus is absent" >&2; exit 2; }
venv=Benchmarks/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import trafilatura, htmldate, lxml_html_clean" 2>/dev/null \
  || "$venv/bin/pip" install --quiet trafilatura lxml_html_clean htmldate
swift build -c release --product trawl >/dev/null
bin="$(swift build -c release --show-bin-path)/trawl"
out=$(mktemp) dump=$(mktemp)
trap 'rm -f "$out" "$dump"' EXIT
"$bin" bench quality --corpus "$corpus" --dump "$dump"
"$venv/bin/python" Benchmarks/quality_eval.py "$corpus" "$dump" "${1:-/tmp/trawl-quality-pages.csv}"
# Speed: the machine's pace drifts over minutes, so the two tools alternate, PAIRS times
# (default 5), and the ratio is the median of the pairs' ratios.
for pair in $(seq "${PAIRS:-5}"); do
  "$bin" bench quality --corpus "$corpus" --speed-only | tee -a "$out"
  "$venv/bin/python" Benchmarks/reference_speed.py "$corpus" | tee -a "$out"
done
# Main-text speed ratios, Trawl over trafilatura, one worker and all cores.
python3 - "$out" <<'PY'
import re, statistics, sys
text = open(sys.argv[1]).read()
found = re.findall(r"(trawl|trafilatura) main-text speed: \d+ pages, ([\d.]+) pages/s on one worker, ([\d.]+) pages/s", text)
trawl = [(float(a), float(b)) for tool, a, b in found if tool == "trawl"]
ref = [(float(a), float(b)) for tool, a, b in found if tool == "trafilatura"]
pairs = list(zip(trawl, ref))
if pairs:
    one = [t[0] / r[0] for t, r in pairs]
    allc = [t[1] / r[1] for t, r in pairs]
    print("pairs (trawl/trafilatura, one worker):", " ".join(f"{x:.1f}x" for x in one))
    print(f"main-text speed ratio trawl/trafilatura, median of {len(pairs)} alternating pairs: "
          f"{statistics.median(one):.1f}x on one worker, {statistics.median(allc):.1f}x on all cores")
    parse = [float(x) for x in re.findall(r"libxml2 parsing alone: ([\d.]+) pages/s", text)]
    if parse:
        print(f"ceiling: libxml2's parse alone is {statistics.median(p / r[0] for p, (t, r) in zip(parse, pairs)):.1f}x trafilatura on one worker")
PY
