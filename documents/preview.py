"""PDF preview through LibreOffice, from a Laksaman copy of the .docx.

Debian has no TH Sarabun. Laksaman (fonts-tlwg-laksaman-ttf) is TLWG's build of TH Sarabun New
whose glyphs are about 1.5 times larger at the same point size, and LibreOffice ignores the
fontconfig scaling that would map one to the other; so the preview renders a copy that names
Laksaman with every size × 0.66, which keeps the page breaks of the real memo
(memo-format.md). The .docx people download is never touched.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings

from . import converter, pagination

SCALE = 0.66
CONVERT_TIMEOUT_S = 120
# Parts whose run properties decide how text looks; the rest are copied as they are.
_TEXT_PARTS = re.compile(r"^word/(document|styles|header\d*|footer\d*|footnotes|endnotes|numbering)\.xml$")
_FONT_ATTRS = re.compile(rb'(w:(?:ascii|hAnsi|eastAsia|cs))="[^"]*"')
_THEME_ATTRS = re.compile(rb'\s+w:(?:asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)="[^"]*"')
_SIZES = re.compile(rb'(<w:(?:sz|szCs)\s+w:val=")(\d+)(")')
_HEADER_PART = re.compile(r"^word/header\d*\.xml$")
HEADER_TOP = 567  # twips: where the page number sits, as in the .docx's header (1 cm)
_JC_THAI = re.compile(rb'(<w:jc\s+w:val=")thaiDistribute(")')


class PreviewError(RuntimeError):
    """A preview could not be made; the message is Thai and meant for the person asking."""


def preview_family() -> str:
    return str(getattr(settings, "PREVIEW_FONT_FAMILY", "") or "Laksaman")


def soffice_binary() -> str | None:
    configured = str(getattr(settings, "SOFFICE_BINARY", "") or "soffice")
    return shutil.which(configured)


def soffice_available() -> bool:
    return soffice_binary() is not None


def preview_docx(docx_bytes: bytes, *, family: str | None = None, scale: float = SCALE) -> bytes:
    """The Laksaman copy: every font slot names the preview family, every size × scale.

    Works on the XML text rather than through python-docx, so it applies to any .docx (also
    one edited in Word) and to styles, headers and footers alike. rFonts attributes that
    name theme fonts are dropped, or they would win over the family named here.
    LibreOffice reads thaiDistribute as left alignment; the copy asks for plain
    justification, which LibreOffice spreads between Thai characters much as Word's Thai
    distributed justification does, so the preview keeps the memo's straight right edge.
    """
    name = (family or preview_family()).replace("&", "&amp;").replace('"', "&quot;").encode("utf-8")

    def size(match: re.Match[bytes]) -> bytes:
        scaled = max(2, round(int(match[2]) * scale))
        return match[1] + str(scaled).encode() + match[3]

    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    # Page numbers: LibreOffice 7.4 prints a PAGE field in Arabic digits whatever the
    # section's w:pgNumType says (and the ThaiArabic switch as Thai letters). A marked
    # document (documents/pagination.py) knows where its pages start: the copy draws "- ๒ -"
    # there and drops the header's field.
    numbered = pagination.has_page_marks(source.read("word/document.xml"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if numbered and info.filename == "word/document.xml":
                data = pagination.number_pages_for_preview(data, HEADER_TOP)
            elif numbered and _HEADER_PART.match(info.filename):
                data = pagination.drop_page_field(data)
            if _TEXT_PARTS.match(info.filename):
                data = _THEME_ATTRS.sub(b"", data)
                data = _FONT_ATTRS.sub(lambda m: m[1] + b'="' + name + b'"', data)
                data = _SIZES.sub(size, data)
                data = _JC_THAI.sub(rb"\1both\2", data)
                data = _T_ELEMENT.sub(_with_break_opportunities, data)
            target.writestr(info, data)
    return out.getvalue()


def _cache_dir() -> Path:
    path = Path(settings.VAR_DIR) / "pdf-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def render_pdf(docx_bytes: bytes, *, timeout: float = CONVERT_TIMEOUT_S) -> bytes:
    """PDF of the Laksaman copy, cached on disk by the sha256 of the .docx."""
    digest = hashlib.sha256(docx_bytes).hexdigest()
    cached = _cache_dir() / f"{digest}.pdf"
    if cached.is_file():
        return cached.read_bytes()

    pdf = convert_to_pdf(preview_docx(docx_bytes), timeout=timeout)

    # Written under a temporary name and renamed, so a reader never sees half a file.
    partial = cached.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(pdf)
    os.replace(partial, cached)
    return pdf


# PDF export options LibreOffice (7.4 and later) takes as JSON after the filter name. Writer
# bookmarks become named destinations, which `pdfinfo -dests` lists with their page: that is
# how documents/pagination.py learns on which page each paragraph starts.
_EXPORT_BOOKMARKS = '{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'


def convert_to_pdf(docx_bytes: bytes, *, timeout: float = CONVERT_TIMEOUT_S, bookmarks: bool = False) -> bytes:
    """One .docx (already the preview copy) to PDF through LibreOffice, uncached.

    Each conversion runs in its own temporary directory with its own LibreOffice profile:
    two soffice processes sharing a profile wait on each other's lock or exit silently
    without output, which under several workers looks like random failures.
    """
    # A running LibreOffice (documents/converter.py) when one is free; one soffice otherwise.
    options = ["ExportBookmarksToPDFDestination=true"] if bookmarks else []
    warm = converter.convert_warm(docx_bytes, filter_options=options, timeout=timeout)
    if warm is not None:
        return warm
    binary = soffice_binary()
    if binary is None:
        raise PreviewError(
            "ไม่สามารถแสดงตัวอย่าง PDF ได้ เนื่องจากเครื่องแม่ข่ายไม่ได้ติดตั้ง LibreOffice "
            "(libreoffice-writer-nogui) กรุณาดาวน์โหลดไฟล์ .docx แทน"
        )
    with tempfile.TemporaryDirectory(prefix="memo-pdf-") as tmp:
        work = Path(tmp)
        source = work / "memo.docx"
        source.write_bytes(docx_bytes)
        profile = (work / "profile").as_uri()
        export = "pdf:writer_pdf_Export" + (":" + _EXPORT_BOOKMARKS if bookmarks else "")
        command = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            export,
            "--outdir",
            str(work),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work)}
        try:
            result = subprocess.run(
                command,
                cwd=work,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PreviewError(
                f"การแปลงเอกสารเป็น PDF ใช้เวลานานเกิน {int(timeout)} วินาที จึงยกเลิก กรุณาลองใหม่หรือดาวน์โหลดไฟล์ .docx แทน"
            )
        except OSError as exc:
            raise PreviewError(f"เรียกใช้ LibreOffice ไม่สำเร็จ ({exc}) กรุณาดาวน์โหลดไฟล์ .docx แทน")
        produced = work / "memo.pdf"
        if result.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = (result.stderr or result.stdout or b"").decode("utf-8", "replace").strip()[-300:]
            raise PreviewError(
                "LibreOffice แปลงเอกสารเป็น PDF ไม่สำเร็จ"
                + (f" (รหัส {result.returncode}: {detail})" if detail or result.returncode else "")
                + " กรุณาดาวน์โหลดไฟล์ .docx แทน"
            )
        return produced.read_bytes()


# --- Line breaks in the preview copy ---------------------------------------------------------
# Where a line cannot break (a long address in a justified paragraph), LibreOffice spreads the
# line's Thai letters apart to fill it. The preview copy offers the breaks a reader expects:
# zero-width spaces between Thai words (PyThaiNLP's dictionary segmentation) and after the
# separators of URLs and e-mail addresses, where a browser would break them. Only the copy
# gets them: in the .docx people download they would break search (memo-format.md).

ZWSP = "\u200b"
_T_ELEMENT = re.compile(rb"(<w:t(?:\s[^>]*)?>)([^<]+)(</w:t>)")
_THAI_RUN = re.compile("[\u0e01-\u0e4f]{2,}")
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_ADDRESS_BREAK = re.compile(r"(?<=[/.@?&=_-])(?=[^/.@?&=_-])")


def _with_break_opportunities(match: re.Match[bytes]) -> bytes:
    text = match[2].decode("utf-8")
    if not text.strip():
        return match[0]
    text = _ADDRESS.sub(lambda m: _ADDRESS_BREAK.sub(ZWSP, m[0]).rstrip(ZWSP), text)
    text = _THAI_RUN.sub(_thai_word_breaks, text)
    return match[1] + text.encode("utf-8") + match[3]


def _thai_word_breaks(match: re.Match[str]) -> str:
    from pythainlp.tokenize import word_tokenize

    return ZWSP.join(word_tokenize(match[0], engine="newmm", keep_whitespace=True))


def warm_up() -> None:
    """Everything a first preview would otherwise pay for in this process: the .docx
    templates and imports, and PyThaiNLP's word dictionary (seconds to load)."""
    from pythainlp.tokenize import word_tokenize

    from .docx_builder import warm_up as warm_builder

    warm_builder()
    word_tokenize("สามารถดาวน์โหลดเอกสาร", engine="newmm")
