"""Writes a synthetic mirror (synthetic-site.py's SITE) as one WARC file with warcio, one gzip
member per record, each file a 200 response at base_url + its path; and a config that ingests
it with a `warc` source. Usage: warc_from_mirror.py SITE BASE_URL WARC CONFIG OUTPUT"""
import io, json, os, sys
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders

site, base, warc, config, output = sys.argv[1:6]
with open(warc, "wb") as out:
    writer = WARCWriter(out, gzip=True)
    for root, _, files in os.walk(site):
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, site)
            ctype = "application/pdf" if name.startswith("download.do") else "text/html; charset=utf-8"
            with open(path, "rb") as f:
                body = f.read()
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(base + rel, "response", payload=io.BytesIO(body), http_headers=headers))
with open(config, "w") as f:
    json.dump({"output": output, "workers": {"pages": 2, "attachments": 2},
               "sources": [{"name": "synthetic", "type": "warc", "warc_files": [warc], "base_url": base,
                            "seeds": ["bbs/list.do"], "listing": {"releases": "//ul/li/a", "next": "//a[@class='next']"},
                            "release": {"title": "//h3[@class='title']", "published": "//p[@class='date']",
                                        "body": "//div[@class='body']", "attachments": "//a[@class='file']"}}]}, f)
