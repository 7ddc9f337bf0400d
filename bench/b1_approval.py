"""1. Approval step vs its floor.

service: memos.services.memo_forward, the whole review step (row lock, FSM, note, audit event
with its hash, document-version outbox row), called directly.
floor:   the same database work by hand in one transaction, as the real append path does it:
         one locked read of the memo and its chain head, one UPDATE of the memo that moves the
         head, the event INSERTed with the memo's row and its HMAC, the document-version row.
view:    (for information) the step as an official does it: POST to the review task through
         the Django test client, which also closes the task, lets viewflow create the next
         one, books the memo in at the next post and writes the notification rows.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import time
from collections import Counter
from typing import Any

from .common import Section, Target, make_official, make_posts, median, ms, p95

ROUTE = 15  # the longest route a memo may have (memos.services.MAX_ROUTE_STEPS): 14 forwards per memo
NOTE = "เรียน ปลัดกรุงเทพมหานคร\nเพื่อโปรดพิจารณา เห็นควรอนุมัติตามเสนอ"
TARGET = 0.5
VIEW_STATEMENT_TARGET = 25


class Fixture:
    def __init__(self) -> None:
        from directory.models import Capacity
        from memos.reference import reference_memo_input

        sign = make_posts("b1-sign", 1)[0]
        self.route = make_posts("b1-route", ROUTE)
        posts = [(sign.key, Capacity.HOLDER)] + [(p.key, Capacity.HOLDER) for p in self.route]
        self.user = make_official("b1-reviewer", "ops-hrd", posts=posts)
        data = reference_memo_input()
        data.signing_position_id = sign.pk
        data.addressee_id = self.route[-1].pk
        data.route_position_ids = [p.pk for p in self.route]
        self.data = data

    def memo_in_review(self, *, through_flow: bool, client: Any = None) -> Any:
        from memos import services
        from memos.models import Memo
        from workflow import services as workflow_services

        memo = services.memo_create(user=self.user, data=self.data)
        workflow_services.memo_submit(memo=memo, user=self.user)
        if through_flow:
            client.post(open_task_url(memo), {"action": "sign"})
        else:
            services.memo_sign(memo=memo, user=self.user)
        memo = Memo.objects.get(pk=memo.pk)
        assert memo.state == "in_review", memo.state
        return memo


def open_task_url(memo: Any) -> str:
    from workflow.models import TaskLink

    return TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")


class Floor:
    """What the step must do to the database, by hand, as the real append path does it:
    the memo read under lock (with its chain head), one UPDATE of the memo that also moves the
    head (conditional on the head read), the event INSERTed with the memo's row as it left it
    and its HMAC, and the document-version outbox row for that event. Events are never deleted
    (the tables are append-only: PostgreSQL refuses it), so the floor's digests are real and
    its memos' chains verify like every other (benchmark 6 checks them all)."""

    def __init__(self, fixture: Fixture) -> None:
        from django.db import connection

        self.fixture = fixture
        self.postgres = connection.vendor == "postgresql"
        self.memo_id = 0
        self.memo_ids: list[int] = []
        self.step = 0
        self.signature = ["(นายทดสอบ สมรรถนะ)", "ตำแหน่งทดสอบ"]

    def _next_memo(self) -> None:
        memo = self.fixture.memo_in_review(through_flow=False)
        self.memo_id = memo.pk
        self.memo_ids.append(memo.pk)
        self.step = 0

    def _event(self, memo_id: int, seq: int, head: str, row: dict[str, Any], state: str, step: int, now: Any) -> Any:
        """The event's digest and the head after it (audit.chain: pure Python, no query)."""
        from audit.chain import event_digest, head_seal, plain

        fields = {
            "action": "forward",
            "actor_id": None,
            "actor_name": "นายทดสอบ สมรรถนะ",
            "position_id": None,
            "capacity": "holder",
            "signature_lines": self.signature,
            "from_state": state,
            "to_state": state,
            "step": step,
            "text": NOTE,
            "payload": {},
            "created_at": plain(now),
        }
        digest = event_digest(kind="memos", owner=memo_id, seq=seq, fields=fields, row=row, prev=head)
        return digest, head_seal(kind="memos", owner=memo_id, seq=seq, digest=digest)

    def reads(self, cursor: Any, step: int) -> None:
        """The plain floor reads nothing but the memo."""

    def __call__(self, _: int) -> None:
        from django.db import connection, transaction
        from django.utils import timezone

        from audit.chain import plain

        if self.step >= ROUTE - 1 or not self.memo_id:
            self._next_memo()
        now = timezone.now()
        at = connection.ops.adapt_datetimefield_value(now)
        lock = " FOR UPDATE" if self.postgres else ""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT state, number, dated, current_step, version, decided_at, chain_seq, chain_head,"  # noqa: S608
                f" last_document_version FROM memos_memo WHERE id = %s{lock}",
                [self.memo_id],
            )
            state, number, dated, step, version, decided_at, seq, head, document = cursor.fetchone()
            self.reads(cursor, step)
            row = plain(
                {"state": state, "number": number, "dated": dated, "current_step": step + 1, "version": version,
                 "decided_at": decided_at}
            )  # fmt: skip
            digest, new_head = self._event(self.memo_id, seq + 1, head, row, state, step, now)
            cursor.execute(
                "UPDATE memos_memo SET state = %s, current_step = %s, updated_at = %s, last_document_version = %s,"
                " chain_seq = %s, chain_head = %s WHERE id = %s AND chain_seq = %s AND chain_head = %s",
                [state, step + 1, at, document + 1, seq + 1, new_head, self.memo_id, seq, head],
            )
            cursor.execute(
                "INSERT INTO memos_memoevent (memo_id, seq, action, actor_id, actor_name, position_id, capacity,"
                " signature_lines, from_state, to_state, step, text, payload, created_at, owner_row, hash)"
                " VALUES (%s, %s, 'forward', NULL, %s, NULL, 'holder', %s, %s, %s, %s, %s, '{}', %s, %s, %s)"
                " RETURNING id",
                [self.memo_id, seq + 1, "นายทดสอบ สมรรถนะ", json.dumps(self.signature, ensure_ascii=False), state,
                 state, step, NOTE, at, json.dumps(row, ensure_ascii=False), digest],
            )  # fmt: skip
            event_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO documents_documentversion (kind, memo_id, directive_id, version, event_id, status,"
                " attempts, next_attempt_at, file, sha256, size, created_at, rendered_at, last_error)"
                " VALUES ('memo', %s, NULL, %s, %s, 'pending', 0, %s, '', '', NULL, %s, NULL, '')",
                [self.memo_id, document + 1, event_id, at, at],
            )
        self.step += 1


class FloorWithReads(Floor):
    """For information: the floor plus the two reads the step's rules need, by hand (the
    current post and the next from the route; who acts for the post today)."""

    def reads(self, cursor: Any, step: int) -> None:
        from django.utils import timezone

        cursor.execute(
            'SELECT r."order", p.id, p.title FROM memos_routestep r JOIN memos_position p ON p.id = r.position_id'
            ' WHERE r.memo_id = %s AND r."order" IN (%s, %s) ORDER BY r."order"',
            [self.memo_id, step, step + 1],
        )
        position = cursor.fetchall()[0][1]
        today = timezone.localdate()
        cursor.execute(
            "SELECT a.id, a.capacity, o.id, o.first_name, o.last_name FROM memos_appointment a"
            " JOIN memos_official o ON o.id = a.official_id WHERE a.position_id = %s AND a.valid_from <= %s"
            " AND (a.valid_until IS NULL OR a.valid_until >= %s) ORDER BY a.id LIMIT 1",
            [position, today, today],
        )
        cursor.fetchone()


class OrmFloor(Floor):
    """The same four statements through the ORM: what Django itself costs per statement."""

    def __call__(self, _: int) -> None:
        from django.db import transaction
        from django.utils import timezone

        from audit.chain import snapshot
        from documents.models import DocumentVersion
        from memos.models import MEMO_CHAIN, Memo, MemoEvent

        if self.step >= ROUTE - 1 or not self.memo_id:
            self._next_memo()
        now = timezone.now()
        with transaction.atomic():
            memo = Memo.objects.select_for_update().get(pk=self.memo_id)
            step, seq, head = memo.current_step, memo.chain_seq, memo.chain_head
            memo.current_step += 1
            row = snapshot(memo, MEMO_CHAIN.owner_fields)
            digest, new_head = self._event(memo.pk, seq + 1, head, row, memo.state, step, now)
            document = memo.last_document_version + 1
            Memo.objects.filter(pk=memo.pk, chain_seq=seq, chain_head=head).update(
                current_step=step + 1,
                updated_at=now,
                last_document_version=document,
                chain_seq=seq + 1,
                chain_head=new_head,
            )
            event = MemoEvent.objects.create(
                memo=memo, seq=seq + 1, action="forward", actor_name="นายทดสอบ สมรรถนะ", capacity="holder",
                signature_lines=self.signature, from_state=memo.state, to_state=memo.state, step=step, text=NOTE,
                payload={}, created_at=now, owner_row=row, hash=digest,
            )  # fmt: skip
            DocumentVersion.objects.create(memo=memo, kind="memo", version=document, event=event, created_at=now)
        self.step += 1


class ServiceStep:
    def __init__(self, fixture: Fixture) -> None:
        self.fixture = fixture
        self.memo: Any = None
        self.step = 0

    def __call__(self, _: int) -> None:
        from memos import services

        if self.memo is None or self.step >= ROUTE - 1:
            self.memo = self.fixture.memo_in_review(through_flow=False)
            self.step = 0
        services.memo_forward(memo=self.memo, user=self.fixture.user, note=NOTE)
        self.step += 1


class ViewStep:
    def __init__(self, fixture: Fixture) -> None:
        from django.test import Client

        self.fixture = fixture
        self.client = Client()
        self.client.force_login(fixture.user)
        self.memo: Any = None
        self.step = 0
        self.url = ""
        self.prepare()

    def prepare(self) -> None:
        """Outside the timed part: the next memo if needed, and the open task's URL."""
        if self.memo is None or self.step >= ROUTE - 1:
            self.memo = self.fixture.memo_in_review(through_flow=True, client=self.client)
            self.step = 0
        self.url = open_task_url(self.memo)

    def __call__(self, _: int) -> None:
        response = self.client.post(self.url, {"action": "forward", "note": NOTE})
        if response.status_code != 302:
            raise AssertionError(f"review POST answered {response.status_code}")
        self.step += 1


class SqlClock:
    """Time spent inside database calls (execute_wrapper), and the statements made."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.statements: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.statements.append(sql)


def _shape(sql: str) -> str:
    words = sql.split()
    head = " ".join(words[:2])
    table = next((w.strip('"') for i, w in enumerate(words) if i and words[i - 1] in ("FROM", "INTO", "UPDATE")), "")
    if words[0] == "UPDATE":
        table = words[1].strip('"')
    return f"{head.split()[0]} {table}" + (" FOR UPDATE" if "FOR UPDATE" in sql else "")


def run(budget_s: float = 75.0) -> Section:
    from django.db import connection

    started = time.monotonic()
    load_before = os.getloadavg()[0]
    fixture = Fixture()
    service, floor, orm_floor = ServiceStep(fixture), Floor(fixture), OrmFloor(fixture)
    floor_reads = FloorWithReads(fixture)
    view = ViewStep(fixture)

    def view_timed(i: int) -> None:
        view(i)

    # The view's preparation (finding the next task's URL) and each side's next memo are
    # made outside the timed part.
    sides = {"service": service, "floor": floor, "floor_reads": floor_reads, "orm_floor": orm_floor, "view": view}
    times: dict[str, list[float]] = {k: [] for k in sides}
    sql_times: dict[str, list[float]] = {k: [] for k in sides}
    anatomy: dict[str, list[str]] = {}
    deadline = time.monotonic() + budget_s * 0.7
    for i in range(400 + 3):
        order = list(sides) if i % 2 == 0 else list(reversed(sides))
        for name in order:
            if name == "view":
                view.prepare()
            elif name == "service" and (service.memo is None or service.step >= ROUTE - 1):
                service.memo = fixture.memo_in_review(through_flow=False)
                service.step = 0
            elif name in ("floor", "floor_reads", "orm_floor") and (
                sides[name].step >= ROUTE - 1 or not sides[name].memo_id
            ):
                sides[name]._next_memo()
            clock = SqlClock()
            with connection.execute_wrapper(clock):
                t0 = time.perf_counter()
                sides[name](i)
                elapsed = time.perf_counter() - t0
            if i >= 3:
                times[name].append(elapsed)
                sql_times[name].append(clock.seconds)
                anatomy[name] = clock.statements
        if time.monotonic() > deadline and i >= 30:
            break

    # Where a service step's time goes (cProfile over a batch of steps).
    profiler = cProfile.Profile()
    steps = 0
    profile_deadline = time.monotonic() + min(10.0, budget_s * 0.15)
    while steps < 60 and time.monotonic() < profile_deadline:
        if service.step >= ROUTE - 1:
            service.memo = fixture.memo_in_review(through_flow=False)
            service.step = 0
        profiler.enable()
        service(0)
        profiler.disable()
        steps += 1

    section = Section(1, "Approval step (memo_forward) vs its floor")
    section.headers = [
        "side",
        "steps",
        "median ms",
        "p95 ms",
        "steps/s",
        "SQL statements",
        "median ms in SQL",
        "vs floor",
    ]
    floor_rate = 1 / median(times["floor"])
    for name, label in (
        ("service", "service memo_forward"),
        ("floor", "floor: 4 statements, raw SQL"),
        ("floor_reads", "floor + the rules' 2 reads, raw SQL"),
        ("orm_floor", "same 4 statements via the ORM"),
        ("view", "view POST (whole task)"),
    ):
        values = times[name]
        rate = 1 / median(values)
        section.rows.append(
            [
                label,
                str(len(values)),
                ms(median(values)),
                ms(p95(values)),
                f"{rate:.0f}",
                str(len(anatomy[name])),
                ms(median(sql_times[name])),
                f"{rate / floor_rate:.0%}",
            ]
        )
    # The floors' hand-made events are real links of their memos' chains.
    from memos.audit import chain_verify

    floor_memos = floor.memo_ids + floor_reads.memo_ids + orm_floor.memo_ids
    broken = [pk for pk in floor_memos if not chain_verify(memo_id=pk).ok]
    if broken:
        raise AssertionError(f"the floor wrote chains that do not verify: memos {broken[:5]}")
    ratio = (1 / median(times["service"])) / floor_rate
    section.targets.append(
        Target(
            "service ≥ 50 % of floor's steps/s",
            ratio >= TARGET,
            f"{ratio:.0%} ({1 / median(times['service']):.0f} vs {floor_rate:.0f} steps/s; "
            f"{median(times['floor_reads']) / median(times['service']):.0%} of the floor with the rules' 2 reads)",
        )
    )
    # Issue 11: the whole task POST (a forward with a note, here) in at most 25 statements.
    view_statements = len(anatomy["view"])
    section.targets.append(
        Target(
            f"whole task view POST ≤ {VIEW_STATEMENT_TARGET} statements",
            view_statements <= VIEW_STATEMENT_TARGET,
            f"{view_statements} statements for a forward with a note (see the listing below)",
        )
    )
    section.notes.append(
        "Interleaved in one process, one round = one step of each side in alternating order; "
        f"memos have a {ROUTE}-post route, so each memo gives {ROUTE - 1} forwards. "
        "'ms in SQL' is the time inside database calls (connection execute_wrapper, round trips included). "
        "The broker is in-memory here, so the after-commit hand-off costs no network. "
        f"The floors' events carry real digests: the chains of their {len(floor_memos)} memos verify. "
        f"Load average (1 min) of the shared machine: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after: "
        "absolute times swing with it, the ratios of sides measured side by side much less."
    )
    shapes = Counter(_shape(s) for s in anatomy["service"])
    listing = "\n".join(f"    {count} × {shape}" for shape, count in shapes.most_common())
    view_shapes = Counter(_shape(s) for s in anatomy["view"])
    view_listing = "\n".join(f"    {count} × {shape}" for shape, count in view_shapes.most_common())
    section.extra.append(
        f"Statements of one service step ({len(anatomy['service'])}):\n\n{listing}\n\n"
        f"Statements of one view step ({len(anatomy['view'])}):\n\n{view_listing}"
    )
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"(memos|workflow|documents|notifications)/", 18)
    text = out.getvalue()
    body = text[text.find("ncalls") :] if "ncalls" in text else text
    section.extra.append(
        f"cProfile of {steps} service steps, project functions by cumulative time:\n\n```\n{body.rstrip()}\n```"
    )
    section.seconds = time.monotonic() - started
    return section
