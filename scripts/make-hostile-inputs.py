#!/usr/bin/env python3
"""Writes hostile variants of real attachments into OUTDIR, for the hostile-input test.

For each base file (HWP, HWPX, DOCX, XLSX, PPTX, ODT, RTF, ZIP from ../shared/corpus):
truncations at fixed fractions and deterministic byte flips. Plus hand-made bombs: a ZIP bomb
(512 MiB of zeros in one entry), a deflate bomb inside an HWP 5 compound file, a ZIP whose
member names climb out with `../`, and a ZIP nested past the depth limit.

Usage: make-hostile-inputs.py CORPUS OUTDIR   (prints the number of files written)
"""
import io
import os
import random
import struct
import sys
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(__file__))
from hancom_writer import cfb, hwp_header, raw_deflate  # noqa: E402

BASES = [
    "press-releases/korean-hwp/work_report.hwp",
    "attachments/tika/testHWP_5.0.hwp",
    "attachments/tika/testHWP-v5-dist.hwp",
    "press-releases/korean-hwp/decrypted-sample.hwpx",
    "press-releases/korean-hwp/encrypted-sample.hwpx",
    "attachments/tika/testWORD.docx",
    "attachments/tika/testEXCEL.xlsx",
    "attachments/tika/testPPT.pptx",
    "attachments/tika/testFooter.odt",
    "attachments/tika/testRTF.rtf",
    "attachments/tika/testOpenOfficeInAZip.zip",
]
TRUNCATE = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]
FLIPS = 24  # variants with flipped bytes per base


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261201)
    count = 0

    def write(name, data):
        nonlocal count
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        count += 1

    for rel in BASES:
        data = open(os.path.join(corpus, rel), "rb").read()
        stem, ext = os.path.splitext(os.path.basename(rel))
        stem = "".join(c if c.isascii() and c.isalnum() else "_" for c in stem)
        for frac in TRUNCATE:
            write("%s-trunc%03d%s" % (stem, int(frac * 1000), ext), data[:max(1, int(len(data) * frac))])
        for k in range(FLIPS):
            b = bytearray(data)
            for _ in range(1 + k % 8):
                at = rng.randrange(len(b))
                for j in range(at, min(len(b), at + rng.choice([1, 4, 16, 64]))):
                    b[j] = rng.randrange(256)
            write("%s-flip%02d%s" % (stem, k, ext), bytes(b))

    # A ZIP bomb: one entry of 512 MiB of zeros (about 500 KB compressed).
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("zeros.txt", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 24)
            for _ in range(32):
                f.write(chunk)
    write("bomb-zip.zip", buf.getvalue())

    # A deflate bomb inside an HWP: a compressed section that inflates to 512 MiB.
    section = raw_deflate(b"\0" * (512 << 20))
    write("bomb-deflate.hwp", cfb({"FileHeader": hwp_header(1), "BodyText/Section0": section}))

    # An HWP whose record claims a huge size.
    record = struct.pack("<I", (67 & 0x3FF) | (0xFFF << 20)) + struct.pack("<I", 0x7FFFFFF0) + b"A\0" * 8
    write("bomb-record.hwp", cfb({"FileHeader": hwp_header(1), "BodyText/Section0": raw_deflate(record)}))

    # A ZIP whose member names climb out of any folder.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../etc/evil.txt", "climbing name")
        z.writestr("/abs/rooted.txt", "rooted name")
        z.writestr("ok/normal.txt", "a normal member")
    write("traversal.zip", buf.getvalue())

    # Bundles nested deeper than the depth limit.
    inner = b"deepest text"
    for level in range(5):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("level%d.%s" % (level, "zip" if level else "txt"), inner)
        inner = buf.getvalue()
    write("nested-deep.zip", inner)
    print(count)


if __name__ == "__main__":
    main()
