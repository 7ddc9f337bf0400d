"""3. Document build vs the floor: the reference memo's .docx against python-docx's own floor
(Document(), the same paragraphs with no formatting, save())."""

from __future__ import annotations

import io
import time

from .common import Section, Target, interleave, median, ms, p95

TARGET_RATIO = 1.5


def _paragraph_texts(docx_bytes: bytes) -> list[str]:
    """Every paragraph the real build writes, body and table cells, in order: the floor
    writes exactly these texts, unformatted."""
    from docx import Document

    document = Document(io.BytesIO(docx_bytes))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts


def run(budget_s: float = 40.0) -> Section:
    from docx import Document

    from documents.docx_builder import build_memo_docx
    from documents.reference import reference_memo_doc

    started = time.monotonic()
    doc = reference_memo_doc()
    first = build_memo_docx(doc)
    texts = _paragraph_texts(first)

    def real(_: int) -> None:
        build_memo_docx(doc)

    def floor(_: int) -> None:
        document = Document()
        for text in texts:
            document.add_paragraph(text)
        document.save(io.BytesIO())

    times = interleave({"build_memo_docx": real, "floor": floor}, rounds=300, budget_s=budget_s, warmup=5)
    real_m, floor_m = median(times["build_memo_docx"]), median(times["floor"])
    ratio = real_m / floor_m
    section = Section(3, "Document build vs the python-docx floor (reference memo)")
    section.headers = ["side", "runs", "median ms", "p95 ms", "docs/s per core"]
    for name in ("build_memo_docx", "floor"):
        values = times[name]
        section.rows.append([name, str(len(values)), ms(median(values)), ms(p95(values)), f"{1 / median(values):.1f}"])
    section.rows.append(["ratio real/floor", "", f"{ratio:.2f}×", "", ""])
    section.notes.append(
        f"The floor writes the same {len(texts)} paragraphs ({sum(len(t) for t in texts):,} characters, read back "
        f"from the real build) into a fresh python-docx Document and saves it; the real build is "
        f"{len(first):,} bytes. One process, so docs/s is per core."
    )
    section.targets.append(
        Target(
            f"build ≤ {TARGET_RATIO}× floor",
            ratio <= TARGET_RATIO,
            f"{ratio:.2f}× ({ms(real_m)} ms vs {ms(floor_m)} ms)",
        )
    )
    section.seconds = time.monotonic() - started
    return section
