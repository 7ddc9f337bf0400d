"""Ctrl-C on `make run` stops the web server, the worker and the beat scheduler quietly.

The test starts what `make run` starts after its setup (honcho with the Procfile) in its own
process group, as a terminal's foreground job is, with a private VAR_DIR, a free port and the
file-system broker, waits until the page answers and the worker and the scheduler say they are
ready, then sends SIGINT to the group, as Ctrl-C does, and reads everything they printed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.integration.celery_support import database_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]  # they share the test database

READY = {
    "worker": " ready.",  # "celery@host ready."
    "beat": "beat: Starting...",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Output:
    """Lines of the process group's output, read as they come, with a wait on a condition."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: object) -> None:
        for raw in stream:  # type: ignore[attr-defined]
            with self.changed:
                self.lines.append(raw.decode("utf-8", "replace"))
                self.changed.notify_all()

    def text(self) -> str:
        with self.changed:
            return "".join(self.lines)

    def wait_for(self, predicate: object, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self.lines), timeout=timeout)  # type: ignore[operator]


def page_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own http://127.0.0.1 URL)
            return bool(response.status == 200)
    except OSError:
        return False


def test_ctrl_c_stops_web_worker_and_beat_without_a_traceback(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_ALLOW_ASYNC"))}
    env |= {
        "VAR_DIR": str(tmp_path),
        "PORT": str(port),
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": "filesystem://",  # its own queue under VAR_DIR, never a shared broker's
        "PYTHONUNBUFFERED": "1",
    }
    honcho = Path(settings.BASE_DIR) / ".venv" / "bin" / "honcho"
    process = subprocess.Popen(
        [str(honcho), "start", "-f", "Procfile"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a process group of its own, like a terminal's foreground job
    )
    output = Output(process.stdout)
    try:
        login = f"http://127.0.0.1:{port}/accounts/login/"
        up = output.wait_for(lambda lines: all(any(mark in line for line in lines) for mark in READY.values()), 120)
        assert up, output.text()[-3000:]
        deadline = time.monotonic() + 60
        while not page_answers(login):  # the server binds its port just after its banner
            assert time.monotonic() < deadline and process.poll() is None, output.text()[-3000:]
            time.sleep(0.2)

        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    output.thread.join(timeout=10)
    text = output.text()

    assert "SIGINT received" in text
    for name in ("web", "worker", "beat"):
        assert f"{name}.1 stopped" in text, text[-3000:]
    assert "Traceback" not in text, text
    assert "ERROR/" not in text and "CRITICAL/" not in text, text
    assert not page_answers(login)  # the web server is gone
