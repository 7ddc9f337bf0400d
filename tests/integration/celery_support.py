"""Test helpers for Celery: point this process's app at another broker, read what was
published to an in-memory broker, and run a real worker process against the test database.
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from kombu import Connection, pools

# Matches config/settings.py for network brokers: fail fast instead of kombu's retry loop.
NETWORK_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


def _reset_pools(app: Any) -> None:
    # Celery caches the broker connection pool and the producer pool on first use, and
    # kombu keeps a registry of pools keyed by broker; all must go for a new broker_url to
    # take effect (this is what Celery does after fork).
    pools.reset()
    app._pool = None
    with suppress(AttributeError):
        app.amqp._producer_pool = None


@contextmanager
def use_broker(url: str, *, queue: str | None = None) -> Iterator[None]:
    """Publish this process's tasks to `url` (and to `queue`, if given) inside the block."""
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_default_queue)
    _reset_pools(app)
    app.conf.broker_url = url
    app.conf.broker_transport_options = {} if url.startswith("memory://") else dict(NETWORK_TRANSPORT_OPTIONS)
    if queue:
        app.conf.task_default_queue = queue
    try:
        yield
    finally:
        _reset_pools(app)
        app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_default_queue = saved


@dataclass
class MemoryBroker:
    """kombu's in-memory transport: what this process publishes stays in this process."""

    queue: str

    def take(self) -> list[tuple[str, tuple[Any, ...]]]:
        """Remove and return the queued tasks as (task name, args)."""
        taken = []
        with Connection("memory://") as conn:
            simple = conn.SimpleQueue(self.queue)
            while True:
                try:
                    message = simple.get(block=False)
                except simple.Empty:
                    break
                args, _kwargs, _embed = message.decode()
                taken.append((message.headers["task"], tuple(args)))
                message.ack()
            simple.close()
        return taken

    def run_queued(self) -> list[Any]:
        """Act as a worker: run every queued task in this process, return their results."""
        from config.celery import app

        return [app.tasks[name](*args) for name, args in self.take()]


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL naming the database this process is connected to (the test database
    once pytest-django has set it up), for a subprocess to share it."""
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    if engine.endswith("postgresql"):
        user = quote(settings_dict.get("USER") or "")
        password = settings_dict.get("PASSWORD") or ""
        auth = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{quote(settings_dict['NAME'])}"
    raise NotImplementedError(f"no DATABASE_URL form for {engine}")


def redis_host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


@dataclass
class CeleryWorker:
    """A running `celery -A config worker` subprocess and what it was started with."""

    process: subprocess.Popen[bytes]
    env: dict[str, str]
    broker_url: str
    queue: str
    var_dir: Path
    log_path: Path
    started_in: float = 0.0

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    @contextmanager
    def connected(self) -> Iterator[None]:
        """Inside the block, tasks published by this process go to this worker."""
        with use_broker(self.broker_url, queue=self.queue):
            yield

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def mails(self) -> list[email.message.EmailMessage]:
        """Every message the worker's file-based mail backend has written, parsed."""
        separator = b"\n" + b"-" * 79 + b"\n"
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")) if self.mail_dir.exists() else []:
            for chunk in path.read_bytes().split(separator):
                if chunk.strip():
                    parsed = email.message_from_bytes(chunk, policy=email.policy.default)
                    assert isinstance(parsed, email.message.EmailMessage)
                    messages.append(parsed)
        return messages

    def wait_for(self, condition: Callable[[], Any], *, timeout: float = 20.0, what: str = "condition") -> Any:
        """Poll until `condition()` is truthy; fail with the worker's log if it never is."""
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if self.process.poll() is not None:
                raise AssertionError(
                    f"worker exited ({self.process.returncode}) while waiting for {what}:\n{self.log()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} not reached within {timeout}s; worker log:\n{self.log()[-4000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            # Warm shutdown: the task in hand finishes, then the worker closes its DB
            # connections (the test database is dropped right after).
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_worker(
    *, base_dir: Path, database_url: str, broker_url: str, queue: str, var_dir: Path, extra_env: dict[str, str]
) -> CeleryWorker:
    var_dir.mkdir(parents=True, exist_ok=True)
    log_path = var_dir / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # VAR_DIR moves the file-based mail (var/mail) and anything else the worker writes
        # into the test's temporary directory.
        "VAR_DIR": str(var_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "PYTHONUNBUFFERED": "1",
        # A test's worker starts no warm converter (LibreOffice pool) of its own, and uses none
        # that something else left running (tests/conftest.py does the same in-process).
        "UNOSERVER_START_WITH_WORKER": "false",
        "UNOSERVER_PORTS": "none",
        # As in-process (tests/conftest.py): no continuation-marker step, which lays each
        # version out with LibreOffice; tests/documents/test_marking.py is about that step.
        "DOCUMENT_PAGE_MARKS": "false",
        **extra_env,
    }
    celery = Path(sys.executable).with_name("celery")
    command = [
        str(celery),
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        # Nothing to learn from other workers, and each of these costs start-up time.
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    started = time.monotonic()
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=base_dir, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    worker = CeleryWorker(
        process=process, env=env, broker_url=broker_url, queue=queue, var_dir=var_dir, log_path=log_path
    )
    try:
        worker.wait_for(lambda: " ready." in worker.log(), timeout=60, what="worker start-up")
    except BaseException:
        worker.stop()
        raise
    worker.started_in = time.monotonic() - started
    return worker
