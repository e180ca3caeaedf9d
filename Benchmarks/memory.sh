#!/usr/bin/env bash
# Peak memory of `trawl run` against archive size: builds synthetic mirrors of N release pages
# (each with its own copy of a fixture PDF) and prints the maximum resident set size per run.
# Usage: Benchmarks/memory.sh [N...]   (default: 1000 4000 16000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 4000 16000}")
[ $# -eq 0 ] && sizes=(1000 4000 16000)
swift build -c release --product trawl >/dev/null
bin=$(swift build -c release --show-bin-path)/trawl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pdf="Fixtures/archive/www.msit.example/bbs/download.do?atchFileId=FILE_000000000812001&fileSn=1"
printf "%8s %10s %10s %12s\n" releases seconds records max_rss_MiB
for n in "${sizes[@]}"; do
  site="$work/site-$n"; mkdir -p "$site/bbs"
  python3 - "$site/bbs" "$n" "$pdf" <<'PY'
import os, shutil, sys
out, n, pdf = sys.argv[1], int(sys.argv[2]), sys.argv[3]
per = 100
for page in range(0, (n + per - 1) // per):
    rows = []
    for i in range(page * per, min(n, (page + 1) * per)):
        rows.append(f'<li><a href="view.do?no={i}">Release {i}</a></li>')
        with open(os.path.join(out, f"view.do?no={i}"), "w") as f:
            f.write(f'<html><head><meta charset="utf-8"></head><body><nav>Menu</nav><h3 class="title">Release {i}</h3>'
                    f'<p class="date">2024-01-{i % 28 + 1:02d}</p><div class="body"><p>Body of release {i}: {i * 7919}.</p></div>'
                    f'<a class="file" href="download.do?id={i}">r{i}.pdf</a></body></html>')
        shutil.copyfile(pdf, os.path.join(out, f"download.do?id={i}"))
    nxt = f'<a class="next" href="list.do?page={page + 1}">next</a>' if (page + 1) * per < n else ""
    name = "list.do" if page == 0 else f"list.do?page={page}"
    with open(os.path.join(out, name), "w") as f:
        f.write(f"<html><body><ul>{''.join(rows)}</ul>{nxt}</body></html>")
PY
  cat > "$work/p-$n.json" <<JSON
{"output": "$work/out-$n", "workers": {"pages": 2, "attachments": 2},
 "sources": [{"name": "synthetic", "type": "directory", "root": "$site", "base_url": "https://synthetic.example/",
   "seeds": ["bbs/list.do"], "listing": {"releases": "//ul/li/a", "next": "//a[@class='next']"},
   "release": {"title": "//h3[@class='title']", "published": "//p[@class='date']", "body": "//div[@class='body']",
               "attachments": "//a[@class='file']"}}]}
JSON
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss-$n" "$bin" run "$work/p-$n.json" --quiet >/dev/null
  end=$(date +%s.%N)
  records=$(ls "$work/out-$n/records" | wc -l)
  printf "%8d %10.2f %10d %12.1f\n" "$n" "$(echo "$end - $start" | bc)" "$records" "$(echo "$(cat "$work/rss-$n") / 1024" | bc -l)"
done
