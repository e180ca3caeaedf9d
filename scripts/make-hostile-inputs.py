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


def raw_deflate(data, level=9):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def cfb(streams):
    """A minimal OLE2 compound file (v3, 512-byte sectors) holding `streams`:
    {"Name": bytes} at the root and {"Storage/Name": bytes} one level down. Every stream is
    padded past the 4096-byte mini-stream cutoff so only the big FAT is needed."""
    SECTOR, FREE, END, FATSECT, NOSTREAM = 512, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    sectors, fat = [], []

    def add(data):
        start = len(sectors)
        n = max(1, (len(data) + SECTOR - 1) // SECTOR)
        padded = data + b"\0" * (n * SECTOR - len(data))
        for i in range(n):
            sectors.append(padded[i * SECTOR:(i + 1) * SECTOR])
            fat.append(start + i + 1 if i < n - 1 else END)
        return start

    # Directory entries: 0 root, then storages and streams.
    entries = [{"name": "Root Entry", "type": 5, "children": []}]
    storages = {}
    for path, data in streams.items():
        if len(data) < 4096:
            data = data + b"\0" * (4096 - len(data))
        parent = 0
        if "/" in path:
            st, name = path.split("/", 1)
            if st not in storages:
                storages[st] = len(entries)
                entries.append({"name": st, "type": 1, "children": []})
                entries[0]["children"].append(storages[st])
            parent = storages[st]
        else:
            name = path
        idx = len(entries)
        entries.append({"name": name, "type": 2, "children": [], "start": add(data), "size": len(data)})
        entries[parent]["children"].append(idx)

    def key(i):
        n = entries[i]["name"]
        return (len(n), n.upper())

    # Each storage's children as a degenerate (right-leaning) tree, sorted as CFB compares names.
    for e in entries:
        kids = sorted(e["children"], key=key)
        e["child"] = kids[0] if kids else NOSTREAM
        for a, b in zip(kids, kids[1:]):
            entries[a]["right"] = b
    blob = b""
    for e in entries:
        name = e["name"].encode("utf-16-le") + b"\0\0"
        blob += name + b"\0" * (64 - len(name))
        blob += struct.pack("<HBB", len(name), e["type"], 1)
        blob += struct.pack("<III", e.get("left", NOSTREAM), e.get("right", NOSTREAM), e["child"])
        blob += b"\0" * 16 + b"\0" * 4 + b"\0" * 16
        blob += struct.pack("<IQ", e.get("start", END), e.get("size", 0))
    dir_start = add(blob)
    # FAT sectors (each holds 128 entries) are marked FATSECT in the FAT itself.
    nfat = 1
    while (len(sectors) + nfat) > nfat * 128:
        nfat += 1
    fat_start = len(sectors)
    fat += [FATSECT] * nfat
    fat += [FREE] * (nfat * 128 - len(fat))
    fat_bytes = struct.pack("<%dI" % len(fat), *fat)
    for i in range(nfat):
        sectors.append(fat_bytes[i * SECTOR:(i + 1) * SECTOR])
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, nfat, dir_start, 0, 4096, END, 0, END, 0)
    difat = [fat_start + i for i in range(nfat)] + [FREE] * (109 - nfat)
    header += struct.pack("<109I", *difat)
    return header + b"".join(sectors)


def hwp_header(flags):
    h = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05010001, flags)
    return h.ljust(256, b"\0")


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
