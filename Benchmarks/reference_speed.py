"""trafilatura's main-text speed measured as `trawl bench quality --speed-only` measures Trawl's."""
import json
import sys
import time
import multiprocessing
import os
from pathlib import Path

import trafilatura

from quality_eval import read  # the same decoding as the quality scores

corpus = Path(sys.argv[1])
gold = json.loads((corpus / "trafilatura-eval/evaldata-subset.json").read_text())

# Main-text speed as `trawl bench quality` measures it: the pages in memory, 3 rounds, one
# worker and then one process per core.
pages = [(read(corpus / "trafilatura-eval/html" / e["file"]), u) for u, e in sorted(gold.items())]


def extract_page(page):
    return trafilatura.extract(page[0], url=page[1])


start = time.perf_counter()
for _ in range(3):
    for page in pages: extract_page(page)
one = 3 * len(pages) / (time.perf_counter() - start)
cores = os.cpu_count() or 1
with multiprocessing.Pool(cores) as pool:
    start = time.perf_counter()
    for _ in range(3): pool.map(extract_page, pages, chunksize=8)
    allcores = 3 * len(pages) / (time.perf_counter() - start)
print(f"trafilatura main-text speed: {len(pages)} pages, {one:.1f} pages/s on one worker, {allcores:.1f} pages/s on {cores} workers")
