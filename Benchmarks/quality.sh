#!/usr/bin/env bash
# Record quality without rules (#14), Trawl beside the references on every development set in
# html-gold (trafilatura-eval, readability, htmldate-eval/bbaw and /default): main text F1
# (precision, recall), date accuracy, title and author agreement, per set, with one CSV row per
# page and tool (Benchmarks/quality_eval.py says how each is measured); then main-text speed,
# Trawl over trafilatura. trafilatura and htmldate are installed into the git-ignored
# Benchmarks/.venv; they are never dependencies of Trawl.
# Usage: Benchmarks/quality.sh [CSV]   (default /tmp/trawl-quality-pages.csv)
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
"$bin" bench quality --corpus "$corpus" --speed-only | tee "$out"
"$venv/bin/python" Benchmarks/reference_speed.py "$corpus" | tee -a "$out"
# Main-text speed ratios, Trawl over trafilatura, one worker and all cores.
python3 - "$out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
speeds = {m[0]: (float(m[1]), float(m[2])) for m in re.findall(r"(trawl|trafilatura) main-text speed: \d+ pages, ([\d.]+) pages/s on one worker, ([\d.]+) pages/s", text)}
if len(speeds) == 2:
    t, r = speeds["trawl"], speeds["trafilatura"]
    print(f"main-text speed ratio trawl/trafilatura: {t[0] / r[0]:.1f}x on one worker, {t[1] / r[1]:.1f}x on all cores")
    parse = re.search(r"libxml2 parsing alone: ([\d.]+) pages/s", text)
    if parse:
        print(f"ceiling: libxml2's parse alone is {float(parse[1]) / r[0]:.1f}x trafilatura on one worker")
PY
