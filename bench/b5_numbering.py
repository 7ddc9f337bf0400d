"""5. Numbering under contention: 8 processes, each with its own database connection, sign
memos of one unit at once; every signature takes the unit's next send number."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from typing import Any

from .common import BASE_DIR, Section, Target, make_official, median, ms, p95

PROCESSES = 8
MEMOS_PER_PROCESS = 60
RUN_SECONDS = 25.0


def _worker(username: str, memo_ids: list[int], start: Any, results: Any, deadline_s: float) -> None:
    """One signer process: its own Django, its own connection, its own share of the memos."""
    sys.path.insert(0, str(BASE_DIR))
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from memos import services
    from memos.models import Memo

    user = get_user_model().objects.select_related("official").get(username=username)
    connection.ensure_connection()
    signed, errors, latencies = 0, [], []
    start.wait()
    began = time.perf_counter()
    deadline = time.monotonic() + deadline_s
    for memo_id in memo_ids:
        if time.monotonic() > deadline:
            break
        t0 = time.perf_counter()
        try:
            services.memo_sign(memo=Memo(pk=memo_id), user=user)
            signed += 1
            latencies.append(time.perf_counter() - t0)
        except Exception as exc:  # reported: any failure is a finding
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
    ended = time.perf_counter()
    connection.close()
    results.put({"pid": os.getpid(), "signed": signed, "errors": errors, "latencies": latencies,
                 "began": began, "ended": ended})  # fmt: skip


def run() -> Section:
    from django.db import connection

    started = time.monotonic()
    section = Section(5, f"Numbering under contention ({PROCESSES} processes signing memos of one unit)")
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: SQLite has one writer at a time, so there is no row-lock contention to measure"
        print(f"  skipped: {reason}")
        section.notes.append(f"Skipped: {reason}.")
        section.targets.append(Target("0 duplicates, 0 gaps", None, reason))
        return section

    from directory.models import Capacity, Position, Unit, UnitKind
    from memos import services
    from memos.models import Memo
    from memos.reference import reference_memo_input
    from registers.models import RegisterEntry, Series

    unit = Unit.objects.create(
        key="b5-unit", name="หน่วยทดสอบการออกเลข", kind=UnitKind.OFFICE, doc_code="กท ๙๙๙๙",
        parent=Unit.objects.get(key="bma"),
    )  # fmt: skip
    post = Position.objects.create(key="b5-sign", title="ผู้อำนวยการหน่วยทดสอบการออกเลข", unit=unit)
    user = make_official("b5-signer", "b5-unit", posts=[("b5-sign", Capacity.HOLDER)])
    data = reference_memo_input()
    data.signing_position_id = post.pk
    total = PROCESSES * MEMOS_PER_PROCESS
    ids = []
    for _ in range(total):
        ids.append(services.memo_create(user=user, data=data).pk)
    # Straight to "awaiting signature": submitting (preflight, flow start) is not what is measured.
    Memo.objects.filter(pk__in=ids).update(state="awaiting_signature")

    connection.close()  # children must not share this process's connection
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    shares = [ids[i::PROCESSES] for i in range(PROCESSES)]
    procs = [ctx.Process(target=_worker, args=("b5-signer", share, start, results, RUN_SECONDS)) for share in shares]
    for p in procs:
        p.start()
    time.sleep(0.5)
    # Every child has set Django up before the gun: wait for their connections to open.
    wait_until = time.monotonic() + 60
    while time.monotonic() < wait_until:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= PROCESSES:
                break
        time.sleep(0.2)
    connection.close()
    start.set()
    outcomes = [results.get(timeout=RUN_SECONDS + 60) for _ in procs]
    for p in procs:
        p.join(timeout=30)

    signed = sum(o["signed"] for o in outcomes)
    errors = [e for o in outcomes for e in o["errors"]]
    latencies = [v for o in outcomes for v in o["latencies"]]
    wall = max(o["ended"] for o in outcomes) - min(o["began"] for o in outcomes)
    numbers = list(
        RegisterEntry.objects.filter(unit=unit, series=Series.SEND).order_by("number").values_list("number", flat=True)
    )
    duplicates = len(numbers) - len(set(numbers))
    gaps = (max(numbers) - len(set(numbers))) if numbers else 0
    memo_numbers = list(Memo.objects.filter(pk__in=ids).exclude(number="").values_list("number", flat=True))

    section.headers = ["processes", "signed", "errors", "wall s", "allocations/s", "median ms", "p95 ms", "duplicates",
                       "gaps"]  # fmt: skip
    section.rows.append([
        str(PROCESSES), str(signed), str(len(errors)), f"{wall:.2f}", f"{signed / wall:.0f}",
        ms(median(latencies)), ms(p95(latencies)), str(duplicates), str(gaps),
    ])  # fmt: skip
    section.notes.append(
        f"{total} memos of one unit (awaiting signature), split among {PROCESSES} spawned processes, each with its "
        "own PostgreSQL connection, released together; each sign is the full memos.services.memo_sign "
        "(row locks on the memo and on the unit's register counter). Latency is one sign as a process saw it, "
        "queueing on the counter row included. Duplicates and gaps are read back from the register: "
        f"{len(numbers)} entries, numbers 1..{max(numbers) if numbers else 0}; "
        f"{len(set(memo_numbers))} distinct document numbers on {len(memo_numbers)} signed memos."
    )
    if errors:
        section.notes.append("Errors: " + "; ".join(sorted(set(errors))[:5]))
    ok = duplicates == 0 and gaps == 0 and not errors and len(set(memo_numbers)) == len(memo_numbers) == signed
    section.targets.append(
        Target("0 duplicates, 0 gaps (and 0 errors)", ok, f"{duplicates} duplicates, {gaps} gaps, {len(errors)} errors, "
               f"{signed / wall:.0f} allocations/s")
    )  # fmt: skip
    section.seconds = time.monotonic() - started
    return section
