"""Reading a scanned letter's Thai text with OCR, so the letter can be found by what it says.

ocrmypdf (with tesseract's Thai and English models) turns the scan into a PDF with a text
layer and writes the text beside it (--sidecar). The text goes into the letter (letter.text,
what search reads) and the searchable PDF beside the scan (LetterFile.searchable). Where
ocrmypdf or tesseract's Thai model is not installed, the letter is marked "ยังไม่ได้อ่าน
ข้อความด้วย OCR" and nothing else changes: the booking never depends on it.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from documents.uploads import stored_name

from .models import IncomingLetter, LetterAction, OcrJob, OcrState, OcrStatus
from .services import IncomingStep

logger = logging.getLogger(__name__)

LANGUAGES = "tha+eng"
# ocrmypdf exit codes no retry will cure: bad arguments, an unreadable input, an encrypted PDF.
PERMANENT_EXIT_CODES = frozenset({1, 2, 8})


class OcrUnavailable(Exception):
    """ocrmypdf or tesseract's Thai model is not installed on this worker."""


class OcrFailed(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class OcrResult:
    text: str
    pdf: bytes


def ocr_binary() -> str | None:
    return shutil.which(getattr(settings, "OCRMYPDF_BINARY", "ocrmypdf") or "ocrmypdf")


def ocr_available() -> bool:
    binary = ocr_binary()
    if binary is None or shutil.which("tesseract") is None:
        return False
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "tha" in langs.split()


def read_scan(content: bytes, *, extension: str) -> OcrResult:
    """The scan's text and a searchable PDF of it; OcrUnavailable or OcrFailed otherwise."""
    binary = ocr_binary()
    if binary is None or not ocr_available():
        raise OcrUnavailable("ไม่พบโปรแกรม ocrmypdf หรือภาษาไทยของ tesseract บนเครื่องประมวลผล")
    timeout = int(getattr(settings, "LETTER_OCR_TIMEOUT_SECONDS", 600))
    with tempfile.TemporaryDirectory(prefix="letter-ocr-") as folder:
        source = Path(folder) / f"scan.{extension}"
        source.write_bytes(content)
        output = Path(folder) / "out.pdf"
        sidecar = Path(folder) / "out.txt"
        # Without it tesseract writes Thai with a space between every few letters
        # ("ป ร ะ ชุ ม"), which no search finds; Thai puts no spaces inside words.
        config = Path(folder) / "tesseract.cfg"
        config.write_text("preserve_interword_spaces 1\n", encoding="utf-8")
        command = [binary, "-l", LANGUAGES, "--jobs", "1", "--output-type", "pdf", "--sidecar", str(sidecar)]
        command += ["--tesseract-config", str(config)]
        if extension == "pdf":
            # A PDF that already has text on some pages: read only the pages that have none.
            command.append("--skip-text")
        else:
            # Scanner images often carry no resolution; ocrmypdf refuses them without one.
            command += ["--image-dpi", str(int(getattr(settings, "LETTER_OCR_IMAGE_DPI", 300)))]
        command += [str(source), str(output)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise OcrFailed(f"การอ่านข้อความใช้เวลานานเกิน {timeout} วินาที") from None
        if done.returncode != 0:
            detail = (done.stderr or "").strip().splitlines()[-3:]
            raise OcrFailed(
                f"ocrmypdf exit {done.returncode}: {' | '.join(detail)}",
                permanent=done.returncode in PERMANENT_EXIT_CODES,
            )
        text = sidecar.read_text(encoding="utf-8", errors="replace") if sidecar.exists() else ""
        # ocrmypdf marks pages it skipped (they had text) with this line in the sidecar.
        text = "\n".join(line for line in text.splitlines() if "[OCR skipped on page" not in line).strip()
        # Tesseract spells sara am as nikhahit + sara aa ("สํา"); people type "สำ".
        text = text.replace("\u0e4d\u0e32", "\u0e33")
        return OcrResult(text=text, pdf=output.read_bytes())


def ocr_job_work(job: OcrJob, lease: Any) -> dict[str, Any]:
    """Read one scan and store what was read (the outbox engine's work; see letters.tasks)."""
    letter_file = job.file
    extension = letter_file.original_name.lower().rsplit(".", 1)[-1]
    with letter_file.file.open("rb") as handle:
        content = handle.read()
    try:
        result = read_scan(content, extension=extension)
    except OcrUnavailable:
        _set_state(job.letter_id, OcrState.UNAVAILABLE)
        raise
    except OcrFailed as exc:
        if exc.permanent:
            _set_state(job.letter_id, OcrState.FAILED)
        raise
    lease.renew()
    with transaction.atomic():
        name = stored_name("letters/incoming", f"{letter_file.original_name.rsplit('.', 1)[0]}-ocr.pdf")
        letter_file.searchable.save(name, ContentFile(result.pdf), save=False)
        letter_file.save(update_fields=["searchable"])
        step = IncomingStep(job.letter_id)
        letter = step.owner
        if result.text and result.text not in letter.text:
            letter.text = f"{letter.text}\n\n{result.text}".strip() if letter.text else result.text
        others = OcrJob.objects.filter(letter_id=letter.pk).exclude(pk=job.pk).exclude(status=OcrStatus.DONE)
        if not others.exists():
            letter.ocr_state = OcrState.DONE
        step.record(
            LetterAction.OCR,
            save=["text", "ocr_state"],
            touch=False,
            actor=None,
            actor_name="ระบบอ่านข้อความ (OCR)",
            text=f"อ่านข้อความจากไฟล์ {letter_file.original_name} แล้ว",
            payload={"file_id": letter_file.pk, "chars": len(result.text)},
        )
    logger.info("letter %s: OCR of file %s read %d characters", job.letter_id, letter_file.pk, len(result.text))
    return {"finished_at": timezone.now()}


def _set_state(letter_id: int, state: str) -> None:
    IncomingLetter.objects.filter(pk=letter_id, ocr_state=OcrState.PENDING).update(ocr_state=state)


def is_permanent(exc: Exception) -> bool:
    return isinstance(exc, OcrUnavailable) or (isinstance(exc, OcrFailed) and exc.permanent)


def ocr_retry(job_ids: list[int]) -> int:
    """Read failed scans again (after ocrmypdf or the Thai model was installed): their letters
    say "waiting to be read" again, and the jobs go back to the queue. Returns how many."""
    from .tasks import OCR_OUTBOX

    with transaction.atomic():
        letters = OcrJob.objects.filter(pk__in=job_ids, status=OcrStatus.FAILED).values("letter_id")
        IncomingLetter.objects.filter(pk__in=letters, ocr_state__in=(OcrState.UNAVAILABLE, OcrState.FAILED)).update(
            ocr_state=OcrState.PENDING
        )
        return OCR_OUTBOX.retry(job_ids)
