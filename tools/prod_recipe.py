"""The production recipe of docs/deploy.md, started on this machine: PostgreSQL (a database of
its own, made afresh), Redis (a database number of its own), DEBUG off, collectstatic,
migrate, the demo accounts, then the lines of Procfile.production: gunicorn, two Celery
workers, one beat. Mail goes by SMTP to a local aiosmtpd server that records every message.

Used by tools/prod_smoke.py (the CI job) and by the benchmarks that need the real recipe
(bench/b7_fault.py, bench/b9_load.py). Every wait polls a condition with a deadline.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PROCFILE = BASE_DIR / "Procfile.production"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/saraban_prod_smoke"
# Its own Redis database: the CI test run uses 15, the benchmarks 14.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"

# As docs/deploy.md gives it: viewflow's bundled Dash/Plotly (unused) and the source maps
# are left out, which makes collectstatic about 2.5 times faster and STATIC_ROOT half the size.
COLLECTSTATIC_ARGS = ("--noinput", "--ignore", "*.map", "--ignore", "dash")

T = TypeVar("T")


def wait_for(condition: Callable[[], T | None], *, timeout: float, what: str, every: float = 0.1) -> T:
    """Poll `condition()` until it returns something truthy; AssertionError after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached within {timeout:.0f} s")
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def procfile_commands(path: Path = PROCFILE) -> dict[str, str]:
    commands = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            # As written: a line that starts with `exec` makes the program itself receive the
            # signals sent to `sh -c` (both Procfiles do; honcho runs them the same way).
            commands[name.strip()] = command.strip()
    return commands


# --- the mail server ------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    message_id: str
    to: list[str]
    subject: str
    received_at: float


class MailSink:
    """An aiosmtpd server on loopback that keeps every message it accepts."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.port = port
        self.lock = threading.Lock()
        self.messages: list[ReceivedMail] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        mail = ReceivedMail(
            message_id=str(parsed.get("Message-ID", "")).strip(),
            to=list(envelope.rcpt_tos),
            subject=str(parsed.get("Subject", "")).strip(),
            received_at=time.monotonic(),
        )
        with self.lock:
            self.messages.append(mail)
        return "250 OK"

    def snapshot(self) -> list[ReceivedMail]:
        with self.lock:
            return list(self.messages)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


# --- processes ------------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        # Each process leads a session of its own (start_new_session): its group is it and
        # the children it forked (gunicorn's and Celery's pool processes), nothing else.
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def terminate(self) -> None:
        """SIGTERM to the leader only, as systemd's KillMode=mixed does: gunicorn's master and
        Celery's main process stop their own children (a signal to the pool processes too
        would cut their tasks short)."""
        with suppress(ProcessLookupError):
            self.popen.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 30.0, *, signalled: bool = False) -> bool:
        """SIGTERM (warm shutdown) unless `signalled` already, then wait; SIGKILL after
        `timeout`. True if it stopped by itself with exit code 0."""
        if self.alive():
            if not signalled:
                self.terminate()
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
                return False
        # Children left behind by a killed leader would hold ports and database connections.
        self.signal_group(signal.SIGKILL)
        return self.popen.returncode == 0


@dataclass
class Recipe:
    """The running recipe: where it listens and how to reach its pieces."""

    base_dir: Path
    var_dir: Path
    database_url: str
    redis_url: str
    web_port: int
    mail: MailSink
    env: dict[str, str]
    logins: dict[str, str] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # Processes that did not stop by themselves on SIGTERM with exit code 0.
    unclean: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start_process(self, name: str, kind: str, extra_env: dict[str, str] | None = None) -> Process:
        command = procfile_commands()[kind]
        log_path = self.var_dir / f"{name}.log"
        env = {**self.env, **(extra_env or {})}
        with log_path.open("ab") as log_file:
            popen = subprocess.Popen(
                ["/bin/sh", "-c", command],
                cwd=self.base_dir,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log_path)
        self.processes[name] = process
        return process

    def start_worker(self, number: int, concurrency: int) -> Process:
        return self.start_process(
            f"worker-{number}", "worker", {"WORKER_ID": str(number), "WORKER_CONCURRENCY": str(concurrency)}
        )

    def wait_worker_ready(self, process: Process, timeout: float = 60) -> None:
        def ready() -> bool:
            if not process.alive():
                raise AssertionError(f"{process.name} exited ({process.popen.returncode}):\n{process.log()[-3000:]}")
            return " ready." in process.log()

        wait_for(ready, timeout=timeout, what=f"{process.name} start-up")

    def manage(self, *args: str, timeout: float = 180) -> str:
        result = subprocess.run(
            [str(self.base_dir / ".venv/bin/python"), "manage.py", *args],
            cwd=self.base_dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
            )
        return result.stdout


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"refusing to recreate database {name!r}: name a database of its own")
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, "")), name


def migrations_key() -> str:
    """Changes whenever a migration of the project or an installed package could have."""
    digest = hashlib.sha256()
    for path in sorted(BASE_DIR.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(BASE_DIR)).encode() + path.read_bytes())
    for name in ("requirements.txt", "requirements-dev.txt"):
        digest.update((BASE_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


def _recreate_database(url: str, *, use_template: bool) -> bool:
    """A fresh, empty database; or, with `use_template`, a copy of the migrated template kept
    from an earlier run with the same migrations (migrate then finds nothing to do). True if
    the copy was made."""
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    template = f"{name}_tpl_{migrations_key()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
        if use_template and exists:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
            )
            return True
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return False


def _save_template(url: str) -> None:
    """Keep the just-migrated database as the template of later runs (and drop older ones)."""
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    template = f"{name}_tpl_{migrations_key()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        for (old,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{name}\\_tpl\\_%"]):
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(old)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(template), sql.Identifier(name)))


def _drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_timeout=5).flushdb()


def services_answer(database_url: str, redis_url: str) -> str:
    """Empty if PostgreSQL and Redis answer, else why not."""
    db = urlsplit(database_url)
    rd = urlsplit(redis_url)
    if not port_open(db.hostname or "127.0.0.1", db.port or 5432):
        return f"PostgreSQL does not answer on {db.hostname}:{db.port or 5432}"
    if not port_open(rd.hostname or "127.0.0.1", rd.port or 6379):
        return f"Redis does not answer on {rd.hostname}:{rd.port or 6379}"
    return ""


def _wait_web(recipe: Recipe) -> None:
    web = recipe.processes["web"]

    def web_answers() -> bool:
        if not web.alive():
            raise AssertionError(f"gunicorn exited ({web.popen.returncode}):\n{web.log()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", recipe.web_port, timeout=5)
            conn.request("GET", "/accounts/login/")
            return conn.getresponse().status == 200
        except OSError:
            return False

    wait_for(web_answers, timeout=60, what="gunicorn answering", every=0.2)


@contextmanager
def running_recipe(
    *,
    var_dir: Path,
    database_url: str = DEFAULT_DATABASE_URL,
    redis_url: str = DEFAULT_REDIS_URL,
    web_port: int | None = None,
    smtp_port: int | None = None,
    workers: int = 2,
    worker_concurrency: int = 1,
    web_workers: int = 2,
    web_threads: int = 4,
    extra_env: dict[str, str] | None = None,
    keep_database: bool = False,
    use_template: bool = True,
    web: bool = True,
    log: Callable[[str], None] = print,
) -> Iterator[Recipe]:
    """Set up and start the recipe; stop everything when the block ends (also on failure)."""
    started = time.monotonic()
    var_dir.mkdir(parents=True, exist_ok=True)
    for old in var_dir.glob("*.log"):
        old.unlink()
    web_port = web_port or free_port()
    smtp_port = smtp_port or free_port()
    secret = secrets.token_urlsafe(48)
    env = {
        # A clean environment: nothing of the caller's development settings leaks in.
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(var_dir)),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        # The converter as docs/deploy.md has it: LibreOffice installed, one soffice a
        # conversion; no worker starts a warm pool of its own.
        "UNOSERVER_START_WITH_WORKER": "false",
        "SECRET_KEY": secret,
        "AUDIT_HMAC_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "VAR_DIR": str(var_dir / "var"),
        "STATIC_ROOT": str(var_dir / "static"),
        "MEDIA_ROOT": str(var_dir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "DEFAULT_FROM_EMAIL": "saraban@smoke.example.go.th",
        "BIND": f"127.0.0.1:{web_port}",
        "WEB_WORKERS": str(web_workers),
        "WEB_THREADS": str(web_threads),
        "GUNICORN_LOG_LEVEL": "warning",
        **(extra_env or {}),
    }
    mail = MailSink(smtp_port)
    recipe = Recipe(BASE_DIR, var_dir, database_url, redis_url, web_port, mail, env)

    def mark(step: str, since: float) -> float:
        now = time.monotonic()
        recipe.timings[step] = now - since
        log(f"  {step}: {now - since:.1f} s")
        return now

    try:
        t = time.monotonic()
        copied = _recreate_database(database_url, use_template=use_template)
        flush_redis(redis_url)
        t = mark("database (a copy of the migrated template)" if copied else "fresh database", t)
        # collectstatic needs no database: it runs beside migrate.
        static = subprocess.Popen(
            [str(BASE_DIR / ".venv/bin/python"), "manage.py", "collectstatic", *COLLECTSTATIC_ARGS, "-v", "0"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        recipe.manage("migrate", "--noinput", "-v", "0")
        out, _ = static.communicate(timeout=120)
        if static.returncode != 0:
            raise AssertionError(f"collectstatic failed:\n{out.decode(errors='replace')[-3000:]}")
        if use_template and not copied:
            _save_template(database_url)
        t = mark("migrate + collectstatic", t)
        recipe.manage("seed_demo")
        logins_path = Path(env["VAR_DIR"]) / "demo-logins.txt"
        recipe.logins = dict(line.split("\t", 1) for line in logins_path.read_text(encoding="utf-8").splitlines())
        t = mark("directory and demo accounts", t)

        mail.start()
        worker_processes = [recipe.start_worker(i, worker_concurrency) for i in range(1, workers + 1)]
        recipe.start_process("beat", "beat")
        if web:
            recipe.start_process("web", "web")
            _wait_web(recipe)
        for process in worker_processes:
            recipe.wait_worker_ready(process)

        mark("processes started", t)
        log(f"  recipe up in {time.monotonic() - started:.1f} s: {recipe.base_url}, SMTP 127.0.0.1:{smtp_port}")
        yield recipe
    finally:
        t = time.monotonic()
        # Stopped together, as a supervisor stops a service: SIGTERM to all, then wait.
        for process in recipe.processes.values():
            if process.alive():
                process.terminate()
        unclean = [name for name, process in recipe.processes.items() if not process.stop(signalled=True)]
        recipe.unclean = unclean
        with suppress(Exception):
            mail.stop()
        recipe.timings["stop"] = time.monotonic() - t
        if recipe.processes:
            log(f"  stop: {recipe.timings['stop']:.1f} s" + (f" (not clean: {', '.join(unclean)})" if unclean else ""))
        with suppress(Exception):
            flush_redis(redis_url)
        if not keep_database:
            with suppress(Exception):
                _drop_database(database_url)
