"""Writes a synthetic release archive for the memory benchmarks, with its pipeline config.

    synthetic-site.py SITE OUTPUT CONFIG N [--distinct] PDF...

SITE/bbs gets listing pages of 100 releases (list.do, list.do?page=K, linked by "next") and
N release pages, each linking its own attachment: the PDFs given, in turn. With --distinct
every copy gets a unique comment after its end, so no two attachments are byte-identical
and each is extracted (PDF readers ignore bytes after %%EOF). CONFIG is a pipeline.json
that ingests SITE into OUTPUT with a directory source.
"""
import json
import os
import sys

site, output, config, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
args = sys.argv[5:]
distinct = "--distinct" in args
pdfs = [a for a in args if a != "--distinct"]
out = os.path.join(site, "bbs")
os.makedirs(out, exist_ok=True)
per = 100
for page in range(0, (n + per - 1) // per):
    rows = []
    for i in range(page * per, min(n, (page + 1) * per)):
        rows.append(f'<li><a href="view.do?no={i}">Release {i}</a></li>')
        with open(os.path.join(out, f"view.do?no={i}"), "w") as f:
            f.write(f'<html><head><meta charset="utf-8"></head><body><nav>Menu</nav><h3 class="title">Release {i}</h3>'
                    f'<p class="date">2024-01-{i % 28 + 1:02d}</p><div class="body"><p>Body of release {i}: {i * 7919}.</p></div>'
                    f'<a class="file" href="download.do?id={i}">r{i}.pdf</a></body></html>')
        with open(pdfs[i % len(pdfs)], "rb") as src, open(os.path.join(out, f"download.do?id={i}"), "wb") as dst:
            dst.write(src.read() + (f"\n%trawl-copy-{i}\n".encode() if distinct else b""))
    nxt = f'<a class="next" href="list.do?page={page + 1}">next</a>' if (page + 1) * per < n else ""
    name = "list.do" if page == 0 else f"list.do?page={page}"
    with open(os.path.join(out, name), "w") as f:
        f.write(f"<html><body><ul>{''.join(rows)}</ul>{nxt}</body></html>")

with open(config, "w") as f:
    json.dump({"output": output, "workers": {"pages": 2, "attachments": 2},
               "sources": [{"name": "synthetic", "type": "directory", "root": site, "base_url": "https://synthetic.example/",
                            "seeds": ["bbs/list.do"], "listing": {"releases": "//ul/li/a", "next": "//a[@class='next']"},
                            "release": {"title": "//h3[@class='title']", "published": "//p[@class='date']",
                                        "body": "//div[@class='body']", "attachments": "//a[@class='file']"}}]}, f)
