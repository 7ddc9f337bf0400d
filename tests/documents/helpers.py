"""Reading generated .docx files back the way Word does: through the XML python-docx opens."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

W_VAL = qn("w:val")


def open_docx(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def all_runs(doc: DocumentObject) -> Iterator[object]:
    """Every w:r of the body, the tables and every header and footer."""
    yield from doc.element.body.iter(qn("w:r"))
    for section in doc.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.footer,
            section.first_page_footer,
        ):
            if not part.is_linked_to_previous:
                yield from part._element.iter(qn("w:r"))


def paragraph_texts(doc: DocumentObject) -> list[str]:
    """Body paragraphs (tables included) in order, tabs as \\t."""
    out = []
    for p in doc.element.body.iter(qn("w:p")):
        pieces = []
        for node in p.iter(qn("w:t"), qn("w:tab")):
            if node.tag == qn("w:t"):
                pieces.append(node.text or "")
            elif node.getparent().tag == qn("w:r"):
                pieces.append("\t")
        out.append("".join(pieces))
    return out


def find_paragraph(doc: DocumentObject, startswith: str) -> object:
    for p in doc.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if text.startswith(startswith):
            return p
    raise AssertionError(f"no paragraph starts with {startswith!r}")


def tiny_png(width: int = 40, height: int = 40) -> bytes:
    """A valid RGB PNG, to stand in for the agency's Garuda emblem (none is shipped)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80\x20\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
