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
"$(swift build -c release --show-bin-path)/trawl" bench quality --corpus "$corpus"
"$venv/bin/python" Benchmarks/reference_quality.py "$corpus"
