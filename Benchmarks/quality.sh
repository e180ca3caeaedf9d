#!/usr/bin/env bash
# Record quality without rules, Trawl against trafilatura and htmldate on the same pages:
#   main text on html-gold/trafilatura-eval (gold "with" snippets must be in the text,
#   "without" snippets must not): precision, recall, F1; titles; pages per second;
#   publication dates on html-gold/htmldate-eval/bbaw (htmldate with original_date=True).
# trafilatura, lxml_html_clean and htmldate are installed into the git-ignored
# Benchmarks/.venv; they are never dependencies of Trawl.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/html-gold
[ -d "$corpus" ] || { echo "quality.sh: $corpus is absent" >&2; exit 2; }
venv=Benchmarks/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import trafilatura, htmldate, lxml_html_clean" 2>/dev/null \
  || "$venv/bin/pip" install --quiet trafilatura lxml_html_clean htmldate
swift build -c release --product trawl >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$(swift build -c release --show-bin-path)/trawl" bench quality --corpus "$corpus" | tee "$out"
"$venv/bin/python" Benchmarks/reference_quality.py "$corpus" | tee -a "$out"
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
