#!/usr/bin/python3
"""Generates the fixture archive under Fixtures/: a `wget --mirror`-style copy of a release
site (English UTF-8 and Korean EUC-KR/UTF-8 sections), the PDFs behind its download
endpoint, and Fixtures/expected.json with the values the end-to-end tests assert.

Run with Debian's python3 (it needs python3-cairo and the fonts-dejavu-core and fonts-nanum
packages):   /usr/bin/python3 scripts/make-fixtures.py
The output is committed; re-run only when the fixtures change.
"""
import html
import io
import json
import os
import shutil
import sys
import zipfile
from datetime import datetime

import cairo

sys.path.insert(0, os.path.dirname(__file__))
from fixture_content import (ATTACHMENTS, BASE, DOCX_TEXT, HOST, HWP_TEXT, PDF_TEXTS, RELEASES,  # noqa: E402
                             ZIP_MEMBER_TEXT, download)
import hancom_writer  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "Fixtures")
SITE = os.path.join(ROOT, "archive", HOST)

SECTIONS = {
    "eng": dict(query="sCode=eng&mId=4&mPid=2", lang="en", menu_title="Press Releases",
                crumbs=["Home", "News & Notice", "Press Releases"], charset_page="utf-8",
                listing_encoding="utf-8"),
    "kor": dict(query="sCode=user&mId=113&mPid=112", lang="ko", menu_title="보도자료",
                crumbs=["홈", "뉴스·소식", "보도자료"], charset_page="euc-kr",
                listing_encoding="euc-kr"),
}
PER_PAGE = 5


def by_id(rid):
    return next(r for r in RELEASES if r["id"] == rid)


def resolved(r):
    """A re-post copies its original's content; it keeps its own number and date."""
    if "repost_of" not in r:
        return r
    merged = dict(by_id(r["repost_of"]))
    merged.update({k: v for k, v in r.items()})
    merged.setdefault("date_text", "2024년 3월 15일")
    merged["date_text"], merged["date"] = "2024년 3월 15일", "2024-03-15"
    return merged


def view_query(r):
    return f"{SECTIONS[r['section']]['query']}&nttSeqNo={r['seq']}"


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def esc(s):
    return html.escape(s, quote=True)


# ---------------------------------------------------------------- pages

HEADER = """<div id="skip"><a href="#content">Skip to content</a></div>
<header id="header">
  <div class="search_area"><h2 class="blind">Search Area</h2>
    <form action="/search.do" method="get"><input type="text" name="q" title="search"><button type="submit">Search</button></form>
  </div>
  <nav id="gnb"><ul>
    <li><a href="/{sec}/index.do">About</a></li>
    <li><a href="/{sec}/bbs/list.do?{q}">News &amp; Notice</a></li>
    <li><a href="/{sec}/policy.do">Policies</a></li>
  </ul></nav>
</header>"""

FOOTER = """<div class="kogl"><img src="/images/kogl_type1.png" alt="KOGL">
  <p>KOGL Korea Open Government License, BY Type 1 : Source Indication The works of the Ministry of Science and ICT can be used under the terms of "KOGL Type 1".</p></div>
<footer id="footer"><address>Government Complex Sejong, 477, Galmae-ro, Sejong-si, 30121, Republic of Korea</address>
  <p class="copy">Copyright Ministry of Science and ICT. All rights reserved.</p></footer>
<a href="#header" class="top">TOP</a>"""


def page(sec, title, content, charset, base=None):
    s = SECTIONS[sec]
    crumbs = "".join(f"<li>{esc(c)}</li>" for c in s["crumbs"])
    base_tag = f'<base href="{base}">' if base else ""
    return f"""<!DOCTYPE html>
<html lang="{s['lang']}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} | Ministry of Science and ICT</title>
{base_tag}
<link rel="stylesheet" href="/css/common.css">
<script>var gaId = "UA-0000000-1"; function share(){{ return false; }}</script>
</head>
<body>
{HEADER.format(sec=sec, q=s['query'].replace('&', '&amp;'))}
<div id="container">
  <aside id="lnb"><h2>News &amp; Notice</h2><ul>
    <li class="on"><a href="/{sec}/bbs/list.do?{s['query'].replace('&', '&amp;')}">{esc(s['menu_title'])}</a></li>
    <li><a href="/{sec}/bbs/notice.do">Notice</a></li></ul></aside>
  <div id="content">
    <div class="location"><ul>{crumbs}</ul></div>
    <h2 class="page_title">{esc(s['menu_title'])}</h2>
{content}
  </div>
</div>
{FOOTER}
</body>
</html>
"""


def release_html(r):
    r = resolved(r)
    sec = r["section"]
    paragraphs = "\n".join(f"        <p>{esc(p)}</p>" for p in r["body"])
    files = []
    for atch in r["attachments"]:
        a = ATTACHMENTS[atch]
        # Korean pages resolve their links against <base href>; English ones are root-relative.
        href = ("../" + download(atch).lstrip("/")) if sec == "kor" else download(atch)
        files.append(f'<li><a href="{esc(href)}" class="file_down">{esc(a["name"])}</a> '
                     f'<a href="/bbs/viewer.do?atchFileId={atch}&amp;fileSn=1" class="preview">바로보기</a></li>')
    file_block = (f'<div class="view_file"><dl><dt>첨부파일</dt><dd><ul>{"".join(files)}</ul></dd></dl></div>'
                  if files else "")
    content = f"""    <div class="board_view">
      <div class="view_head">
        <h3 class="title">{esc(r['title'])}</h3>
        <dl class="info">
          <dt>담당부서</dt><dd>{esc(r['dept'])}</dd>
          <dt>작성자</dt><dd>{esc(r['author'])}</dd>
          <dt>연락처</dt><dd>{esc(r['contact'])}</dd>
          <dt>등록일</dt><dd class="date">{esc(r['date_text'])}</dd>
        </dl>
      </div>
      <div class="view_cont">
{paragraphs}
      </div>
      {file_block}
      <div class="view_share"><span>Share</span><a href="#" onclick="share('facebook')">Facebook</a><a href="#" onclick="share('x')">X</a></div>
      <div class="view_nav"><a href="list.do?{esc(SECTIONS[sec]['query'])}" class="btn_list">List</a></div>
    </div>"""
    charset = r.get("meta_charset", r["encoding"])
    base = f"{BASE}/kor/" if sec == "kor" else None
    return page(sec, r["title"], content, charset, base).encode(r["encoding"])


def listing_html(sec, releases, page_index, pages, extra=""):
    s = SECTIONS[sec]
    rows = []
    for n, r in enumerate(releases):
        rr = resolved(r)
        href = "view.do?" + view_query(r) + r.get("link_suffix", "")
        rows.append(f'<tr><td class="num">{r["seq"]}</td><td class="subject"><a href="{esc(href)}">{esc(rr["title"])}</a></td>'
                    f'<td class="dept">{esc(rr["dept"])}</td><td class="date">{esc(rr["date"])}</td></tr>')
    paging = []
    for p in range(1, pages + 1):
        q = s["query"] + (f"&pageIndex={p}" if p > 1 else "")
        on = ' class="on"' if p == page_index else ""
        paging.append(f'<a href="list.do?{esc(q)}"{on}>{p}</a>')
    if page_index < pages:
        q = s["query"] + f"&pageIndex={page_index + 1}"
        paging.append(f'<a href="list.do?{esc(q)}" class="next">Next</a>')
    content = f"""    <table class="board_list"><caption>{esc(s['menu_title'])}</caption>
      <thead><tr><th>No.</th><th>Title</th><th>Department</th><th>Date</th></tr></thead>
      <tbody>{''.join(rows)}</tbody></table>
    <div class="paging">{''.join(paging)}</div>
{extra}"""
    return page(sec, s["menu_title"], content, s["charset_page"]).encode(s["listing_encoding"])


# ---------------------------------------------------------------- files

def wrap(ctx, text, width):
    words, lines, line = text.split(" "), [], ""
    for w in words:
        trial = (line + " " + w).strip()
        if ctx.text_extents(trial).x_advance > width and line:
            lines.append(line)
            line = w
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def make_pdf(recipe):
    spec = PDF_TEXTS[recipe]
    buf = io.BytesIO()
    surface = cairo.PDFSurface(buf, 595, 842)
    surface.set_metadata(cairo.PDFMetadata.TITLE, spec["title"])
    surface.set_metadata(cairo.PDFMetadata.AUTHOR, spec["author"])
    surface.set_metadata(cairo.PDFMetadata.SUBJECT, spec["subject"])
    surface.set_metadata(cairo.PDFMetadata.KEYWORDS, spec["keywords"])
    surface.set_metadata(cairo.PDFMetadata.CREATOR, "Trawl fixture generator")
    surface.set_metadata(cairo.PDFMetadata.CREATE_DATE, spec["created"])
    surface.set_metadata(cairo.PDFMetadata.MOD_DATE, spec["created"])
    ctx = cairo.Context(surface)
    for pi, paragraphs in enumerate(spec["pages"]):
        ctx.select_font_face(spec["font"], cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_NORMAL)
        y = 80
        for i, para in enumerate(paragraphs):
            ctx.set_font_size(18 if i == 0 else 12)
            for line in wrap(ctx, para, 475):
                ctx.move_to(60, y)
                ctx.show_text(line)
                y += 26 if i == 0 else 18
            y += 12
        ctx.set_font_size(9)
        ctx.move_to(280, 800)
        ctx.show_text(f"- {pi + 1} -")
        ctx.show_page()
    surface.finish()
    return buf.getvalue()


def make_hwpx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        info = zipfile.ZipInfo("mimetype", date_time=(2024, 1, 30, 0, 0, 0))
        z.writestr(info, "application/hwp+zip", compress_type=zipfile.ZIP_STORED)
        section = ('<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
                   'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"><hp:p><hp:run><hp:t>2024 R&amp;D budget tables'
                   '</hp:t></hp:run></hp:p></hs:sec>')
        z.writestr(zipfile.ZipInfo("Contents/section0.xml", date_time=(2024, 1, 30, 0, 0, 0)), section)
    return out.getvalue()


FIXED_TIME = (2024, 2, 28, 9, 0, 0)


def zip_entry(z, name, data, compress=zipfile.ZIP_DEFLATED):
    z.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), data, compress_type=compress)


def make_docx():
    """A Word document: paragraphs, a table, a footer and core properties."""
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

    def para(text):
        return f"<w:p><w:r><w:t xml:space=\"preserve\">{esc(text)}</w:t></w:r></w:p>"

    rows = "".join("<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in row) + "</w:tr>" for row in DOCX_TEXT["table"])
    body = "".join(para(p) for p in DOCX_TEXT["paragraphs"]) + f"<w:tbl>{rows}</w:tbl>"
    body += '<w:sectPr><w:footerReference w:type="default" r:id="rId2"/></w:sectPr>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        zip_entry(z, "[Content_Types].xml",
                  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                  '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
                  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>')
        zip_entry(z, "_rels/.rels",
                  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                  '</Relationships>')
        zip_entry(z, "word/_rels/document.xml.rels",
                  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
                  '</Relationships>')
        zip_entry(z, "word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W} {R}><w:body>{body}</w:body></w:document>')
        zip_entry(z, "word/footer1.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:ftr {W}>{para(DOCX_TEXT["footer"])}</w:ftr>')
        zip_entry(z, "docProps/core.xml",
                  '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
                  'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                  f'<dc:title>{esc(DOCX_TEXT["title"])}</dc:title><dc:creator>{esc(DOCX_TEXT["author"])}</dc:creator>'
                  '<dcterms:created xsi:type="dcterms:W3CDTF">2024-02-27T09:00:00Z</dcterms:created></cp:coreProperties>')
    return out.getvalue()


def make_hwp():
    """An HWP 5.0 document: paragraphs and a table, with its summary information."""
    h = hancom_writer
    records = [h.paragraph(p) for p in HWP_TEXT["paragraphs"]] + [h.table(HWP_TEXT["table"])]
    return h.hwp(records, HWP_TEXT["title"], HWP_TEXT["author"])


def make_zip_bundle():
    """A ZIP of annexes as agencies attach them: a DOCX, a PDF and a text file whose name is
    CP949 with the UTF-8 flag off (as Korean Windows archivers write it)."""
    korean_name = "부록_설치지역.txt".encode("cp949")
    placeholder = "X" * len(korean_name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        zip_entry(z, "annexes/Public_WiFi_Rollout_Plan.docx", make_docx())
        zip_entry(z, "annexes/KASA_NASA_Space_Cooperation.pdf", make_pdf("pdf-en-space"))
        zip_entry(z, placeholder, ZIP_MEMBER_TEXT.encode("cp949"))
    data = out.getvalue()
    # The name bytes sit in the local header and the central directory; same length, no CRC.
    assert data.count(placeholder.encode()) == 2
    return data.replace(placeholder.encode(), korean_name)


def make_hwpx_of(kind):
    """An HWPX package (OWPML: mimetype, content.hpf with its spine, one section) holding the
    paragraphs of a fixture PDF: the HWPX twin agencies attach beside the PDF."""
    spec = PDF_TEXTS[kind]
    paragraphs = [p for page in spec["pages"] for p in page]
    hp = 'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"'
    section = ('<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" ' + hp + '>'
               + "".join(f'<hp:p><hp:run><hp:t>{esc(p)}</hp:t></hp:run></hp:p>' for p in paragraphs) + '</hs:sec>')
    hpf = ('<?xml version="1.0" encoding="UTF-8"?><opf:package xmlns:opf="http://www.idpf.org/2007/opf/" version="">'
           f'<opf:metadata><opf:title>{esc(spec["title"])}</opf:title>'
           f'<opf:meta name="creator" content="text">{esc(spec["author"])}</opf:meta>'
           '<opf:meta name="CreatedDate" content="text">2024-01-25T01:00:00Z</opf:meta></opf:metadata>'
           '<opf:manifest><opf:item id="section0" href="Contents/section0.xml" media-type="application/xml"/></opf:manifest>'
           '<opf:spine><opf:itemref idref="section0" linear="yes"/></opf:spine></opf:package>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        zip_entry(z, "mimetype", "application/hwp+zip", zipfile.ZIP_STORED)
        zip_entry(z, "Contents/content.hpf", hpf)
        zip_entry(z, "Contents/section0.xml", section)
    return out.getvalue()


def attachment_bytes(atch):
    kind = ATTACHMENTS[atch]["kind"]
    if kind == "missing":
        return None
    if kind == "hwpx":
        return make_hwpx()
    if kind == "hwpx-ko-ai":
        return make_hwpx_of("pdf-ko-ai")
    if kind == "docx":
        return make_docx()
    if kind == "hwp":
        return make_hwp()
    if kind == "zip":
        return make_zip_bundle()
    if kind == "corrupt":
        good = make_pdf("pdf-en-budget")
        # A PDF header, then the middle of the file torn out: no xref, no trailer, no pages.
        return good[:300] + b"\x00\xff" * 64 + b"\n%%EOF\n"
    return make_pdf(kind)


# ---------------------------------------------------------------- expected values

def first_sentence(text):
    return text.split(". ")[0][:80]


def expected():
    out = []
    for r in RELEASES:
        rr = resolved(r)
        atts = []
        for atch in rr["attachments"]:
            a = ATTACHMENTS[atch]
            e = dict(filename=a["name"], url=f"{BASE}{download(atch)}")
            if a["kind"].startswith("pdf-"):
                spec = PDF_TEXTS[a["kind"]]
                e.update(media_type="application/pdf", pages=len(spec["pages"]), pdf_title=spec["title"],
                         pdf_author=spec["author"], pdf_created=spec["created"],
                         text_contains=[p[-1] for p in spec["pages"]] + [spec["pages"][0][1]])
            elif a["kind"] == "hwpx":
                e.update(media_type="application/hwp+zip", format="hwpx", text_contains=["2024 R&D budget tables"])
            elif a["kind"] == "hwpx-ko-ai":
                spec = PDF_TEXTS["pdf-ko-ai"]
                e.update(media_type="application/hwp+zip", format="hwpx", document_title=spec["title"],
                         text_contains=spec["pages"][0][1:],
                         duplicate_of_url=f"{BASE}{download('FILE_000000000812006')}")
            elif a["kind"] == "docx":
                e.update(format="docx", document_title=DOCX_TEXT["title"],
                         text_contains=DOCX_TEXT["paragraphs"] + DOCX_TEXT["table"][1] + [DOCX_TEXT["footer"]])
            elif a["kind"] == "hwp":
                e.update(media_type="application/x-hwp", format="hwp", document_title=HWP_TEXT["title"],
                         text_contains=HWP_TEXT["paragraphs"] + HWP_TEXT["table"][2])
            elif a["kind"] == "zip":
                e.update(media_type="application/zip", format="zip",
                         members=["annexes/Public_WiFi_Rollout_Plan.docx", "annexes/KASA_NASA_Space_Cooperation.pdf", "부록_설치지역.txt"],
                         text_contains=[DOCX_TEXT["paragraphs"][1], ZIP_MEMBER_TEXT, PDF_TEXTS["pdf-en-space"]["pages"][0][1]])
            elif a["kind"] == "missing":
                e.update(error="missing")
            elif a["kind"] == "corrupt":
                e.update(media_type="application/pdf", error="damaged")
            atts.append(e)
        out.append(dict(
            id=r["id"], url=f"{BASE}/{r['section']}/bbs/view.do?{view_query(r)}{r.get('link_suffix', '')}",
            canonical_url=f"{BASE}/{r['section']}/bbs/view.do?" + "&".join(sorted(view_query(r).split("&"))),
            title=rr["title"],
            published=rr["date"], language=SECTIONS[r["section"]]["lang"],
            fields=dict(department=rr["dept"], author=rr["author"], contact=rr["contact"]),
            text_starts_with=rr["body"][0], text_ends_with=rr["body"][-1],
            encoding="CP949" if rr["encoding"] == "euc-kr" else "UTF-8",
            attachments=atts, duplicate_of=r.get("repost_of")))
    return dict(
        comment="Generated by scripts/make-fixtures.py from scripts/fixture_content.py; the tests assert these values.",
        releases=out,
        boilerplate_absent=["Search Area", "Skip to content", "News & Notice", "KOGL", "Copyright Ministry",
                            "Facebook", "바로보기", "첨부파일", "TOP"])


def main():
    if os.path.exists(os.path.join(ROOT, "archive")):
        shutil.rmtree(os.path.join(ROOT, "archive"))
    for r in RELEASES:
        write(os.path.join(SITE, r["section"], "bbs", "view.do?" + view_query(r) + r.get("file_suffix", "")), release_html(r))
    for sec in SECTIONS:
        rel = sorted([r for r in RELEASES if r["section"] == sec], key=lambda r: -r["seq"])
        pages = (len(rel) + PER_PAGE - 1) // PER_PAGE
        for p in range(pages):
            chunk = rel[p * PER_PAGE:(p + 1) * PER_PAGE]
            extra = ""
            if sec == "eng" and p == pages - 1:
                # A "most read" box that links the first release again, with the query in
                # another order and a fragment: one canonical URL, one record.
                e1 = by_id("E1")
                extra = (f'    <div class="popular"><h4>Most read</h4><ul><li><a href="view.do?nttSeqNo={e1["seq"]}'
                         f'&amp;mPid=2&amp;sCode=eng&amp;mId=4#content">{esc(e1["title"])}</a></li></ul></div>')
            q = SECTIONS[sec]["query"] + (f"&pageIndex={p + 1}" if p else "")
            write(os.path.join(SITE, sec, "bbs", "list.do?" + q), listing_html(sec, chunk, p + 1, pages, extra))
    for atch in ATTACHMENTS:
        data = attachment_bytes(atch)
        if data is not None:
            write(os.path.join(SITE, "bbs", "download.do?" + f"atchFileId={atch}&fileSn=1"), data)
    write(os.path.join(ROOT, "extra", "budget-plan-reexport.pdf"), make_pdf("pdf-en-budget-reexport"))
    write(os.path.join(ROOT, "expected.json"), (json.dumps(expected(), ensure_ascii=False, indent=2) + "\n").encode())
    print("fixtures written to", os.path.normpath(ROOT))


if __name__ == "__main__":
    main()
