"""8. PDF preview of the reference memo, with and without the warm converter, side by side in
one run; and the .docx build cold (a new process) and warm.

    VAR_DIR=/tmp/var-bench .venv/bin/python -m bench.b8_preview [--rounds 7]

The process is warmed first, as web and worker processes are at start (templates, imports,
PyThaiNLP's dictionary). "first" is a preview of a version never previewed (the PDF cache misses: each round's memo
differs in its subject); "repeated" is the same version again (the cache answers). With
unoserver, the bench starts its own pool of two instances on ports 8176/8178 and stops it.
Target: a first preview under 0.5 s with the warm converter.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
POOL_PORTS = "8176,8178"
TARGET_FIRST_S = 0.5


def _setup() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("VAR_DIR", "/tmp/var-bench-preview")
    import django

    django.setup()


def _p50(values: list[float]) -> float:
    return statistics.median(values)


def _previews(rounds: int, label: str) -> dict[str, float]:
    from documents.docx_builder import build_memo_docx
    from documents.preview import render_pdf
    from documents.reference import reference_memo_doc

    base = reference_memo_doc()
    first, repeated = [], []
    stamp = time.time_ns()
    for i in range(rounds):
        doc = dataclasses.replace(base, subject=f"{base.subject} ({label} {stamp} {i})")
        docx = build_memo_docx(doc)
        t = time.perf_counter()
        render_pdf(docx)
        first.append(time.perf_counter() - t)
        t = time.perf_counter()
        render_pdf(docx)
        repeated.append(time.perf_counter() - t)
    return {"first": _p50(first), "first_max": max(first), "repeated": _p50(repeated)}


_COLD = """
import os, sys, time
sys.path.insert(0, {base!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from documents.docx_builder import build_memo_docx, warm_up
from documents.reference import reference_memo_doc
doc = reference_memo_doc()
if {warm!r}:
    warm_up()
t = time.perf_counter()
build_memo_docx(doc)
print(time.perf_counter() - t)
"""


def _cold_builds(rounds: int, *, warm_at_start: bool) -> float:
    times = []
    for _ in range(rounds):
        code = _COLD.format(base=str(BASE_DIR), warm=warm_at_start)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return _p50(times)


def _warm_builds(rounds: int) -> float:
    from documents.docx_builder import build_memo_docx
    from documents.reference import reference_memo_doc

    doc = reference_memo_doc()
    build_memo_docx(doc)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        build_memo_docx(doc)
        times.append(time.perf_counter() - t)
    return _p50(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    _setup()
    from django.test import override_settings

    from documents import converter
    from documents.preview import warm_up

    warm_up()  # as a web or worker process has done at start (documents/worker.py)
    results: dict[str, dict[str, float]] = {}
    with override_settings(UNOSERVER_PORTS="8179"):  # nothing listens: one soffice per conversion
        assert not converter.available()
        results["one soffice per conversion"] = _previews(args.rounds, "cold")
    with override_settings(UNOSERVER_PORTS=POOL_PORTS):
        procs = converter.start_pool()
        try:
            converter.warm_instances(converter.ports())
            results["unoserver pool (2)"] = _previews(args.rounds, "warm")
        finally:
            converter.stop_pool(procs)

    print(f"\nPreview of the reference memo (3 pages), p50 of {args.rounds} rounds, one run:\n")
    print("| converter | first preview p50 | first max | repeated (cached) p50 |")
    print("|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['first']:.3f} s | {r['first_max']:.3f} s | {r['repeated'] * 1000:.1f} ms |")
    warm_first = results["unoserver pool (2)"]["first"]
    verdict = "met" if warm_first < TARGET_FIRST_S else "not met"
    print(f"\ntarget first preview < {TARGET_FIRST_S} s warm: {verdict} ({warm_first:.3f} s)")

    cold = _cold_builds(5, warm_at_start=False)
    cold_warmed = _cold_builds(5, warm_at_start=True)
    warm = _warm_builds(50)
    print("\n.docx build of the reference memo, p50:\n")
    print("| build | p50 |")
    print("|---|---|")
    print(f"| first build in a new process | {cold * 1000:.1f} ms |")
    print(f"| first build after warm_up() at start (what the worker does) | {cold_warmed * 1000:.1f} ms |")
    print(f"| warm (50 builds) | {warm * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
