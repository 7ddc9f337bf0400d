"""A warm converter: LibreOffice kept running behind unoserver, in a bounded pool.

Starting soffice for one conversion costs about 1.4 s; a running one converts a memo in a
fraction of that. `python manage.py unoserver_pool` (a Procfile line of `make run`, and
started by the Celery worker when none is running) keeps UNOSERVER_PORTS instances, one
soffice each. A conversion takes a free instance: each instance has a lock file under
VAR_DIR, taken with flock, so web and worker processes share the pool without queueing
behind one soffice; when every instance is busy for UNOSERVER_WAIT_SECONDS, or none
answers, the caller falls back to one soffice for the conversion (documents/preview.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import random
import socket
import subprocess
import sys
import time
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_PORTS = "2003,2005"
# Where Debian's python3-uno puts the `uno` module unoserver's server side needs; the client
# side (this module) speaks XML-RPC and needs nothing of LibreOffice.
UNO_PATHS = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program")


def ports() -> list[int]:
    raw = str(getattr(settings, "UNOSERVER_PORTS", None) or os.environ.get("UNOSERVER_PORTS") or DEFAULT_PORTS)
    out = []
    for part in raw.split(","):
        part = part.strip()
        if part.isdigit():
            out.append(int(part))
    return out


def _wait_seconds() -> float:
    try:
        return float(getattr(settings, "UNOSERVER_WAIT_SECONDS", 5.0))
    except (TypeError, ValueError):
        return 5.0


def _listening(port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def available() -> bool:
    return any(_listening(p) for p in ports())


def _lock_dir() -> Path:
    path = Path(settings.VAR_DIR) / "unoserver"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def _instance(candidates: list[int]) -> Iterator[int | None]:
    """A free instance's port, held for the block (None when all stay busy)."""
    handles = {p: open(_lock_dir() / f"{p}.lock", "a+") for p in candidates}  # noqa: SIM115
    held: int | None = None
    try:
        deadline = time.monotonic() + _wait_seconds()
        order = random.sample(candidates, len(candidates))
        while held is None:
            for port in order:
                try:
                    fcntl.flock(handles[port], fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                held = port
                break
            if held is None:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.02)
        yield held
    finally:
        for port, handle in handles.items():
            if port == held:
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()


def convert_warm(docx_bytes: bytes, *, filter_options: list[str], timeout: float) -> bytes | None:
    """PDF bytes from a running instance, or None when none is free or reachable."""
    live = [p for p in ports() if _listening(p)]
    if not live:
        return None
    with _instance(live) as port:
        if port is None:
            logger.info("every unoserver instance busy: one soffice for this conversion")
            return None
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}", allow_none=True)
        old = socket.getdefaulttimeout()
        socket.setdefaulttimeout(timeout)
        try:
            result = proxy.convert(
                None,
                xmlrpc.client.Binary(docx_bytes),
                None,
                "pdf",
                "writer_pdf_Export",
                filter_options,
                False,
                None,
                None,
            )
        except (OSError, xmlrpc.client.Error) as exc:
            logger.warning("unoserver on port %s failed (%s): one soffice for this conversion", port, exc)
            return None
        finally:
            socket.setdefaulttimeout(old)
    data = getattr(result, "data", None)
    return bytes(data) if data else None


# --- The pool's processes -----------------------------------------------------------------------


def _uno_path() -> str | None:
    for path in UNO_PATHS:
        if (Path(path) / "uno.py").is_file():
            return path
    return None


def server_command(port: int, profile: Path) -> list[str]:
    """unoserver for one instance, run by this interpreter with LibreOffice's `uno` module
    appended to its path (appended, so that nothing in the virtualenv is shadowed)."""
    uno = _uno_path()
    if uno is None:
        raise RuntimeError("ไม่พบโมดูล uno ของ LibreOffice (ติดตั้งแพ็กเกจ python3-uno)")
    code = f"import sys; sys.path.append({uno!r}); sys.argv[0] = 'unoserver'; from unoserver.server import main; main()"
    return [
        sys.executable,
        "-c",
        code,
        "--port",
        str(port),
        "--uno-port",
        str(port - 1),
        "--user-installation",
        str(profile),
        "--conversion-timeout",
        "120",
        "--quiet",
    ]


def start_pool(wanted: list[int] | None = None) -> list[subprocess.Popen[bytes]]:
    """Start an instance on every configured port that is not already served."""
    procs = []
    base = Path(settings.VAR_DIR) / "unoserver"
    base.mkdir(parents=True, exist_ok=True)
    for port in wanted or ports():
        if _listening(port):
            continue
        profile = base / f"profile-{port}"
        procs.append(subprocess.Popen(server_command(port, profile), stdin=subprocess.DEVNULL))  # noqa: S603
    return procs


def wait_ready(port: int, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _listening(port):
            return True
        time.sleep(0.2)
    return False


def wait_any(seconds: float) -> bool:
    """True as soon as some configured instance answers; False after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if available():
            return True
        time.sleep(0.5)
    return available()


def stop_pool(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def warm_instances(wanted: list[int]) -> None:
    """One conversion through each new instance: LibreOffice's first document load (fonts,
    filters) costs seconds, which the first reader should not wait for."""
    from .docx_builder import build_memo_docx
    from .preview import preview_docx
    from .reference import reference_memo_doc

    sample = preview_docx(build_memo_docx(reference_memo_doc(with_endorsements=False)))
    for port in wanted:
        if not wait_ready(port):
            logger.warning("unoserver on port %s did not start", port)
            continue
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}", allow_none=True)
        try:
            proxy.convert(None, xmlrpc.client.Binary(sample), None, "pdf", "writer_pdf_Export", [], False, None, None)
        except (OSError, xmlrpc.client.Error) as exc:
            logger.warning("warming unoserver on port %s failed: %s", port, exc)
