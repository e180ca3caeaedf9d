#!/usr/bin/env bash
# Peak memory of the `trawl run` parent process against the number of PDFs in a run: builds
# mirrors of N release pages, each linking its own copy of a ../shared/corpus/pdfs-real file
# (the corpus repeated; each copy gets a unique comment after its end so no two are
# byte-identical and every one is extracted), and prints the parent's own peak RSS from the
# run summary (`peak_rss_mib`; the PDF workers are separate processes with their own cap).
# Usage: Benchmarks/pdf-memory.sh [N...]   (default: 100 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/pdfs-real
[ -d "$corpus" ] || { echo "pdf-memory.sh: $corpus is absent" >&2; exit 2; }
sizes=("$@")
[ $# -eq 0 ] && sizes=(100 2000)
swift build -c release --product trawl >/dev/null
bin=$(swift build -c release --show-bin-path)/trawl
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT; echo "work: $work" >&2
printf "%6s %9s %8s %10s %14s\n" pdfs seconds records extracted parent_peak_MiB
for n in "${sizes[@]}"; do
  site="$work/site-$n"; mkdir -p "$site/bbs"
  python3 - "$site/bbs" "$n" "$corpus" <<'PY'
import os, sys
out, n, corpus = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pdfs = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs if f.endswith(".pdf"))
per = 100
for page in range(0, (n + per - 1) // per):
    rows = []
    for i in range(page * per, min(n, (page + 1) * per)):
        rows.append(f'<li><a href="view.do?no={i}">Release {i}</a></li>')
        with open(os.path.join(out, f"view.do?no={i}"), "w") as f:
            f.write(f'<html><head><meta charset="utf-8"></head><body><h3 class="title">Release {i}</h3>'
                    f'<p class="date">2024-01-{i % 28 + 1:02d}</p><div class="body"><p>Body of release {i}.</p></div>'
                    f'<a class="file" href="download.do?id={i}">r{i}.pdf</a></body></html>')
        with open(pdfs[i % len(pdfs)], "rb") as src, open(os.path.join(out, f"download.do?id={i}"), "wb") as dst:
            dst.write(src.read() + f"\n%trawl-copy-{i}\n".encode())
    nxt = f'<a class="next" href="list.do?page={page + 1}">next</a>' if (page + 1) * per < n else ""
    name = "list.do" if page == 0 else f"list.do?page={page}"
    with open(os.path.join(out, name), "w") as f:
        f.write(f"<html><body><ul>{''.join(rows)}</ul>{nxt}</body></html>")
PY
  cat > "$work/p-$n.json" <<JSON
{"output": "$work/out-$n",
 "sources": [{"name": "pdfs", "type": "directory", "root": "$site", "base_url": "https://pdfs.example/",
   "seeds": ["bbs/list.do"], "listing": {"releases": "//ul/li/a", "next": "//a[@class='next']"},
   "release": {"title": "//h3[@class='title']", "published": "//p[@class='date']", "body": "//div[@class='body']",
               "attachments": "//a[@class='file']"}}]}
JSON
  start=$(date +%s.%N)
  "$bin" run "$work/p-$n.json" --quiet >/dev/null || true
  end=$(date +%s.%N)
  summary=$(ls "$work/out-$n/runs/"*.json | head -1)
  read -r records extracted peak < <(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); c=s['counts']; print(c['records'], c['attachments_extracted'], s['peak_rss_mib'])" "$summary")
  printf "%6d %9.2f %8d %10d %14.1f\n" "$n" "$(echo "$end - $start" | bc)" "$records" "$extracted" "$peak"
done
