"""Continuation markers and preview page numbers from a LibreOffice layout of the document.

marked() lays the preview copy out once (with a bookmark on every body paragraph, which
the PDF export turns into named destinations carrying their page), reads the first word of
each page with pdftotext, and writes the marks into the .docx (documents/pagination.py).
The preview copy keeps the page breaks of the real memo (documents/preview.py), so the marks
fall where Word puts its pages.

The worker runs it as a second step after storing a version (documents/tasks.py), so a
version never waits on LibreOffice; needs_marks() says, without a layout, whether it will.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings

from . import pagination, preview
from .preview import PreviewError, preview_docx, soffice_available

logger = logging.getLogger(__name__)

DOCUMENT_PART = "word/document.xml"


def marks_enabled() -> bool:
    return bool(getattr(settings, "DOCUMENT_PAGE_MARKS", True)) and soffice_available() and _poppler()


def _poppler() -> bool:
    return shutil.which("pdfinfo") is not None and shutil.which("pdftotext") is not None


def _replace_part(docx_bytes: bytes, name: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, data if info.filename == name else source.read(info.filename))
    return out.getvalue()


def layout(docx_bytes: bytes) -> list[pagination.PageMark]:
    """Where each page starts and the first word of each page, as LibreOffice lays it out."""
    document_xml = zipfile.ZipFile(io.BytesIO(docx_bytes)).read(DOCUMENT_PART)
    tagged = _replace_part(docx_bytes, DOCUMENT_PART, pagination.layout_copy(pagination.strip_marks(document_xml)))
    pdf = preview.convert_to_pdf(preview_docx(tagged), bookmarks=True)
    with tempfile.TemporaryDirectory(prefix="memo-layout-") as tmp:
        path = Path(tmp) / "layout.pdf"
        path.write_bytes(pdf)
        dests = subprocess.run(
            ["pdfinfo", "-dests", str(path)], capture_output=True, text=True, check=True, timeout=60
        ).stdout
        text = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pagination.page_marks(pagination.paragraph_pages(dests), pages)


# A page holds at least this many lines of the body at 16 pt, and a line at least this many
# characters: a document below both bounds fits on one page and needs no layout.
ONE_PAGE_LINES = 24
LINE_CHARS = 60


def surely_one_page(document_xml: bytes) -> bool:
    """True when the document cannot fill a page, counted generously (every paragraph a line
    at least, a line LINE_CHARS characters at most, three lines for the heading's emblem)."""
    from lxml import etree

    root = etree.fromstring(document_xml)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    lines = 3
    for p in root.iter(f"{w}p"):
        if p.find(f"{w}pPr/{w}framePr") is not None:
            continue
        text = "".join(t.text or "" for t in p.iter(f"{w}t"))
        lines += max(1, -(-len(text) // LINE_CHARS)) + len(list(p.iter(f"{w}br")))
    return lines <= ONE_PAGE_LINES


def needs_marks(docx_bytes: bytes) -> bool:
    """Whether the version should be laid out for marks: the pass is on, LibreOffice and
    poppler are installed, and the document might take more than one page. No LibreOffice."""
    if not marks_enabled():
        return False
    return not surely_one_page(zipfile.ZipFile(io.BytesIO(docx_bytes)).read(DOCUMENT_PART))


def marked(docx_bytes: bytes) -> bytes:
    """The .docx with a continuation marker at the foot of every page but the last and the
    preview's page bookmarks (marks already there are replaced, never doubled). Raises
    PreviewError, SubprocessError, OSError or ValueError when the layout fails."""
    marks = layout(docx_bytes)
    document_xml = zipfile.ZipFile(io.BytesIO(docx_bytes)).read(DOCUMENT_PART)
    return _replace_part(docx_bytes, DOCUMENT_PART, pagination.mark_document(document_xml, marks))


LAYOUT_ERRORS = (PreviewError, subprocess.SubprocessError, OSError, ValueError)


def mark_pages(docx_bytes: bytes) -> bytes:
    """marked(), or the .docx unchanged when LibreOffice or poppler is missing or fails, or
    when the document surely fits one page (then no page needs a mark)."""
    if not needs_marks(docx_bytes):
        return docx_bytes
    try:
        return marked(docx_bytes)
    except LAYOUT_ERRORS as exc:
        logger.warning("page marks skipped: %s", exc)
        return docx_bytes
