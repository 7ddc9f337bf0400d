"""Celery tasks of the letters app: reading scans with OCR, through the outbox engine (claim,
retries, lease, sweep: outbox/engine.py). The work itself is letters.ocr."""

from __future__ import annotations

from celery import shared_task

from outbox import Outbox

from .models import OcrJob, OcrStatus

OCR_OUTBOX = Outbox(
    model=OcrJob,
    task="letters.tasks.read_scan",
    noun="letter OCR job",
    working=OcrStatus.WORKING,
    done=OcrStatus.DONE,
    # A scan that failed to read seldom reads on the next try: a few tries, then the admin.
    retry_delays_setting="LETTER_OCR_RETRY_DELAYS",
    default_retry_delays=(60, 600, 3600),
    # A page takes seconds to a minute on one core; renewed before the result is stored.
    lease_setting="LETTER_OCR_LEASE_SECONDS",
    default_lease_seconds=900,
    select_related=("file",),
    stuck_error="เครื่องประมวลผล (worker) หยุดทำงานระหว่างอ่านข้อความ",
    sweep_batch=100,
)


@shared_task(name="letters.tasks.read_scan", ignore_result=True)
def read_scan(job_id: int) -> str:
    """Read one scan if it is due: "done", "skipped", "retry", "failed" or "lost"."""
    from .ocr import is_permanent, ocr_job_work

    return OCR_OUTBOX.run(job_id, ocr_job_work, permanent=is_permanent)


@shared_task(name="letters.tasks.sweep_ocr", ignore_result=True)
def sweep_ocr() -> int:
    """Run by beat: take back jobs of dead workers, hand over due ones."""
    return OCR_OUTBOX.sweep()
