"""The บันทึกข้อความ and the circular directive as .docx, laid out as memo-format.md requires.

How it stays fast: everything that does not depend on the memo's text (page set-up, trimmed
styles with the Thai docDefaults, headers and footers with the secrecy mark and page number,
the emblem image) is built once per process into a template package and cached as bytes.
A build opens that small package, writes the body as one XML string — run properties are
cached strings, not elements built run by run — parses it once and saves. python-docx's
default template carries two 430 KB style parts that dominate Document()+save(); the cached
template drops them, so a whole memo builds in about the time of an empty Document()+save().
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as _xml_escape

from django.conf import settings

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement

from .data import (
    DirectiveDoc,
    Endorsement,
    LetterDoc,
    MemoDoc,
    Receipt,
    RegisterRow,
    Section,
    Signature,
    directive_body_text,
)
from .thai import thai_date, thai_time, to_thai_digits

# --- Geometry (twips: 1 cm = 567) ----------------------------------------------------------

CM = 567
PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_LEFT, MARGIN_RIGHT = 3 * CM, 2 * CM
HEADER_DIST = FOOTER_DIST = round(1.0 * CM)
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
BODY_INDENT = round(2.5 * CM)
LEVEL_STEP = round(0.6 * CM)
SIGN_INDENT = round(6.5 * CM)
EMBLEM_HEIGHT_CM = 1.5
DATE_TAB = round(8.0 * CM)

# Sizes in half-points, as w:sz wants them.
BODY = 32  # 16 pt
LABEL = 40  # 20 pt: header-field labels
HEADING = 58  # 29 pt: "บันทึกข้อความ"
URGENCY = 64  # 32 pt, the regulation's minimum
SECRECY = 40
STAMP = 22  # 11 pt: receipt stamps are small rubber stamps
NOTE = 28  # 14 pt: notes and decisions written on the memo

RED = "FF0000"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NSDECL = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)

URGENCY_LEVELS = ("ด่วนที่สุด", "ด่วนมาก", "ด่วน")
SECRECY_LEVELS = ("ลับที่สุด", "ลับมาก", "ลับ")

# XML 1.0 cannot hold C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/FFFF.
# Zero-width spaces and BOMs are legal XML but break search in Word and LibreOffice, and
# both programs break Thai lines by dictionary anyway (memo-format.md).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\u200b\ufeff]")


def issuing_unit(unit_line: str) -> str:
    """The unit's name without the contact details the ส่วนราชการ line carries in brackets."""
    line = clean_text(unit_line).strip()
    return line.split("(", 1)[0].strip() or line


def clean_text(value: object) -> str:
    """User text made safe to store in OOXML: illegal characters dropped, tabs made spaces."""
    text = _XML_ILLEGAL.sub("", str(value))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def _esc(text: str) -> str:
    return _xml_escape(clean_text(text), {'"': "&quot;"})


# --- Settings -----------------------------------------------------------------------------
# memo-format.md marks the top and bottom margins and the space before paragraphs as
# values agencies use without a primary text: they are settings with those defaults.


def _setting_float(name: str, default: float) -> float:
    try:
        return float(getattr(settings, name, default))
    except (TypeError, ValueError):
        return default


def _margins() -> tuple[int, int]:
    """(top, bottom) in twips."""
    return (
        round(_setting_float("DOCUMENT_MARGIN_TOP_CM", 2.5) * CM),
        round(_setting_float("DOCUMENT_MARGIN_BOTTOM_CM", 2.0) * CM),
    )


def _emblem_top() -> int:
    """Page one's top margin in twips: where the emblem's top sits (the guide: about 1.5 cm)."""
    return round(_setting_float("DOCUMENT_EMBLEM_TOP_CM", 1.5) * CM)


def _line_spacing() -> int:
    """Line spacing in 240ths of a line (w:spacing w:line, lineRule auto).

    0.9 by default: with single spacing the reference memo takes four pages in the preview
    (18.1 pt a line, 42 lines a page), its paper three; at 0.9 it takes three, page one
    breaks where the paper's continuation word says ("ข้อเท็จจริง...") and page two one
    paragraph after the paper's ("๔. ดำเนินการ..."). TH Sarabun's line in Word (from the font's win
    metrics) is taller than LibreOffice's, so 0.9 leaves the stacked marks their room.
    """
    return max(120, round(_setting_float("DOCUMENT_LINE_SPACING", 0.9) * 240))


def _space_before() -> int:
    return max(0, round(_setting_float("DOCUMENT_PARAGRAPH_SPACE_BEFORE_PT", 6.0) * 20))


def font_family() -> str:
    return str(getattr(settings, "DOCUMENT_FONT_FAMILY", "") or "TH SarabunPSK")


def _emblem_path() -> str:
    return str(getattr(settings, "DOCUMENT_EMBLEM_PATH", "") or "")


def emblem_warning() -> str | None:
    """Why documents go out without the Garuda emblem, for the admin; None when it is fine."""
    path = _emblem_path()
    if not path:
        return (
            "ยังไม่ได้กำหนดไฟล์ตราครุฑ (DOCUMENT_EMBLEM_PATH): บันทึกข้อความจะเว้นที่ว่างไว้แทนตราครุฑ "
            "โปรดกำหนดไฟล์ภาพตราครุฑของหน่วยงาน (PNG หรือ JPEG)"
        )
    if not os.path.isfile(path):
        return f"ไม่พบไฟล์ตราครุฑตามที่กำหนดไว้ใน DOCUMENT_EMBLEM_PATH ({path}): บันทึกข้อความจะเว้นที่ว่างไว้แทนตราครุฑ"
    if _emblem_drawing_probe(path) is None:
        return f"ไฟล์ตราครุฑ ({path}) ไม่ใช่ภาพที่ใช้ได้ (ต้องเป็น PNG, JPEG, GIF, BMP หรือ TIFF): บันทึกข้อความจะเว้นที่ว่างไว้แทนตราครุฑ"
    return None


def _emblem_drawing_probe(path: str) -> object | None:
    from docx.image.image import Image

    try:
        return Image.from_file(path)
    except Exception:  # any unreadable or unknown image means "no emblem", never a failed build
        return None


# --- XML snippets ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _rpr(family: str, size: int, bold: bool = False, color: str = "") -> str:
    # Every run carries the complex-script slots: Word and LibreOffice take a Thai run's
    # font, size and weight from cs/szCs/bCs and ignore the plain ones.
    f = _esc(family)
    return (
        f'<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'
        + ("<w:b/><w:bCs/>" if bold else "")
        + (f'<w:color w:val="{color}"/>' if color else "")
        + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        + '<w:lang w:val="th-TH" w:eastAsia="th-TH" w:bidi="th-TH"/></w:rPr>'
    )


@functools.lru_cache(maxsize=64)
def _rpr_latin(family: str, size: int, bold: bool = False, color: str = "") -> str:
    # URLs and e-mail addresses: marked English so that Thai dictionary line breaking does
    # not cut them in the middle of a word, which a reader would then type wrongly.
    return _rpr(family, size, bold, color).replace('w:lang w:val="th-TH"', 'w:lang w:val="en-US"')


_LATIN_TOKEN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:)]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    # English words and codes inside Thai text ("Coaching & Mentoring", "HRD 64"): marked
    # English, LibreOffice's Thai line breaking no longer cuts them ("S kill" was seen).
    r"|[A-Za-z][A-Za-z0-9'’/-]*(?:[ &]+[A-Za-z0-9][A-Za-z0-9'’/-]*)*",
    re.ASCII,
)
_HAS_LATIN = re.compile("[A-Za-z@]")


@dataclass(frozen=True, slots=True)
class _Tab:
    val: str  # left | center | right
    pos: int
    leader: str = ""  # "dot" for the header fields' dotted lines


class _Writer:
    """Accumulates body XML as strings; one parse at the end."""

    def __init__(self, family: str) -> None:
        self.family = family
        self.before = _space_before()
        self.out: list[str] = []

    def run(self, text: str, size: int = BODY, *, bold: bool = False, color: str = "") -> str:
        cleaned = clean_text(text)
        if _HAS_LATIN.search(cleaned) and _LATIN_TOKEN.search(cleaned):
            out, pos = [], 0
            for m in _LATIN_TOKEN.finditer(cleaned):
                if m.start() > pos:
                    out.append(self._run(cleaned[pos : m.start()], _rpr(self.family, size, bold, color)))
                out.append(self._run(m.group(0), _rpr_latin(self.family, size, bold, color)))
                pos = m.end()
            if pos < len(cleaned):
                out.append(self._run(cleaned[pos:], _rpr(self.family, size, bold, color)))
            return "".join(out)
        return self._run(cleaned, _rpr(self.family, size, bold, color))

    @staticmethod
    def _run(cleaned: str, rpr: str) -> str:
        if "\n" not in cleaned:
            return f'<w:r>{rpr}<w:t xml:space="preserve">{_xml_escape(cleaned)}</w:t></w:r>'
        pieces = [f'<w:t xml:space="preserve">{_xml_escape(line)}</w:t>' for line in cleaned.split("\n")]
        return f"<w:r>{rpr}" + "<w:br/>".join(pieces) + "</w:r>"

    def tab(self, size: int = BODY, *, bold: bool = False) -> str:
        return f"<w:r>{_rpr(self.family, size, bold)}<w:tab/></w:r>"

    def para(
        self,
        runs: str,
        *,
        jc: str = "thaiDistribute",
        first_line: int = 0,
        left: int = 0,
        hanging: int = 0,
        before: int = 0,
        after: int = 0,
        tabs: Sequence[_Tab] = (),
        keep_next: bool = False,
        mark_size: int = BODY,
        line: tuple[int, str] | None = None,
        frame: str = "",
        border: bool = False,
        append: bool = True,
    ) -> str:
        ppr = ["<w:pPr>"]
        if keep_next:
            ppr.append("<w:keepNext/><w:keepLines/>")
        if frame:
            ppr.append(frame)
        if border:
            edge = 'w:val="single" w:sz="6" w:space="2" w:color="auto"'
            ppr.append(f"<w:pBdr><w:top {edge}/><w:left {edge}/><w:bottom {edge}/><w:right {edge}/></w:pBdr>")
        if tabs:
            ppr.append("<w:tabs>")
            for t in tabs:
                leader = f' w:leader="{t.leader}"' if t.leader else ""
                ppr.append(f'<w:tab w:val="{t.val}"{leader} w:pos="{t.pos}"/>')
            ppr.append("</w:tabs>")
        spacing = f'<w:spacing w:before="{before}" w:after="{after}"'
        if line:
            spacing += f' w:line="{line[0]}" w:lineRule="{line[1]}"'
        ppr.append(spacing + "/>")
        if first_line or left or hanging:
            ind = f'<w:ind w:left="{left}"'
            if hanging:
                ind += f' w:hanging="{hanging}"'
            elif first_line:
                ind += f' w:firstLine="{first_line}"'
            ppr.append(ind + "/>")
        ppr.append(f'<w:jc w:val="{jc}"/>')
        ppr.append(_rpr(self.family, mark_size))
        ppr.append("</w:pPr>")
        xml = "<w:p>" + "".join(ppr) + runs + "</w:p>"
        if append:
            self.out.append(xml)
        return xml

    def blank(self, size: int = BODY, *, keep_next: bool = False) -> None:
        self.para("", jc="left", keep_next=keep_next, mark_size=size)


# --- Template (cached per family, secrecy and emblem) --------------------------------------


@dataclass(frozen=True, slots=True)
class _Template:
    blob: bytes
    emblem_xml: str  # the <w:drawing> of the emblem, "" when there is none


def _template(family: str, secrecy: str, emblem_cm: float = EMBLEM_HEIGHT_CM) -> _Template:
    path = _emblem_path()
    try:
        stamp = os.stat(path).st_mtime_ns if path else 0
    except OSError:
        stamp = -1
    return _cached_template(family, secrecy, path, stamp, _margins(), _emblem_top(), _line_spacing(), emblem_cm)


@functools.lru_cache(maxsize=32)
def _cached_template(
    family: str,
    secrecy: str,
    emblem_path: str,
    emblem_mtime: int,
    margins: tuple[int, int],
    emblem_top: int,
    line: int,
    emblem_cm: float = EMBLEM_HEIGHT_CM,
) -> _Template:
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from docx.oxml.parser import parse_xml

    doc = Document()
    part = doc.part

    # Parts a memo never uses; the two style parts alone are 870 KB to parse and deflate.
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype in (
            RT.NUMBERING,
            RT.WEB_SETTINGS,
            RT.CUSTOM_XML,
            "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
        ):
            del part.rels[rel_id]
    pkg_rels = part.package.rels
    for rel_id, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg_rels[rel_id]

    styles = doc.styles.element
    for child in list(styles):
        unused_style = child.tag == qn("w:style") and child.get(qn("w:default")) != "1"
        if unused_style or child.tag == qn("w:latentStyles"):
            styles.remove(child)
    doc_defaults = styles.find(qn("w:docDefaults"))
    if doc_defaults is not None:
        styles.remove(doc_defaults)
    line = _line_spacing()
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {_NSDECL}><w:rPrDefault>{_rpr(family, BODY)}</w:rPrDefault>"
            f'<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="{line}" w:lineRule="auto"/>'
            '<w:jc w:val="thaiDistribute"/></w:pPr></w:pPrDefault></w:docDefaults>'
        ),
    )
    normal = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']")
    if normal is not None:
        for child in list(normal):
            if child.tag in (qn("w:pPr"), qn("w:rPr")):
                normal.remove(child)
        normal.append(parse_xml(f'<w:pPr {_NSDECL}><w:jc w:val="thaiDistribute"/></w:pPr>'))
        normal.append(parse_xml(_rpr(family, BODY).replace("<w:rPr>", f"<w:rPr {_NSDECL}>", 1)))

    settings_el = doc.settings.element
    for child in list(settings_el):
        if child.tag in (qn("w:themeFontLang"), qn("w:rsids"), qn("w:savePreviewPicture"), qn("w:proofState")):
            settings_el.remove(child)
        elif child.tag == qn("w:zoom"):
            # python-docx's template opens at "best fit"; a memo opens at 100 %.
            for attr in list(child.attrib):
                child.attrib.pop(attr)
            child.set(qn("w:percent"), "100")

    core = doc.core_properties
    core.author = ""
    core.comments = ""
    core.language = "th-TH"

    section = doc.sections[0]
    sect = section._sectPr
    pg_sz = sect.find(qn("w:pgSz"))
    pg_mar = sect.find(qn("w:pgMar"))
    assert pg_sz is not None and pg_mar is not None
    pg_sz.set(qn("w:w"), str(PAGE_W))
    pg_sz.set(qn("w:h"), str(PAGE_H))
    for name, val in (
        # Page one: the emblem's top at the guided 1.5 cm from the paper's edge. Later pages
        # start their text at the configured top margin (2.5 cm): their header, with the page
        # number, is made that tall (_page_number_para), which pushes the body down in Word and
        # LibreOffice alike.
        ("top", emblem_top),
        ("bottom", margins[1]),
        ("left", MARGIN_LEFT),
        ("right", MARGIN_RIGHT),
        ("header", HEADER_DIST),
        ("footer", FOOTER_DIST),
        ("gutter", 0),
    ):
        pg_mar.set(qn(f"w:{name}"), str(val))
    for attr in list(sect.attrib):
        sect.attrib.pop(attr)
    # Page numbers in Thai digits, read alike by Word and LibreOffice (sectPr order: after
    # pgMar and before cols).
    for old in sect.findall(qn("w:pgNumType")):
        sect.remove(old)
    pg_mar.addnext(parse_xml(f'<w:pgNumType {_NSDECL} w:fmt="thaiNumbers"/>'))

    w = _Writer(family)
    section.different_first_page_header_footer = True
    # Page one carries no number; it still needs its own (possibly empty) header so that
    # the numbered default header does not appear there.
    first = section.first_page_header._element
    default = section.header._element
    secrecy_para = (
        w.para(w.run(secrecy, SECRECY, bold=True, color=RED), jc="center", mark_size=SECRECY, append=False)
        if secrecy
        else ""
    )
    _replace_children(first, secrecy_para or w.para("", jc="center", append=False))
    _replace_children(default, secrecy_para + _page_number_para(w, margins[0]))
    if secrecy:
        _replace_children(section.first_page_footer._element, secrecy_para)
        _replace_children(section.footer._element, secrecy_para)

    emblem_xml = ""
    if emblem_path and emblem_mtime > 0 and _emblem_drawing_probe(emblem_path) is not None:
        from docx.shared import Cm
        from lxml import etree

        inline = part.new_pic_inline(emblem_path, height=Cm(emblem_cm))
        emblem_xml = "<w:drawing>" + etree.tostring(inline, encoding="unicode") + "</w:drawing>"

    buf = io.BytesIO()
    doc.save(buf)
    return _Template(_replace_app_properties(buf.getvalue()), emblem_xml)


APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>ระบบสารบรรณอิเล็กทรอนิกส์</Application><DocSecurity>0</DocSecurity></Properties>"
).encode()


def _replace_app_properties(blob: bytes) -> bytes:
    """python-docx's template says it was written by "Microsoft Macintosh Word" with one
    page and no words; the package says which system made it and nothing it cannot know."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = APP_XML if info.filename == "docProps/app.xml" else source.read(info.filename)
            target.writestr(info, data)
    return out.getvalue()


PAGE_NUMBER_LINE = 425  # twips (0.75 cm): the page number's line, exact


def _page_number_para(w: _Writer, text_top: int) -> str:
    # "- ๒ -": a plain PAGE field; the section's page-number format (w:pgNumType
    # w:fmt="thaiNumbers") makes Word print it in Thai digits. (The field's ThaiArabic switch,
    # used before, is read by LibreOffice as Thai letters: "- ข -"; LibreOffice 7.4 ignores
    # thaiNumbers, so the preview draws the numbers itself: documents/pagination.py.)
    # The cached result is what a reader without field update sees. Space after the line
    # brings the body of pages 2 on down to text_top.
    r = _rpr(w.family, BODY)
    field = (
        f'<w:r>{r}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{r}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{r}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{r}<w:t>๒</w:t></w:r>"
        f'<w:r>{r}<w:fldChar w:fldCharType="end"/></w:r>'
    )
    after = max(0, text_top - HEADER_DIST - PAGE_NUMBER_LINE)
    return w.para(
        w.run("- ") + field + w.run(" -"), jc="center", line=(PAGE_NUMBER_LINE, "exact"), after=after, append=False
    )


def _replace_children(element: BaseOxmlElement, xml: str) -> None:
    from docx.oxml.parser import parse_xml

    for child in list(element):
        element.remove(child)
    for child in parse_xml(f"<w:hdr {_NSDECL}>{xml}</w:hdr>"):
        element.append(child)


# --- Shared pieces of both documents --------------------------------------------------------


STAMP_COLUMNS = 2
STAMP_MAX = 8  # boxes; past that one line says how many units received the memo
STAMP_WIDTH = round(2.8 * CM)
STAMP_GAP = round(0.2 * CM)
STAMP_LINE = 250  # twips, exact: 11 pt text
STAMP_TOP = round(0.3 * CM)
STAMP_NAME_CHARS = 14  # characters of a unit name a box line holds at 11 pt, counted short


def _stamp_name_lines(name: str) -> int:
    return min(3, max(1, -(-len(name) // STAMP_NAME_CHARS)))


def _receipt_stamps(w: _Writer, receipts: Sequence[Receipt]) -> int:
    """Receipt stamps in a grid right of the heading, two to a row, as framed paragraphs;
    returns how far (twips from the paper's top) the grid reaches.

    A frame (w:framePr) is positioned on the page and taken out of the text flow. The grid
    starts in the top margin and stays right of the centred heading (columns of 2.8 cm
    from the right margin inward, the heading ends 2.2 cm right of the centre); the heading
    line is given room below so that a grid taller than it never runs into the header
    fields (_heading). A long unit name wraps inside its box: every box of a row is as tall
    as that row's longest name needs. Past STAMP_MAX receipts one line "รับแล้ว N หน่วยงาน
    ดูทะเบียน" stands under the grid instead of more boxes.
    """
    shown = list(receipts[:STAMP_MAX])
    y = STAMP_TOP
    for start in range(0, len(shown), STAMP_COLUMNS):
        row = shown[start : start + STAMP_COLUMNS]
        name_lines = max(_stamp_name_lines(clean_text(r.unit_short).strip()) for r in row)
        height = (name_lines + 3) * STAMP_LINE + 200  # the border and its padding
        for col, receipt in enumerate(row):
            x = TEXT_W - (col + 1) * STAMP_WIDTH - col * STAMP_GAP
            frame = (
                f'<w:framePr w:w="{STAMP_WIDTH}" w:h="{height}" w:hRule="exact" w:hSpace="0" w:wrap="around" '
                f'w:vAnchor="page" w:hAnchor="margin" w:x="{x}" w:y="{y}"/>'
            )
            received = receipt.received_at
            name = clean_text(receipt.unit_short).strip()
            lines = (
                (name, True),
                (f"เลขรับ {to_thai_digits(receipt.number)}", False),
                (f"วันที่ {thai_date(received, abbreviated=True)}", False),
                (f"เวลา {thai_time(received)}", False),
            )
            for text, bold in lines:
                w.para(
                    w.run(text, STAMP, bold=bold),
                    jc="center",
                    frame=frame,
                    border=True,
                    mark_size=STAMP,
                    line=(STAMP_LINE, "exact"),
                )
        y += height + STAMP_GAP
    if len(receipts) > STAMP_MAX:
        width = STAMP_COLUMNS * STAMP_WIDTH + (STAMP_COLUMNS - 1) * STAMP_GAP
        frame = (
            f'<w:framePr w:w="{width}" w:hSpace="0" w:wrap="around" w:vAnchor="page" w:hAnchor="margin" '
            f'w:x="{TEXT_W - width}" w:y="{y}"/>'
        )
        text = f"รับแล้ว {to_thai_digits(len(receipts))} หน่วยงาน ดูทะเบียน"
        w.para(w.run(text, STAMP, bold=True), jc="center", frame=frame, mark_size=STAMP, line=(STAMP_LINE, "exact"))
        y += STAMP_LINE + STAMP_GAP
    return y if receipts else 0


def _heading(w: _Writer, emblem_xml: str, urgency: str, *, clear_to: int = 0) -> None:
    """Emblem top left, "บันทึกข้อความ" centred on the same line, urgency between them.

    The line is at least the emblem's height even without an emblem, so a document made
    before the agency configures its emblem has the same layout, with the space kept.
    """
    runs = ""
    if emblem_xml:
        runs += f"<w:r>{_rpr(w.family, BODY)}{emblem_xml}</w:r>"
    tabs = [_Tab("center", TEXT_W // 2)]
    urgency = clean_text(urgency).strip()
    short_urgency = urgency and len(urgency) <= 12
    if urgency and not short_urgency:
        # "ด่วนภายใน <date>" does not fit beside the heading: it takes its own line above.
        w.para(w.run(urgency, URGENCY, bold=True, color=RED), jc="left", mark_size=URGENCY)
    if short_urgency:
        tabs.insert(0, _Tab("left", round(2.0 * CM)))
        runs += w.tab(URGENCY) + w.run(urgency, URGENCY, bold=True, color=RED)
    runs += w.tab(HEADING, bold=True) + w.run("บันทึกข้อความ", HEADING, bold=True)
    line_min = round(EMBLEM_HEIGHT_CM * CM) + 120
    # Room under the heading for a grid of receipt stamps taller than the heading's line.
    after = max(60, clear_to - (_emblem_top() + line_min))
    w.para(runs, jc="left", tabs=tabs, mark_size=HEADING, line=(line_min, "atLeast"), after=after)


def _field(w: _Writer, label: str, value: str, *, before: int = 0) -> None:
    """ "ส่วนราชการ <value> ......" — label 20 pt bold, value 16 pt, dots to the right margin."""
    runs = w.run(label, LABEL, bold=True) + w.run(" " + value if value else " ") + w.tab()
    w.para(runs, jc="left", tabs=[_Tab("right", TEXT_W, "dot")], before=before)


def _number_date_line(w: _Writer, number: str, date: object) -> None:
    date_text = thai_date(date) if date is not None else ""  # type: ignore[arg-type]
    number_text = to_thai_digits(clean_text(number).strip())
    runs = (
        w.run("ที่", LABEL, bold=True)
        + w.run(" " + number_text if number_text else " ")
        + w.tab()
        + w.run("วันที่", LABEL, bold=True)
        + w.run(" " + date_text if date_text else " ")
        + w.tab()
    )
    tabs = [_Tab("left", DATE_TAB, "dot"), _Tab("right", TEXT_W, "dot")]
    w.para(runs, jc="left", tabs=tabs)


def _salutation(w: _Writer, addressee: str) -> None:
    w.para(w.run("เรียน") + w.run(" " + clean_text(addressee).strip()), before=w.before * 2)


def _attachments(w: _Writer, attachments: Sequence[str]) -> None:
    items = [clean_text(a).strip() for a in attachments if clean_text(a).strip()]
    if not items:
        return
    label_w = round(2.75 * CM)
    tabs = [_Tab("left", label_w)]
    for i, item in enumerate(items):
        text = item if len(items) == 1 else f"{to_thai_digits(i + 1)}. {item}"
        label = w.run("สิ่งที่ส่งมาด้วย") if i == 0 else ""
        w.para(
            label + w.tab() + w.run(text),
            left=label_w,
            hanging=label_w,
            tabs=tabs,
            before=w.before if i == 0 else 0,
        )


def _signature(w: _Writer, signature: Signature | None) -> None:
    if signature is None:
        return
    # Room for the hand signature (or, under the 2564 amendment, none is needed); the block
    # is kept on one page with the paragraph before it.
    w.blank(keep_next=True)
    w.blank(keep_next=True)
    lines = [clean_text(signature.name_line).strip()] + [clean_text(p).strip() for p in signature.position_lines]
    for i, text in enumerate(lines):
        w.para(w.run(text), jc="center", left=SIGN_INDENT, keep_next=i < len(lines) - 1)


def _signature_and_endorsements(w: _Writer, signature: Signature | None, endorsements: Sequence[Endorsement]) -> None:
    """The signature, then the notes and the decision written on the memo.

    The notes follow the signature two to a row, in the order they were written, in a
    borderless table of two columns at NOTE size: on paper they are written small in the room
    below the signature. Rows may split across a page, so a note never pushes a page ahead.
    """
    _signature(w, signature)
    if not endorsements:
        return
    w.blank(NOTE)
    half = TEXT_W // 2
    cells = [_endorsement_cell(w, e, first=i < 2) for i, e in enumerate(endorsements)]
    if len(cells) % 2:
        cells.append(w.para("", mark_size=NOTE, append=False))
    rows = []
    for i in range(0, len(cells), 2):
        rows.append(
            f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{half}" w:type="dxa"/></w:tcPr>{cells[i]}</w:tc>'
            f'<w:tc><w:tcPr><w:tcW w:w="{TEXT_W - half}" w:type="dxa"/></w:tcPr>{cells[i + 1]}</w:tc></w:tr>'
        )
    none = 'w:val="nil"'
    borders = "".join(f"<w:{edge} {none}/>" for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    w.out.append(
        f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="170" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{TEXT_W - half}"/></w:tblGrid>'
        + "".join(rows)
        + "</w:tbl>"
    )


def _endorsement_cell(w: _Writer, e: Endorsement, *, first: bool = False) -> str:
    """One note or decision as written on the memo: its lines, room for the signature, the
    signer and the date, at NOTE size (a note is written small in the room the memo leaves,
    not typed like the body)."""
    parts = [] if first else [w.para("", jc="left", before=w.before, mark_size=NOTE, append=False)]
    hang = round(0.4 * CM)
    for line in e.lines:
        text = clean_text(line).strip()
        if not text:
            continue
        is_item = text.startswith("-")
        parts.append(
            w.para(
                w.run(text, NOTE),
                jc="left",
                left=hang if is_item else 0,
                hanging=hang if is_item else 0,
                mark_size=NOTE,
                append=False,
            )
        )
    parts.append(w.para("", jc="left", mark_size=NOTE, append=False))
    sig = e.signature
    lines = [sig.name_line, *sig.position_lines]
    if e.signed_on is not None:
        lines.append(thai_date(e.signed_on, abbreviated=True))
    for text in lines:
        parts.append(w.para(w.run(clean_text(text).strip(), NOTE), jc="center", mark_size=NOTE, append=False))
    return "".join(parts)


def _section(w: _Writer, section: Section, extra: Iterable[tuple[str, str, int]] = ()) -> None:
    heading = clean_text(section.heading).strip()
    intro = clean_text(section.intro).strip()
    if heading or intro:
        runs = w.run(heading, bold=True) if heading else ""
        if intro:
            runs += w.run((" " if heading else "") + intro)
        w.para(runs, first_line=BODY_INDENT, before=w.before, keep_next=not intro)
    for block in section.blocks:
        _block(w, block.label, block.text, block.level)
    for label, text, level in extra:
        _block(w, label, text, level)


def _block(w: _Writer, label: str, text: str, level: int) -> None:
    label = clean_text(label).strip()
    body = clean_text(text).strip()
    first = BODY_INDENT + max(0, level) * LEVEL_STEP
    content = f"{label} {body}" if label else body
    # The OPM layout sets space before a new item ("๑.", "๒.") and a section, not before
    # the sub-items and bullets under an item nor a paragraph that continues it: 6 pt before
    # every paragraph made the reference memo a page longer than its paper.
    numbered = level <= 0 and bool(label) and label[0] in "0123456789๐๑๒๓๔๕๖๗๘๙"
    w.para(w.run(content), first_line=first, before=w.before if numbered else 0)


def _core_properties(doc: object, title: str, author: str) -> None:
    """Title = the subject, author = the issuing unit, created = modified = now, th-TH; none
    of python-docx's template values (its 2013 dates, its author) are left."""
    import datetime as dt

    core = doc.core_properties  # type: ignore[attr-defined]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core.title = clean_text(title)[:250]
    core.author = clean_text(author)[:250]
    core.last_modified_by = core.author
    core.created = now
    core.modified = now
    core.revision = 1
    core.language = "th-TH"
    for name in ("subject", "keywords", "comments", "category", "content_status", "identifier", "version"):
        setattr(core, name, "")


def _finish(template: _Template, w: _Writer, title: str, author: str = "", *, landscape: bool = False) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.oxml.parser import parse_xml

    doc = Document(io.BytesIO(template.blob))
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    if landscape and sect is not None:
        # Registers are printed across the page: A4 landscape, 1.5 cm margins.
        pg_sz, pg_mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
        if pg_sz is not None and pg_mar is not None:
            pg_sz.set(qn("w:w"), str(PAGE_H))
            pg_sz.set(qn("w:h"), str(PAGE_W))
            pg_sz.set(qn("w:orient"), "landscape")
            for edge in ("left", "right", "top", "bottom"):
                pg_mar.set(qn(f"w:{edge}"), str(round(1.5 * CM)))
    fragment = parse_xml(f"<w:body {_NSDECL}>{''.join(w.out)}</w:body>")
    for child in list(fragment):
        if sect is not None:
            sect.addprevious(child)
        else:
            body.append(child)
    _core_properties(doc, title, author)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- Public builders --------------------------------------------------------------------------


def build_memo_docx(doc: MemoDoc) -> bytes:
    """The memo as it stands, with its receipt stamps, notes and decision: .docx bytes."""
    family = font_family()
    secrecy = clean_text(doc.secrecy).strip()
    template = _template(family, secrecy)
    w = _Writer(family)

    grid_bottom = _receipt_stamps(w, doc.receipts)
    _heading(w, template.emblem_xml, doc.urgency, clear_to=grid_bottom)
    _field(w, "ส่วนราชการ", clean_text(doc.unit_line).strip())
    _number_date_line(w, doc.number, doc.date)
    _field(w, "เรื่อง", clean_text(doc.subject).strip())
    _salutation(w, doc.addressee)
    _attachments(w, doc.attachments)

    proposals = [
        (f"{to_thai_digits(i)}.", clean_text(p).strip(), 0) for i, p in enumerate(doc.proposals, 1) if p.strip()
    ]
    if doc.sections:
        for i, section in enumerate(doc.sections):
            _section(w, section, proposals if i == len(doc.sections) - 1 else ())
    else:
        for label, text, level in proposals:
            _block(w, label, text, level)

    closing = clean_text(doc.closing).strip()
    if closing:
        w.para(w.run(closing), first_line=BODY_INDENT, before=w.before, keep_next=doc.signature is not None)
    _signature_and_endorsements(w, doc.signature, doc.endorsements)
    return _finish(template, w, doc.subject, issuing_unit(doc.unit_line))


QR_SIZE_CM = 2.5  # about 0.8 mm a module for a page link: a phone reads it off paper
LINK = 24  # 12 pt: the link under the QR code fits the room left of the signature


def qr_png(link: str) -> bytes:
    """The QR code of `link` as PNG bytes. segno writes PNG itself (no Pillow), and the same
    link always gives the same bytes."""
    import segno

    buf = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buf, kind="png", scale=8, border=4, dpi=300)
    return buf.getvalue()


def _body_paragraphs(text: str) -> list[str]:
    # Paragraphs are separated by a blank line, as the circular's page shows them; a single
    # line break stays a line break inside its paragraph.
    return [p.strip() for p in re.split(r"\n[ \t]*\n", clean_text(text)) if p.strip()]


def _download_block(w: _Writer, link: str, *, beside_signature: bool) -> int | None:
    """The QR code of the circular's page with the link printed under it; returns the index
    in w.out of the paragraph that takes the picture (None without a link).

    Beside the signature it sits in a frame at the left margin, level with the signature's
    first blank line, in the room the centred signature leaves free, as circulars print it:
    a frame is out of the text flow, so the QR code adds no height and never pushes the
    signature onto a page of its own. Without a signature it follows the text.
    """
    link = clean_text(link).strip()
    if not link:
        return None
    frame = ""
    if beside_signature:
        width = SIGN_INDENT - round(0.3 * CM)
        frame = (
            f'<w:framePr w:w="{width}" w:hSpace="113" w:wrap="around" w:vAnchor="text" '
            'w:hAnchor="margin" w:x="0" w:y="85"/>'
        )
    else:
        w.blank(keep_next=True)
    at = len(w.out)
    w.para(w.run(""), jc="left", keep_next=True, frame=frame)
    w.para(w.run(link, LINK), jc="left", keep_next=bool(frame), frame=frame, mark_size=LINK)
    return at


def build_directive_docx(doc: DirectiveDoc) -> bytes:
    """The circular directive (หนังสือเวียน) as .docx bytes; with doc.link, a QR code of the
    circular's page and the link under it close the document."""
    family = font_family()
    secrecy = clean_text(doc.secrecy).strip()
    template = _template(family, secrecy)
    w = _Writer(family)

    _heading(w, template.emblem_xml, doc.urgency)
    _field(w, "ส่วนราชการ", clean_text(doc.unit_line).strip())
    _number_date_line(w, doc.number, doc.date)
    _field(w, "เรื่อง", clean_text(doc.subject).strip())
    from .data import addressee_line

    _salutation(w, addressee_line(list(doc.addressee_groups)))
    _attachments(w, doc.attachments)
    for paragraph in _body_paragraphs(directive_body_text(doc)):
        # A link cannot be broken: justified, the line before it would be spread letter by letter.
        jc = "left" if "://" in paragraph else "thaiDistribute"
        w.para(w.run(paragraph), first_line=BODY_INDENT, before=w.before, jc=jc)
    qr_at = _download_block(w, doc.link, beside_signature=doc.signature is not None)
    _signature(w, doc.signature)
    if qr_at is None:
        return _finish(template, w, doc.subject, issuing_unit(doc.unit_line))
    return _finish_with_qr(template, w, doc.subject, issuing_unit(doc.unit_line), clean_text(doc.link).strip(), qr_at)


def _finish_with_qr(template: _Template, w: _Writer, title: str, author: str, link: str, qr_at: int) -> bytes:
    """_finish, with the QR code added to paragraph `qr_at` by python-docx's add_picture."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.oxml.parser import parse_xml
    from docx.shared import Cm
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(template.blob))
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    children = list(parse_xml(f"<w:body {_NSDECL}>{''.join(w.out)}</w:body>"))
    for child in children:
        if sect is not None:
            sect.addprevious(child)
        else:
            body.append(child)
    run = Paragraph(children[qr_at], doc._body).runs[0]
    for text in run._r.findall(qn("w:t")):
        run._r.remove(text)
    run.add_picture(io.BytesIO(qr_png(link)), width=Cm(QR_SIZE_CM), height=Cm(QR_SIZE_CM))
    _core_properties(doc, title, author)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- The external letter (หนังสือภายนอก) and the registers ------------------------------------

LETTER_EMBLEM_CM = 3.0
ADDRESS_COLUMN = round(9.5 * CM)  # the agency's address starts here, right of the centre


def build_letter_docx(doc: LetterDoc) -> bytes:
    """An external letter (แบบที่ ๑ of the regulation) as .docx bytes.

    Garuda 3 cm high centred at the top; ที่ on the left and the agency's address on the
    right under it; the date from the centre; เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย; the body;
    "ขอแสดงความนับถือ" and the signature centred in the right half; the unit that owns the
    matter with its telephone, fax and e-mail at the foot. A letters app fills a LetterDoc
    from its models and registers a renderer calling this (documents/renderers.py).
    """
    family = font_family()
    secrecy = clean_text(doc.secrecy).strip()
    template = _template(family, secrecy, LETTER_EMBLEM_CM)
    w = _Writer(family)

    urgency = clean_text(doc.urgency).strip()
    if urgency:
        w.para(w.run(urgency, URGENCY, bold=True, color=RED), jc="left", mark_size=URGENCY)
    emblem_line = round(LETTER_EMBLEM_CM * CM) + 120
    runs = f"<w:r>{_rpr(w.family, BODY)}{template.emblem_xml}</w:r>" if template.emblem_xml else ""
    w.para(runs, jc="center", line=(emblem_line, "atLeast"))

    # ที่ left, the address right, as two columns of a borderless table
    number_text = to_thai_digits(clean_text(doc.number).strip())
    left = w.para(w.run("ที่ " + number_text if number_text else "ที่ "), jc="left", append=False)
    address = [clean_text(line).strip() for line in doc.agency_address if clean_text(line).strip()]
    right = "".join(w.para(w.run(line), jc="left", append=False) for line in address) or w.para("", append=False)
    _two_columns(w, left, right, ADDRESS_COLUMN)

    date_text = thai_date(doc.date) if doc.date is not None else ""
    w.para(w.run(date_text), jc="left", left=TEXT_W // 2 - round(0.5 * CM), before=w.before)
    w.para(w.run("เรื่อง") + w.run("  " + clean_text(doc.subject).strip()), jc="left", before=w.before)
    w.para(w.run("เรียน") + w.run("  " + clean_text(doc.addressee).strip()), jc="left", before=w.before)
    _labelled_list(w, "อ้างถึง", doc.references)
    _labelled_list(w, "สิ่งที่ส่งมาด้วย", doc.attachments)
    for paragraph in _body_paragraphs(doc.body):
        jc = "left" if "://" in paragraph else "thaiDistribute"
        w.para(w.run(paragraph), first_line=BODY_INDENT, before=w.before, jc=jc)

    closing = clean_text(doc.closing).strip()
    if closing:
        w.para(w.run(closing), jc="center", left=SIGN_INDENT, before=w.before * 2, keep_next=True)
    if doc.signature is not None:
        for _ in range(3):
            w.blank(keep_next=True)
        lines = [doc.signature.name_line, *doc.signature.position_lines]
        for i, text in enumerate(lines):
            w.para(w.run(clean_text(text).strip()), jc="center", left=SIGN_INDENT, keep_next=i < len(lines) - 1)

    foot = [clean_text(doc.owner_unit).strip()]
    for label, value in (("โทร.", doc.phone), ("โทรสาร", doc.fax), ("ไปรษณีย์อิเล็กทรอนิกส์", doc.email)):
        value = clean_text(value).strip()
        if value:
            foot.append(f"{label} {to_thai_digits(value) if '@' not in value else value}")
    foot = [line for line in foot if line]
    if foot:
        w.blank()
        w.blank()
        for line in foot:
            w.para(w.run(line), jc="left")
    author = address[0] if address else clean_text(doc.owner_unit).strip()
    return _finish(template, w, doc.subject, author)


def _two_columns(w: _Writer, left: str, right: str, split: int) -> None:
    none = 'w:val="nil"'
    borders = "".join(f"<w:{edge} {none}/>" for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    w.out.append(
        f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{split}"/><w:gridCol w:w="{TEXT_W - split}"/></w:tblGrid>'
        f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{split}" w:type="dxa"/></w:tcPr>{left}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="{TEXT_W - split}" w:type="dxa"/></w:tcPr>{right}</w:tc></w:tr></w:tbl>'
    )


def _labelled_list(w: _Writer, label: str, items: Sequence[str]) -> None:
    """ "อ้างถึง  หนังสือ ..." / "สิ่งที่ส่งมาด้วย  ๑. ... ๒. ..." with the items aligned after the label."""
    cleaned = [clean_text(i).strip() for i in items if clean_text(i).strip()]
    if not cleaned:
        return
    label_w = round(2.75 * CM)
    for i, item in enumerate(cleaned):
        text = item if len(cleaned) == 1 else f"{to_thai_digits(i + 1)}. {item}"
        w.para(
            (w.run(label) if i == 0 else "") + w.tab() + w.run(text),
            jc="left",
            left=label_w,
            hanging=label_w,
            tabs=[_Tab("left", label_w)],
            before=w.before if i == 0 else 0,
        )


RECEIVE = "receive"
SEND = "send"
_REGISTER_COLUMNS = {
    # (heading, width in cm) — the regulation's แบบที่ ๑๓ and ๑๔, across an A4 landscape page
    RECEIVE: (
        ("เลขทะเบียนรับ", 2.0),
        ("ที่", 2.6),
        ("ลงวันที่", 2.3),
        ("จาก", 3.6),
        ("ถึง", 3.2),
        ("เรื่อง", 7.6),
        ("การปฏิบัติ", 2.6),
        ("หมายเหตุ", 2.8),
    ),
    SEND: (
        ("เลขทะเบียนส่ง", 1.7),
        ("ที่", 2.6),
        ("ลงวันที่", 2.3),
        ("จาก", 3.6),
        ("ถึง", 3.6),
        ("เรื่อง", 8.6),
        ("การปฏิบัติ", 2.6),
        ("หมายเหตุ", 1.7),
    ),
}
REGISTER_TEXT = 28  # 14 pt in the table


def build_register_docx(
    kind: str, unit_name: str, year_be: int, rows: Sequence[RegisterRow], *, title: str | None = None
) -> bytes:
    """ทะเบียนหนังสือรับ (kind RECEIVE) or ทะเบียนหนังสือส่ง (SEND) of one unit and year for
    printing: A4 landscape, the official columns, the heading row repeated on every page.
    The receive register prints the date and time of receipt under the register number.
    `title` replaces the heading (the ว circulars' send register names itself)."""
    if kind not in _REGISTER_COLUMNS:
        raise ValueError(f"unknown register kind {kind!r}")
    family = font_family()
    template = _template(family, "")
    w = _Writer(family)
    title = title or ("ทะเบียนหนังสือรับ" if kind == RECEIVE else "ทะเบียนหนังสือส่ง")
    w.para(w.run(title, LABEL, bold=True), jc="center")
    w.para(
        w.run(f"{clean_text(unit_name).strip()}  ปี พ.ศ. {to_thai_digits(year_be)}"),
        jc="center",
        after=w.before * 2,
    )
    columns = _REGISTER_COLUMNS[kind]
    widths = [round(cm * CM) for _, cm in columns]
    edge = 'w:val="single" w:sz="4" w:space="0" w:color="auto"'
    borders = "".join(f"<w:{e} {edge}/>" for e in ("top", "left", "bottom", "right", "insideH", "insideV"))

    def cell(text: str, width: int, *, bold: bool = False, jc: str = "left") -> str:
        paras = "".join(
            w.para(w.run(line, REGISTER_TEXT, bold=bold), jc=jc, mark_size=REGISTER_TEXT, append=False)
            for line in (text.split("\n") if text else [""])
        )
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{paras}</w:tc>'

    head = "".join(cell(name, width, bold=True, jc="center") for (name, _), width in zip(columns, widths, strict=True))
    out = [f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{head}</w:tr>"]
    for row in rows:
        first = to_thai_digits(row.number)
        if kind == RECEIVE and row.received_at is not None:
            first += f"\n{thai_date(row.received_at, abbreviated=True)}\n{thai_time(row.received_at)}"
        values = (
            first,
            to_thai_digits(clean_text(row.ref_number).strip()),
            thai_date(row.dated, abbreviated=True) if row.dated is not None else "",
            clean_text(row.sender).strip(),
            clean_text(row.recipient).strip(),
            clean_text(row.subject).strip(),
            clean_text(row.action).strip(),
            clean_text(row.remarks).strip(),
        )
        cells = "".join(
            cell(v, width, jc="center" if i in (0, 2) else "left")
            for i, (v, width) in enumerate(zip(values, widths, strict=True))
        )
        out.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    w.out.append(
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>' + "".join(out) + "</w:tbl>"
    )
    return _finish(template, w, f"{title} {unit_name} {year_be}", clean_text(unit_name).strip(), landscape=True)


def warm_up() -> None:
    """Build the cached templates and one small memo before the first document, so that the
    first real build pays neither the templates nor the imports (python-docx's parts,
    PyThaiNLP's date formatting)."""
    import datetime as dt

    family = font_family()
    _template(family, "")
    _template(family, "", LETTER_EMBLEM_CM)
    sample = MemoDoc(
        unit_line="ส่วนราชการ",
        number="ที่ ๑/๑",
        date=dt.date(2021, 1, 1),
        subject="เรื่อง",
        addressee="เรียน",
        sections=(Section("ข้อเท็จจริง", blocks=()),),
        proposals=("ข้อเสนอ",),
        closing="จึงเรียนมาเพื่อโปรดพิจารณา",
        signature=Signature("(ชื่อ)", ("ตำแหน่ง",)),
        receipts=(Receipt("หน่วยงาน", 1, dt.datetime(2021, 1, 1, 9, 0, tzinfo=dt.UTC)),),
        endorsements=(Endorsement("note", ("เพื่อโปรดพิจารณา",), Signature("(ชื่อ)"), dt.date(2021, 1, 1)),),
    )
    build_memo_docx(sample)
