"""6. Load through HTTP: a real server (gunicorn) on loopback and 20 simulated officials who
browse their inboxes and execute their tasks (sign, note and forward, decide) for 60 s; then
every memo's audit chain is verified."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from .common import BASE_DIR, BENCH_REDIS_URL, BENCH_VAR, Section, Target, make_official, make_posts, median, ms, p95

OFFICIALS = 20
MEMOS_PER_OFFICIAL = 8
DURATION_S = 60.0
GUNICORN_WORKERS = 3
GUNICORN_THREADS = 2
NOTE = "เพื่อโปรดพิจารณา เห็นควรอนุมัติตามเสนอ"
TASK_LINK = re.compile(r'href="(/[^"]*?/execute/)"')


def _free_port() -> int:
    """BENCH_HTTP_PORT when given (a port range of one's own on a shared machine), else any free one."""
    if os.environ.get("BENCH_HTTP_PORT"):
        return int(os.environ["BENCH_HTTP_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class Official(threading.Thread):
    """A closed-loop user: inbox → task page → action → memo page; the home page when idle."""

    def __init__(self, port: int, cookie: str, deadline: float, log: list[tuple[str, int, float]]) -> None:
        super().__init__(daemon=True)
        self.port, self.deadline, self.log = port, deadline, log
        self.csrf = secrets.token_hex(16)  # 32 characters, accepted as the unmasked secret
        self.headers = {"Cookie": f"{cookie}; csrftoken={self.csrf}", "Host": "127.0.0.1"}
        self.conn: http.client.HTTPConnection | None = None
        self.errors: list[str] = []

    def request(self, kind: str, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = urlencode(body)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf})
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            t0 = time.perf_counter()
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", errors="replace")
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    self.log.append((kind, 0, time.perf_counter() - t0))
                    self.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                    return 0, "", ""
                continue
            elapsed = time.perf_counter() - t0
            self.log.append((kind, response.status, elapsed))
            if response.status >= 400:
                self.errors.append(f"{kind} {path}: HTTP {response.status}")
            return response.status, text, response.getheader("Location", "")
        raise AssertionError("unreachable")

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            status, page, _ = self.request("inbox", "GET", "/memos/inbox/")
            links = TASK_LINK.findall(page) if status == 200 else []
            if not links:
                self.request("home", "GET", "/")
                continue
            task_url = links[0]
            status, form, _ = self.request("task page", "GET", task_url)
            if status != 200:
                continue
            if 'name="ruling_1"' in form:
                count = len(set(re.findall(r'name="ruling_(\d+)"', form)))
                body = {"action": "decide", **{f"ruling_{i}": "approve" for i in range(1, count + 1)}}
                kind = "decide POST"
            elif 'name="note"' in form:
                body, kind = {"action": "forward", "note": NOTE}, "forward POST"
            else:
                body, kind = {"action": "sign"}, "sign POST"
            status, _, location = self.request(kind, "POST", task_url, body)
            if status == 302 and location:
                self.request("memo page", "GET", urlsplit(location).path)
            elif status not in (0,) and status < 400:
                self.errors.append(f"{kind}: expected a redirect, got {status}")
        if self.conn is not None:
            self.conn.close()


def run() -> Section:
    from django.db import connection

    from directory.models import Capacity
    from memos import services
    from memos.audit import chain_verify
    from memos.models import MemoEvent
    from memos.reference import reference_memo_input
    from workflow import services as workflow_services

    started = time.monotonic()
    section = Section(6, f"Load through HTTP ({OFFICIALS} officials, {DURATION_S:.0f} s, gunicorn on loopback)")
    posts = make_posts("b6-post", OFFICIALS)
    users = [
        make_official(f"b6-official-{i}", "ops-hrd", posts=[(p.key, Capacity.HOLDER)]) for i, p in enumerate(posts)
    ]
    template = reference_memo_input()
    memos = 0
    for i, user in enumerate(users):
        route = [posts[(i + 1) % OFFICIALS], posts[(i + 2) % OFFICIALS]]
        template.signing_position_id = posts[i].pk
        template.route_position_ids = [p.pk for p in route]
        template.addressee_id = route[-1].pk
        for _ in range(MEMOS_PER_OFFICIAL):
            memo = services.memo_create(user=user, data=template)
            workflow_services.memo_submit(memo=memo, user=user)
            memos += 1
    cookies = [_session_cookie(u) for u in users]
    connection.close()

    port = _free_port()
    env = {**os.environ, "CELERY_BROKER_URL": BENCH_REDIS_URL, "PYTHONUNBUFFERED": "1"}
    log_path = BENCH_VAR / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
               str(GUNICORN_WORKERS), "--threads", str(GUNICORN_THREADS), "--worker-class", "gthread",
               "--timeout", "60", "--log-level", "warning"]  # fmt: skip
    with log_path.open("wb") as log_file:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        ready_by = time.monotonic() + 60
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
                if probe.getresponse().status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > ready_by:
                raise AssertionError("gunicorn did not start:\n" + log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        log: list[tuple[str, int, float]] = []
        deadline = time.monotonic() + DURATION_S
        t0 = time.monotonic()
        threads = [Official(port, cookie, deadline, log) for cookie in cookies]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=DURATION_S + 60)
        wall = time.monotonic() - t0
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        _forget_default_queue()

    errors = [e for t in threads for e in t.errors]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, _status, elapsed in log:
        by_kind[kind].append(elapsed)
    all_times = [e for _k, _s, e in log]
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    for kind, status, _elapsed in log:
        statuses[kind][status] += 1
        statuses["all"][status] += 1

    def codes(kind: str) -> str:
        return ", ".join(f"{code}×{n}" for code, n in sorted(statuses[kind].items()))

    section.headers = ["requests", "count", "req/s", "median ms", "p95 ms", "HTTP statuses"]
    section.rows.append(
        ["all", str(len(log)), f"{len(log) / wall:.1f}", ms(median(all_times)), ms(p95(all_times)), codes("all")]
    )
    for kind in ("inbox", "task page", "sign POST", "forward POST", "decide POST", "memo page", "home"):
        values = by_kind.get(kind, [])
        if values:
            section.rows.append([kind, str(len(values)), f"{len(values) / wall:.1f}", ms(median(values)),
                                 ms(p95(values)), codes(kind)])  # fmt: skip

    # Every memo with events in the bench database (this benchmark's and the earlier ones').
    memo_ids = list(MemoEvent.objects.values_list("memo_id", flat=True).distinct())
    bad = [r for r in (chain_verify(memo_id=m) for m in memo_ids) if not r.ok]
    decided = sum(1 for k, s, _ in log if k == "decide POST" and s == 302)
    section.notes.append(
        f"gunicorn {GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads (gthread), DEBUG off, PostgreSQL or "
        f"SQLite as for the whole run, broker Redis ({BENCH_REDIS_URL}, no worker: hand-offs are published and "
        f"dropped afterwards). {OFFICIALS} client threads in the bench process, closed loop without think time, "
        f"keep-alive connections; {memos} memos were waiting for signature at the start, each routed signer → "
        f"reviewer → decider among the {OFFICIALS} officials. {decided} memos were decided during the run. "
        "The load generator shares the 2 cores with the server and the database."
    )
    if errors:
        section.notes.append("Errors: " + "; ".join(sorted(set(errors))[:8]))
    section.targets.append(Target("0 errors", not errors, f"{len(errors)} errors in {len(log)} requests"))
    section.targets.append(Target("every memo's audit chain verifies", not bad,
                                  f"{len(memo_ids) - len(bad)} of {len(memo_ids)} chains verify"))  # fmt: skip
    section.seconds = time.monotonic() - started
    return section


def _forget_default_queue() -> None:
    """The server published to the default queue of the bench's own Redis database, which no
    worker consumes: drop what it left."""
    import redis

    try:
        client = redis.Redis.from_url(BENCH_REDIS_URL, socket_timeout=2)
        client.delete("celery", "_kombu.binding.celery")
    except redis.RedisError:
        pass
