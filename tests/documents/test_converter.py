"""The warm converter: previews through a running LibreOffice (unoserver), a bounded pool that
never queues a reader behind a busy instance, and one soffice per conversion without it."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from documents import converter
from documents.docx_builder import build_directive_docx
from documents.preview import preview_docx, render_pdf
from documents.reference import reference_directive_doc

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(
        shutil.which("soffice") is None or converter._uno_path() is None,
        reason="needs LibreOffice and its Python bridge: apt-get install libreoffice-writer-nogui python3-uno",
    ),
]

PORT = 8175  # this test's own port (LibreOffice's UNO port is the one below)


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    from django.test import override_settings

    var = tmp_path_factory.mktemp("uno")
    with override_settings(VAR_DIR=var, UNOSERVER_PORTS=str(PORT)):
        procs = converter.start_pool([PORT])
        try:
            assert converter.wait_ready(PORT, 90), "unoserver did not start"
            yield PORT
        finally:
            converter.stop_pool(procs)


@pytest.fixture
def docx() -> bytes:
    return preview_docx(build_directive_docx(reference_directive_doc()))


def test_a_running_instance_converts(pool: int, settings: Any, tmp_path: Path, docx: bytes) -> None:
    settings.UNOSERVER_PORTS = str(pool)
    settings.VAR_DIR = tmp_path
    pdf = converter.convert_warm(docx, filter_options=[], timeout=60)
    assert pdf is not None and pdf.startswith(b"%PDF")
    # and the preview goes through it
    assert render_pdf(build_directive_docx(reference_directive_doc())).startswith(b"%PDF")


def test_a_busy_pool_falls_back_instead_of_queueing(pool: int, settings: Any, tmp_path: Path, docx: bytes) -> None:
    settings.UNOSERVER_PORTS = str(pool)
    settings.UNOSERVER_WAIT_SECONDS = 0.1
    settings.VAR_DIR = tmp_path
    lock = tmp_path / "unoserver" / f"{pool}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another process is converting on the only instance
        assert converter.convert_warm(docx, filter_options=[], timeout=60) is None
        assert render_pdf(build_directive_docx(reference_directive_doc())).startswith(b"%PDF")  # one soffice


def test_without_unoserver_one_soffice_converts(settings: Any, tmp_path: Path, docx: bytes) -> None:
    settings.UNOSERVER_PORTS = "8179"  # nothing listens there
    settings.VAR_DIR = tmp_path
    assert not converter.available()
    assert converter.convert_warm(docx, filter_options=[], timeout=60) is None
    assert render_pdf(build_directive_docx(reference_directive_doc())).startswith(b"%PDF")


def test_the_server_command_appends_the_uno_path_and_names_its_ports(tmp_path: Path) -> None:
    command = converter.server_command(2003, tmp_path / "profile")
    assert "sys.path.append(" in command[2]
    assert command[command.index("--port") + 1] == "2003"
    assert command[command.index("--uno-port") + 1] == "2002"


def test_warm_up_prepares_the_first_preview_and_commands_do_not_warm() -> None:
    from documents import worker
    from documents.preview import warm_up

    warm_up()
    assert not worker.serving_web()  # pytest, like manage.py commands, starts no warm-up thread


def test_the_pool_command_waits_quietly_without_libreoffice(settings: Any, tmp_path: Path) -> None:
    """`make run` runs the pool beside the web server: without LibreOffice it must not exit
    (honcho would stop everything), only say so and wait for the stop signal."""
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "SOFFICE_BINARY": "no-such-soffice", "VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "manage.py", "unoserver_pool"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        said = proc.stdout.readline()  # printed once the stop signal is handled
        assert "ไม่พบ LibreOffice" in said
        assert proc.poll() is None, "the pool command exited"
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
