"""Page-dependent marks of a .docx, written as XML: continuation markers and page numbers.

An official document carries at the foot of every page but the last the first word of the
next page after a slash ("/ข้อ ๒..."), so that a reader sees at once that the text goes on and
a missing sheet shows. No Word or LibreOffice field yields "the first word of the next page",
so the word is computed from a layout (documents/continuation.py lays the document out with
LibreOffice) and written here:

- before the first paragraph that starts on page N, a framed paragraph positioned at the
  bottom right of the page: a frame is anchored to the paragraph after it and placed on
  that paragraph's page, and it is out of the text flow, so it changes no line of the memo;
- inside that paragraph, a hidden bookmark "_SarabanPageN" (names starting with "_" are
  hidden in Word), from which the preview copy draws the page number "- N -" in Thai
  digits: LibreOffice 7.4 cannot print a PAGE field in Thai digits (it ignores
  w:pgNumType w:fmt="thaiNumbers" and reads the ThaiArabic switch as Thai letters), Word can
  and keeps its PAGE field in the header.

Only paragraphs directly in the body are anchors; a page on which no such paragraph starts
(one that holds only the continuation of a long table) gets no mark.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
CM = 567
PAGE_BOOKMARK = "_SarabanPage"
MARK_BOOKMARK = "_SarabanNext"
LAYOUT_BOOKMARK = "SarabanP"  # the layout copy only: must survive as a PDF destination name
_BOOKMARK_ID_BASE = 70000
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@dataclass(frozen=True, slots=True)
class PageMark:
    """Page `page` (1-based) starts paragraph `anchor` (index among the body's children);
    `next_word` is the first word of the following page ("" on the last page)."""

    page: int
    anchor: int
    next_word: str


def _parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, etree.XMLParser(remove_blank_text=False, resolve_entities=False))


def _serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _body(root: etree._Element) -> etree._Element:
    body = root.find(f"{W}body")
    if body is None:
        raise ValueError("document.xml has no w:body")
    return body


def _is_frame(p: etree._Element) -> bool:
    return p.find(f"{W}pPr/{W}framePr") is not None


def _bookmark(p: etree._Element, name: str, ident: int) -> None:
    start = etree.Element(f"{W}bookmarkStart", {f"{W}id": str(ident), f"{W}name": name})
    end = etree.Element(f"{W}bookmarkEnd", {f"{W}id": str(ident)})
    ppr = p.find(f"{W}pPr")
    at = 0 if ppr is None else list(p).index(ppr) + 1
    p.insert(at, end)
    p.insert(at, start)


def strip_marks(document_xml: bytes) -> bytes:
    """The document without marks written by mark_document (to mark it again)."""
    root = _parse(document_xml)
    for start in list(root.iter(f"{W}bookmarkStart")):
        name = start.get(f"{W}name", "")
        if not name.startswith((PAGE_BOOKMARK, MARK_BOOKMARK, LAYOUT_BOOKMARK)):
            continue
        ident = start.get(f"{W}id")
        para = start.getparent()
        if name.startswith(MARK_BOOKMARK) and para is not None and para.getparent() is not None:
            para.getparent().remove(para)
            continue
        for end in list(root.iter(f"{W}bookmarkEnd")):
            if end.get(f"{W}id") == ident:
                end.getparent().remove(end)
        if para is not None:
            para.remove(start)
    return _serialize(root)


def layout_copy(document_xml: bytes) -> bytes:
    """document.xml with a bookmark "SarabanP<i>" at the start of every body paragraph, i
    being its index among the body's children (frames excluded)."""
    root = _parse(document_xml)
    for i, child in enumerate(_body(root)):
        if child.tag == f"{W}p" and not _is_frame(child):
            _bookmark(child, f"{LAYOUT_BOOKMARK}{i}", _BOOKMARK_ID_BASE + i)
    return _serialize(root)


_DEST = re.compile(rf'^\s*(\d+)\s+\[.*\]\s+"(?:5F)?{LAYOUT_BOOKMARK}(\d+)"\s*$')


def paragraph_pages(pdfinfo_dests: str) -> dict[int, int]:
    """{paragraph index: page} from the output of `pdfinfo -dests`."""
    pages = {}
    for line in pdfinfo_dests.splitlines():
        m = _DEST.match(line)
        if m:
            pages[int(m[2])] = int(m[1])
    return pages


_PAGE_NUMBER_LINE = re.compile(r"^-\s*[0-9๐-๙]+\s*-$")
_SECRECY = {"ลับที่สุด", "ลับมาก", "ลับ"}
_LABEL = re.compile(r"^(?:[0-9๐-๙]+(?:\.[0-9๐-๙]+)*\.?|\(?[0-9๐-๙]+\)|[-•])$")


def first_word(page_text: str) -> str:
    """The first word of a page's body text (pdftotext -raw), the way a typist writes it
    under the page before: a leading item label is kept with its word ("๒. ปลัด")."""
    for raw in page_text.splitlines():
        line = raw.strip()
        if not line or _PAGE_NUMBER_LINE.match(line) or line in _SECRECY:
            continue
        tokens = line.split()
        label = ""
        if len(tokens) > 1 and _LABEL.match(tokens[0]):
            label, tokens = tokens[0] + " ", tokens[1:]
        return label + _leading_word(tokens[0])
    return ""


def _leading_word(token: str) -> str:
    # Thai is written without spaces between words: a whitespace token can be a whole
    # clause. Its first dictionary word is what goes under the page.
    if not re.match("[\u0e01-\u0e4f]", token) or len(token) <= 6:
        return token
    from pythainlp.tokenize import word_tokenize

    words = [w for w in word_tokenize(token, engine="newmm") if w.strip()]
    return words[0] if words else token


def page_marks(pages_of: Mapping[int, int], page_texts: list[str]) -> list[PageMark]:
    """For each page, the first body paragraph that starts on it and the next page's word;
    page_texts[0] is page 1's text."""
    first_on: dict[int, int] = {}
    for index, page in sorted(pages_of.items()):
        first_on.setdefault(page, index)
    marks = []
    count = len(page_texts)
    for page in range(1, count + 1):
        if page not in first_on:
            continue
        word = first_word(page_texts[page]) if page < count else ""
        marks.append(PageMark(page, first_on[page], word))
    return marks


def _frame_paragraph(text: str, *, y: int, jc: str, bookmark: str, ident: int) -> etree._Element:
    size = '<w:sz w:val="32"/><w:szCs w:val="32"/>'
    xml = (
        f'<w:p xmlns:w="{W_NS}"><w:pPr><w:framePr w:w="{9 * 1000}" w:hSpace="0" w:wrap="around" '
        f'w:vAnchor="page" w:hAnchor="margin" w:xAlign="{"right" if jc == "right" else "center"}" w:y="{y}"/>'
        f'<w:spacing w:before="0" w:after="0"/><w:jc w:val="{jc}"/><w:rPr>{size}</w:rPr></w:pPr>'
        f'<w:bookmarkStart w:id="{ident}" w:name="{bookmark}"/><w:bookmarkEnd w:id="{ident}"/>'
        f'<w:r><w:rPr>{size}<w:lang w:val="th-TH" w:eastAsia="th-TH" w:bidi="th-TH"/></w:rPr>'
        f'<w:t xml:space="preserve">{_escape(text)}</w:t></w:r></w:p>'
    )
    return etree.fromstring(xml)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _page_height_and_bottom(root: etree._Element) -> tuple[int, int]:
    sect = _body(root).find(f"{W}sectPr")
    height, bottom = 16838, 1134
    if sect is not None:
        size = sect.find(f"{W}pgSz")
        margin = sect.find(f"{W}pgMar")
        if size is not None and size.get(f"{W}h"):
            height = int(size.get(f"{W}h", height))
        if margin is not None and margin.get(f"{W}bottom"):
            bottom = int(margin.get(f"{W}bottom", bottom))
    return height, bottom


def mark_document(document_xml: bytes, marks: list[PageMark]) -> bytes:
    """document.xml with the continuation markers and the page bookmarks of `marks`."""
    root = _parse(strip_marks(document_xml))
    body = _body(root)
    children = list(body)
    height, bottom = _page_height_and_bottom(root)
    # The marker sits in the bottom margin, its baseline about 1.3 cm above the paper's edge:
    # below the last line of text, above the footer's secrecy mark.
    y = height - bottom + round(0.35 * CM)
    for n, mark in enumerate(marks):
        if mark.anchor >= len(children):
            continue
        anchor = children[mark.anchor]
        if mark.page > 1:
            _bookmark(anchor, f"{PAGE_BOOKMARK}{mark.page}", _BOOKMARK_ID_BASE - 1 - 2 * n)
        if mark.next_word:
            frame = _frame_paragraph(
                f"/{mark.next_word}...",
                y=y,
                jc="right",
                bookmark=f"{MARK_BOOKMARK}{mark.page}",
                ident=_BOOKMARK_ID_BASE - 2 - 2 * n,
            )
            anchor.addprevious(frame)
    return _serialize(root)


_PAGE_BOOKMARK_RE = re.compile(rf"^{PAGE_BOOKMARK}(\d+)$")


def has_page_marks(document_xml: bytes) -> bool:
    return PAGE_BOOKMARK.encode() in document_xml


def number_pages_for_preview(document_xml: bytes, header_top: int) -> bytes:
    """The preview copy's page numbers: "- ๒ -" in a frame at the top centre of every page
    that has a page bookmark (see the module's docstring)."""
    root = _parse(document_xml)
    for i, start in enumerate(list(root.iter(f"{W}bookmarkStart"))):
        m = _PAGE_BOOKMARK_RE.match(start.get(f"{W}name", ""))
        para = start.getparent()
        if not m or para is None:
            continue
        label = f"- {m[1].translate(THAI_DIGITS)} -"
        para.addprevious(_frame_paragraph(label, y=header_top, jc="center", bookmark=f"_Preview{i}", ident=80000 + i))
    return _serialize(root)


_PAGE_FIELD_PARA = re.compile(
    rb"(<w:p>(?:(?!</w:p>).)*?</w:pPr>)((?:(?!</w:p>).)*?<w:instrText[^>]*>\s*PAGE\b[^<]*</w:instrText>.*?)(</w:p>)",
    re.S,
)


def drop_page_field(header_xml: bytes) -> bytes:
    """A header whose PAGE field paragraph is emptied: its runs go, its height (which keeps
    the body of pages 2 on at their top margin) stays."""
    return _PAGE_FIELD_PARA.sub(lambda m: m[1] + m[3], header_xml)
