"""How text becomes searchable: Thai digits and spacing normalised, words segmented, and the
text of attached files extracted. Pure functions; the index and the queries both use them, so
what a person types is turned into exactly what was stored."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

logger = logging.getLogger(__name__)

_THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SPACES = re.compile(r"\s+")
# Anything but Thai, Latin letters and digits ends a segment before word segmentation: the
# tokens of the segmented column are then words, never "word," or "(word".
_NOT_WORD = re.compile(r"[^0-9A-Za-z\u0E00-\u0E7F/.\-]+")
_SCRIPT_RUNS = re.compile(r"[\u0E00-\u0E7F]+|[^\u0E00-\u0E7F]+")
# An attachment's text is capped: a 300-page annex adds nothing a person would search by
# that its first pages do not, and the row stays small.
MAX_FILE_TEXT = 200_000
PDFTOTEXT_TIMEOUT = 30


def normalise(text: str) -> str:
    """Lower case, Arabic digits, single spaces: the form both the index and a query take."""
    return _SPACES.sub(" ", (text or "").translate(_THAI_TO_ARABIC).lower()).strip()


def number_key(number: str) -> str:
    """A document number with its spacing and digit form removed: `กท ๐๔๐๑/๑๒๕๕`, `กท 0401/1255`
    and `กท0401/1255` all give `กท0401/1255`."""
    return _SPACES.sub("", (number or "").translate(_THAI_TO_ARABIC).lower())


_NUMBERISH = re.compile(r"^[\u0E00-\u0E7Fa-z.\s]{0,12}[0-9][0-9\s./ว-]*$")


def looks_like_number(query: str) -> bool:
    """`กท 0401/1255`, `0401/1255`, `๐๔๐๑/ว ๑`: a query that is (the tail of) a document number."""
    q = normalise(query)
    return bool(q) and "/" in q and bool(_NUMBERISH.match(q))


def segment(text: str) -> str:
    """Words separated by single spaces, with a space at each end, so that a whole word is
    found as ` word ` (PyThaiNLP newmm for Thai, which writes no spaces between words)."""
    # PyThaiNLP loads its dictionary once per process, on the first call.
    from pythainlp.tokenize import word_tokenize

    words: list[str] = []
    for chunk in _NOT_WORD.split(normalise(text)):
        if not chunk:
            continue
        for run in _SCRIPT_RUNS.findall(chunk):
            if "\u0e00" <= run[0] <= "\u0e7f":
                words.extend(w for w in word_tokenize(run, engine="newmm", keep_whitespace=False) if w.strip())
            else:
                words.append(run)
    return f" {' '.join(words)} " if words else ""


def query_terms(query: str) -> list[str]:
    """The terms of a query, normalised; every one must be found. A number keeps its parts
    together (`กท 0401/1255` is one term `กท0401/1255`)."""
    if looks_like_number(query):
        return [number_key(query)]
    return [t for t in normalise(query).split(" ") if t]


def digit_pattern(term: str) -> str:
    """A regular expression finding `term` in original text: either digit form, any spacing."""
    parts: list[str] = []
    for ch in term:
        if ch.isdigit() and ch.isascii():
            parts.append(f"[{ch}{chr(0x0E50 + int(ch))}]")
        elif ch.isspace():
            continue
        else:
            parts.append(re.escape(ch))
        parts.append(r"\s*")
    return "".join(parts[:-1]) if parts else ""


# --- Attachments --------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (poppler's pdftotext); empty for a scan or a broken file."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        try:
            done = subprocess.run(
                ["pdftotext", "-q", "-enc", "UTF-8", handle.name, "-"],
                capture_output=True,
                timeout=PDFTOTEXT_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            logger.warning("pdftotext could not read an attachment", exc_info=True)
            return ""
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


def docx_text(data: bytes) -> str:
    """Paragraphs and table cells of a .docx; empty for anything python-docx cannot open."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # a renamed or damaged file: found by its title, not its text
        return ""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(line for line in lines if line)


def file_text(name: str, data: bytes) -> str:
    """The searchable text of a stored file, by what it is (its first bytes), not its name."""
    suffix = Path(name or "").suffix.lower()
    if data[:5] == b"%PDF-":
        text = pdf_text(data)
    elif data[:2] == b"PK" and (suffix == ".docx" or _is_docx(data)):
        text = docx_text(data)
    elif suffix == ".txt":
        text = data.decode("utf-8", "replace")
    else:
        text = ""
    return text[:MAX_FILE_TEXT]


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
