"""Writes minimal HWP 5.0 files for the fixtures and the hostile-input test: an OLE2 compound
file (the container), HWP's record stream and its summary-information property set. Only what
Trawl's reader and Hancom's format need; no third-party code.
"""
import struct
import zlib

# HWP record tags (HWPTAG_BEGIN + n)
PARA_HEADER, PARA_TEXT, CTRL_HEADER, LIST_HEADER = 66, 67, 71, 72


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
    """FileHeader: signature, version 5.1.0.1, property flags (bit 0: compressed)."""
    h = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05010001, flags)
    return h.ljust(256, b"\0")


def record(tag, level, payload):
    if len(payload) < 0xFFF:
        return struct.pack("<I", tag | (level << 10) | (len(payload) << 20)) + payload
    return struct.pack("<II", tag | (level << 10) | (0xFFF << 20), len(payload)) + payload


def paragraph(text, level=0, controls=b""):
    """A paragraph: header, then its text (UTF-16LE) ending with a paragraph break (13).
    `controls` are extended-control units placed before the text (e.g. a table anchor)."""
    units = controls + text.encode("utf-16-le") + struct.pack("<H", 13)
    return record(PARA_HEADER, level, b"\0" * 22) + record(PARA_TEXT, level + 1, units)


TABLE_ANCHOR = struct.pack("<H", 11) + b"lbt " + b"\0" * 8 + struct.pack("<H", 11)  # extended control 'tbl '


def table(rows, level=0):
    """A table control anchored in its own paragraph, its cells as paragraph lists."""
    out = paragraph("", level, TABLE_ANCHOR)
    out += record(CTRL_HEADER, level + 1, b"lbt " + b"\0" * 40)
    for row in rows:
        for cell in row:
            out += record(LIST_HEADER, level + 2, b"\0" * 34)
            out += paragraph(cell, level + 2)
    return out


def summary_information(title, author):
    """The \\x05HwpSummaryInformation property set (MS-OLEPS) with a title and an author."""
    props = []
    for pid, value in ((2, title), (4, author)):
        s = (value + "\0").encode("utf-16-le")
        body = struct.pack("<II", 0x1F, len(value) + 1) + s
        body += b"\0" * (-len(body) % 4)
        props.append((pid, body))
    offset = 8 + 8 * len(props)
    table_, values = b"", b""
    for pid, body in props:
        table_ += struct.pack("<II", pid, offset + len(values))
        values += body
    section = struct.pack("<II", 8 + len(table_) + len(values), len(props)) + table_ + values
    fmtid = bytes.fromhex("E0859FF2F94F6810AB9108002B27B3D9")
    header = struct.pack("<HHI", 0xFFFE, 0, 0) + b"\0" * 16 + struct.pack("<I", 1) + fmtid + struct.pack("<I", 48)
    return header + section


def hwp(paragraphs_and_tables, title, author):
    """An HWP 5 document (compressed) from records made with paragraph() and table()."""
    section = raw_deflate(b"".join(paragraphs_and_tables))
    return cfb({
        "FileHeader": hwp_header(1),
        "\x05HwpSummaryInformation": summary_information(title, author),
        "BodyText/Section0": section,
    })
