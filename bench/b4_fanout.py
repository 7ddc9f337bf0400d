"""4. Directive fan-out: sending a directive to 100, 1,000 and 5,000 units. The request (sign
and send through the test client: distributions and outbox rows in bulk, hand-off to the
broker after commit), then the time until every e-mail notification is delivered by 1 and by
2 real Celery workers on the local Redis."""

from __future__ import annotations

import os
import shutil
import time
from typing import Any

from .common import BASE_DIR, BENCH_REDIS_URL, BENCH_VAR, Section, Target, make_official, make_posts

SIZES = (100, 1_000, 5_000)
WORKERS = (1, 2)
DELIVERY_TIMEOUT_S = 150.0
REQUEST_TARGET_S = 2.0


def make_units(prefix: str, count: int) -> Any:
    """`count` units, each with a post in one new group, a mailbox and a clerk (in bulk)."""
    from django.contrib.auth import get_user_model

    from directory.models import Official, Position, RecipientGroup, Unit, UnitKind

    parent = Unit.objects.get(key="bma")
    Unit.objects.bulk_create(
        Unit(key=f"{prefix}-{i}", name=f"หน่วยทดสอบ {prefix} {i}", kind=UnitKind.OFFICE, parent=parent,
             mailbox=f"{prefix}-{i}@bench.example.go.th", sort_order=10_000 + i)
        for i in range(count)
    )  # fmt: skip
    units = list(Unit.objects.filter(key__startswith=f"{prefix}-"))
    Position.objects.bulk_create(Position(key=f"{prefix}-{u.pk}-head", title=f"หัวหน้า{u.name}", unit=u) for u in units)
    positions = list(Position.objects.filter(key__startswith=f"{prefix}-"))
    group = RecipientGroup.objects.create(key=f"group-{prefix}", name=f"กลุ่มทดสอบ {prefix}", sort_order=99)
    group.positions.add(*positions)
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"{prefix}-clerk-{u.pk}", email=f"{prefix}-clerk-{u.pk}@bench.example.go.th", password="!")
        for u in units
    )
    users = {u.username: u for u in User.objects.filter(username__startswith=f"{prefix}-clerk-")}
    Official.objects.bulk_create(
        Official(user=users[f"{prefix}-clerk-{u.pk}"], prefix="นาย", first_name="สารบรรณ", last_name=str(u.pk), unit=u,
                 is_clerk=True)
        for u in units
    )  # fmt: skip
    return group


def _forget_queue(queue: str) -> None:
    import redis

    try:
        client = redis.Redis.from_url(BENCH_REDIS_URL, socket_timeout=2)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    except redis.RedisError:
        pass


def run() -> Section:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from directives import selectors as directive_selectors
    from directives import services as directive_services
    from directory.models import Capacity
    from documents.models import DocumentVersion, VersionStatus
    from memos import services
    from memos.models import Memo
    from memos.reference import reference_memo_input
    from notifications.models import Channel, Notification, Status
    from tests.conftest import service_available
    from tests.integration.celery_support import database_url, redis_host_port, start_worker, use_broker

    started = time.monotonic()
    section = Section(4, "Directive fan-out (sign and send; delivery by real Celery workers on Redis)")
    host, port = redis_host_port(BENCH_REDIS_URL)
    if not service_available(host, port):
        reason = f"Redis does not answer at {host}:{port}"
        section.targets.append(Target("fan-out", None, reason))
        return section

    sign = make_posts("b4-sign", 1)[0]
    signer = make_official("b4-signer", "ops-hrd", posts=[(sign.key, Capacity.HOLDER)])
    clerk = make_official("b4-clerk", "ops-hrd", is_clerk=True)
    data = reference_memo_input()
    data.signing_position_id = sign.pk
    groups = {size: make_units(f"b4u{size}", size) for size in SIZES}

    def ready_directive(size: int) -> Any:
        memo = services.memo_create(user=clerk, data=data)
        Memo.objects.filter(pk=memo.pk).update(state="approved", number="กท ๐๔๐๑/๙๙๙")
        memo = Memo.objects.get(pk=memo.pk)
        initial = directive_selectors.directive_initial(memo)
        initial.group_ids = [groups[size].pk]
        initial.signing_position_id = sign.pk
        directive = directive_services.directive_create(user=clerk, memo=memo, data=initial)
        directive_services.directive_submit(user=clerk, directive=directive)
        return directive

    client = Client()
    client.force_login(signer)
    # Celery reads CELERY_BROKER_URL from the environment before its configuration: while
    # this benchmark runs, this process publishes to Redis like a production server.
    saved_broker = os.environ["CELERY_BROKER_URL"]
    os.environ["CELERY_BROKER_URL"] = BENCH_REDIS_URL
    results: dict[tuple[int, int], dict[str, float]] = {}
    db_url = database_url(connection.settings_dict)
    for n_workers in WORKERS:
        # The default queue of the bench's own Redis database: a worker republishes the
        # per-row deliveries of a large batch (fan_out) to the default queue, so the workers
        # must consume that one.
        queue = "celery"
        _forget_queue(queue)
        workers = []
        try:
            for i in range(n_workers):
                var_dir = BENCH_VAR / f"worker-{n_workers}-{i}"
                shutil.rmtree(var_dir, ignore_errors=True)
                workers.append(
                    start_worker(base_dir=BASE_DIR, database_url=db_url, broker_url=BENCH_REDIS_URL, queue=queue,
                                 var_dir=var_dir, extra_env={"LOG_LEVEL": "WARNING"})
                )  # fmt: skip
            for size in SIZES:
                directive = ready_directive(size)
                url = reverse("memos:directive_sign", args=[directive.pk])
                with use_broker(BENCH_REDIS_URL, queue=queue):
                    t0 = time.perf_counter()
                    response = client.post(url)
                    request_s = time.perf_counter() - t0
                if response.status_code != 302:
                    raise AssertionError(f"sign and send answered {response.status_code}")
                rows = Notification.objects.filter(dedup_key=f"directive:{directive.pk}:sent", channel=Channel.EMAIL)
                total = rows.count()
                documents = DocumentVersion.objects.filter(directive_id=directive.pk)
                deadline = time.monotonic() + DELIVERY_TIMEOUT_S
                pending = total
                while time.monotonic() < deadline:
                    pending = rows.exclude(status__in=[Status.SENT, Status.FAILED]).count()
                    pending += documents.exclude(status__in=[VersionStatus.DONE, VersionStatus.FAILED]).count()
                    if pending == 0:
                        break
                    time.sleep(0.1)
                delivered_s = time.perf_counter() - t0
                failed = rows.filter(status=Status.FAILED).count()
                failed += documents.filter(status=VersionStatus.FAILED).count()
                n_docs = documents.count()
                results[(n_workers, size)] = {"request": request_s, "delivered": delivered_s, "mails": total,
                                              "pending": pending, "failed": failed, "docs": n_docs}  # fmt: skip
                print(f"  {n_workers} worker(s), {size} units: request {request_s:.2f} s, {total} mails in "
                      f"{delivered_s:.1f} s ({pending} pending, {failed} failed)", flush=True)  # fmt: skip
        finally:
            for worker in workers:
                worker.stop()
            _forget_queue(queue)
    os.environ["CELERY_BROKER_URL"] = saved_broker

    section.headers = ["units", "workers", "request s", "e-mails", "all delivered after s", "mails/s", "speed-up",
                       "undelivered"]  # fmt: skip
    for size in SIZES:
        for n in WORKERS:
            r = results[(n, size)]
            speed = results[(1, size)]["delivered"] / r["delivered"] if n > 1 else 1.0
            section.rows.append([f"{size:,}", str(n), f"{r['request']:.2f}", f"{int(r['mails']):,}",
                                 f"{r['delivered']:.1f}", f"{r['mails'] / r['delivered']:.0f}", f"{speed:.2f}×",
                                 f"{int(r['pending'] + r['failed'])}"])  # fmt: skip
    req_1000 = max(results[(n, 1000)]["request"] for n in WORKERS)
    section.targets.append(Target(f"request < {REQUEST_TARGET_S:.0f} s at 1,000 units", req_1000 < REQUEST_TARGET_S,
                                  f"{req_1000:.2f} s (slower of the two runs)"))  # fmt: skip
    # Linear: delivery rate at 5,000 within 25 % of the rate at 1,000 (100 is dominated by start-up).
    rate = {n: {s: results[(n, s)]["mails"] / results[(n, s)]["delivered"] for s in SIZES} for n in WORKERS}
    linear = all(rate[n][5000] >= 0.75 * rate[n][1000] for n in WORKERS)
    section.targets.append(Target("delivery time grows linearly (rate at 5,000 ≥ 75 % of rate at 1,000)", linear,
                                  "; ".join(f"{n} worker(s): {rate[n][1000]:.0f} → {rate[n][5000]:.0f} mails/s"
                                            for n in WORKERS)))  # fmt: skip
    speedup = results[(1, 5000)]["delivered"] / results[(2, 5000)]["delivered"]
    section.targets.append(Target("twice the workers halve delivery (speed-up ≥ 1.8× at 5,000)", speedup >= 1.8,
                                  f"{speedup:.2f}× on {connection.vendor} with 2 cores shared by workers, "
                                  "database and Redis"))  # fmt: skip
    all_delivered = all(r["pending"] == 0 and r["failed"] == 0 for r in results.values())
    section.targets.append(Target("every notification delivered", all_delivered,
                                  f"timeout {DELIVERY_TIMEOUT_S:.0f} s per run"))  # fmt: skip
    section.notes.append(
        "Each unit has a clerk and an official mailbox, so a directive makes 2 e-mails (and 1 in-app row) per unit. "
        "Workers: `celery worker --pool=solo`, each its own process, consuming the default queue of the bench's own Redis database "
        f"({BENCH_REDIS_URL}), file-based mail backend. 'all delivered after' counts from the start of the request. "
        "The wait also covers the directive's stored document versions (DocumentVersion rows with this directive_id, "
        f"{int(results[(1, SIZES[0])]['docs'])} per directive: one document for all units, not one per unit)."
    )
    section.seconds = time.monotonic() - started
    return section
