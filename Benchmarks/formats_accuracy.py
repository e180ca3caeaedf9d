"""The measuring half of formats-accuracy.sh: runs Trawl and the reference tools on the same
files and prints the comparisons. Arguments: TRAWL_BINARY CORPUS."""
import base64
import glob
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
import zlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, LCSseq

TRAWL, CORPUS = (sys.argv[1], sys.argv[2]) if __name__ == "__main__" else ("trawl", "")


def trawl_texts(paths):
    """Trawl's text of each file (one `trawl extract` run), by path."""
    out = subprocess.run([TRAWL, "extract", *paths], capture_output=True, text=True, check=False).stdout
    texts = {}
    for line in out.splitlines():
        d = json.loads(line)
        f = d.get("file") or {}
        texts[d["input"]] = f.get("text") or ""
    return texts


def collapse(s):
    return " ".join(s.replace("\f", " ").split())


def hangul(s):
    return sum(1 for c in s if "\uac00" <= c <= "\ud7a3")


def similarity(a, b):
    a, b = collapse(a.replace("\ufeff", "")), collapse(b.replace("\ufeff", ""))
    if not a and not b:
        return 1.0   # both empty: LibreOffice writes a lone byte-order mark for an empty document
    return fuzz.ratio(a, b) / 100.0


def char_recall(reference, candidate):
    """Share of the reference's characters (white space ignored: the tools space bullets and
    fixed-width blanks differently) found in the candidate in the same order: their longest
    common subsequence over the reference's length."""
    r, c = "".join(reference.split()), "".join(candidate.split())
    return LCSseq.similarity(r, c) / len(r) if r else 1.0


def in_order_recall(reference, candidate):
    """Share of the reference's words found in the candidate in the same order (longest
    common subsequence of words, by Indel distance on word ids)."""
    ref, cand = collapse(reference).split(), collapse(candidate).split()
    if not ref:
        return 1.0
    vocab = {}
    def ids(words):
        return [vocab.setdefault(w, len(vocab)) for w in words]
    r, c = ids(ref), ids(cand)
    # Indel distance = len(r) + len(c) - 2 * LCS
    lcs = (len(r) + len(c) - Indel.distance(r, c)) // 2
    return lcs / len(ref)


# ------------------------------------------------------------------ HWP vs pyhwp
def hwp_section():
    files = sorted(glob.glob(f"{CORPUS}/press-releases/korean-hwp/*.hwp")) + \
        sorted(p for p in glob.glob(f"{CORPUS}/attachments/tika/*.hwp") if "3.0" not in p)
    texts = trawl_texts(files)
    print("\nHWP against pyhwp hwp5txt (placeholders removed)")
    print(f"{'file':48} {'recall':>7} {'words':>7} {'hangul trawl':>13} {'hangul pyhwp':>13}")
    ok = True
    for f in files:
        r = subprocess.run(["hwp5txt", f], capture_output=True, text=True)
        ref = re.sub(r"<(표|그림|수식|글상자|선|사각형|타원|호|다각형|곡선|묶음|OLE|동영상|양식 개체|누름틀|차트)[^>]*>", " ", r.stdout)
        rec = char_recall(ref, texts.get(f, ""))
        words = in_order_recall(ref, texts.get(f, ""))
        ht, hr = hangul(texts.get(f, "")), hangul(ref)
        flag = "" if rec >= 0.99 and ht >= hr else "  <-- below target"
        ok &= not flag
        note = "" if r.returncode == 0 else f" (hwp5txt exit {r.returncode})"
        print(f"{os.path.basename(f)[:48]:48} {rec:7.4f} {words:7.4f} {ht:13d} {hr:13d}{flag}{note}")
    print("recall: pyhwp's characters found in Trawl's text in order (white space ignored); words: the same by")
    print("white-space-separated words, which counts a bullet spaced differently ('○ 각종' / '○각종') as a miss.")
    return ok


# ------------------------------------------------------------------ HWPX vs python-hwpx
DIST_PASSWORDS = [b'"Yang WangSunv!!"', b'"']
NS = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"


def decrypt_hwpx(path, out):
    """Writes a decrypted copy of a distribution HWPX (Hancom's public key), for the
    reference tool, which cannot read encrypted packages."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        if "META-INF/manifest.xml" not in names:
            open(out, "wb").write(open(path, "rb").read())
            return
        manifest = ET.fromstring(z.read("META-INF/manifest.xml"))
        entries = {}
        for fe in manifest.iter(f"{NS}file-entry"):
            enc = fe.find(f"{NS}encryption-data")
            if enc is None:
                continue
            alg, kd = enc.find(f"{NS}algorithm"), enc.find(f"{NS}key-derivation")
            entries[fe.get("full-path")] = dict(
                iv=base64.b64decode(alg.get("initialisation-vector")),
                salt=base64.b64decode(kd.get("salt")),
                iterations=int(kd.get("iteration-count")), size=int(kd.get("key-size", "32")),
                checksum=base64.b64decode(enc.get("checksum")))

        def plain(name, password):
            e = entries[name]
            key = PBKDF2HMAC(hashes.SHA1(), e["size"], e["salt"], e["iterations"]).derive(hashlib.sha256(password).digest())
            data = z.read(name)
            d = Cipher(algorithms.AES(key), modes.CBC(e["iv"])).decryptor()
            raw = d.update(data[: len(data) // 16 * 16]) + d.finalize()
            try:
                return zlib.decompressobj(-15).decompress(raw), raw
            except zlib.error:
                return raw, raw

        password = DIST_PASSWORDS[0]
        if entries:
            probe = min(entries, key=lambda n: z.getinfo(n).file_size)
            for p in DIST_PASSWORDS:
                text, raw = plain(probe, p)
                if entries[probe]["checksum"] in (hashlib.sha256(text[:1024]).digest(), hashlib.sha256(raw[:1024]).digest()):
                    password = p
                    break
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
            for n in names:
                if n in entries:
                    w.writestr(n, plain(n, password)[0])
                elif n == "META-INF/manifest.xml":
                    continue
                else:
                    w.writestr(z.getinfo(n), z.read(n))


def hwpx_section():
    files = sorted(glob.glob(f"{CORPUS}/press-releases/korea-kr-attachments/*.hwpx")) + \
        sorted(glob.glob(f"{CORPUS}/press-releases/korean-hwp/*.hwpx"))
    texts = trawl_texts(files)
    print("\nHWPX against python-hwpx (hwpx-text-extract --include-tables) on decrypted copies")
    print(f"{'file':32} {'similarity':>10} {'chars trawl':>12} {'chars ref':>10}")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            copy = os.path.join(tmp, os.path.basename(f))
            decrypt_hwpx(f, copy)
            r = subprocess.run(["hwpx-text-extract", "--include-tables", copy], capture_output=True, text=True)
            ref = r.stdout
            sim = similarity(texts.get(f, ""), ref)
            flag = "" if sim >= 0.99 else "  <-- below 0.99"
            ok &= not flag
            print(f"{os.path.basename(f):32} {sim:10.4f} {len(collapse(texts.get(f, ''))):12d} {len(collapse(ref)):10d}{flag}")
    return ok


# ------------------------------------------------------------------ Office vs LibreOffice
def libreoffice_text(path, tmp):
    ext = path.rsplit(".", 1)[-1].lower()
    out = os.path.join(tmp, "lo")
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.remove(os.path.join(out, f))
    base = os.path.splitext(os.path.basename(path))[0]
    env = dict(os.environ, HOME=tmp)
    if ext in ("xlsx", "ods"):
        # Every sheet to its own CSV (LibreOffice 7.2+: sheet number -1).
        subprocess.run(["soffice", "--headless", "--convert-to",
                        'csv:Text - txt - csv (StarCalc):9,34,76,1,,0,false,true,true,false,false,-1',
                        "--outdir", out, path], capture_output=True, env=env, timeout=120)
        parts = sorted(glob.glob(os.path.join(out, "*.csv")))
        return "\n".join(open(p, encoding="utf-8", errors="replace").read().replace('"', "") for p in parts)
    if ext in ("pptx", "odp"):
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", out, path], capture_output=True, env=env, timeout=120)
        pdf = os.path.join(out, base + ".pdf")
        if not os.path.exists(pdf):
            return None
        return subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout
    subprocess.run(["soffice", "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", out, path],
                   capture_output=True, env=env, timeout=120)
    txt = os.path.join(out, base + ".txt")
    return open(txt, encoding="utf-8", errors="replace").read() if os.path.exists(txt) else None


def office_section():
    exts = ("docx", "xlsx", "pptx", "odt", "ods", "odp", "rtf")
    files = sorted(p for p in glob.glob(f"{CORPUS}/attachments/tika/*") if p.rsplit(".", 1)[-1].lower() in exts)
    texts = trawl_texts(files)
    print("\nDOCX/XLSX/PPTX/ODF/RTF against LibreOffice's conversion (character similarity, white space collapsed)")
    print(f"{'file':48} {'similarity':>10} {'chars trawl':>12} {'chars LO':>9}")
    below = []
    sims = []
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            ref = libreoffice_text(f, tmp)
            t = texts.get(f, "")
            if ref is None:
                print(f"{os.path.basename(f)[:48]:48} {'-':>10} {len(collapse(t)):12d} {'(LibreOffice could not convert it)':>9}")
                continue
            sim = similarity(t, ref)
            sims.append(sim)
            if sim < 0.95:
                below.append(os.path.basename(f))
            print(f"{os.path.basename(f)[:48]:48} {sim:10.4f} {len(collapse(t)):12d} {len(collapse(ref)):9d}{'  <-- under 0.95' if sim < 0.95 else ''}")
    if sims:
        sims.sort()
        print(f"{len(sims)} files compared: median {sims[len(sims) // 2]:.4f}, {len(below)} under 0.95")
    return below


if __name__ == "__main__":
    hwp_ok = hwp_section()
    hwpx_ok = hwpx_section()
    below = office_section()
    print(f"\nHWP target (recall >= 0.99, Hangul >= pyhwp's): {'met' if hwp_ok else 'NOT met'}")
    print(f"HWPX target (similarity >= 0.99): {'met' if hwpx_ok else 'NOT met'}")
    print(f"Office files under 0.95 against LibreOffice: {len(below)}")
