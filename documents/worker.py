"""What a Celery worker does for documents at start-up: the warm converter and the template.

Connected in DocumentsConfig.ready(), which also warms a web process (warm_web). The worker starts the unoserver pool itself when none
is running (a worker started without `make run`), and stops what it started; each worker
process builds the .docx template once before its first task (a cold first build took
166 ms against 7.75 ms warm).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from typing import Any

from django.conf import settings

from . import converter

logger = logging.getLogger(__name__)
_started: list[subprocess.Popen[bytes]] = []
# Set when the worker shuts down: a pool must not start after that (it would outlive the
# worker, and the worker's stop would wait on it).
_stopping = threading.Event()


GRACE_SECONDS = 20.0  # `make run` starts the pool beside the worker: give it time to answer


def start_converter(**_: Any) -> None:
    if not getattr(settings, "UNOSERVER_START_WITH_WORKER", True):
        return
    threading.Thread(target=_start_unless_running, name="documents-unoserver", daemon=True).start()


def _start_unless_running() -> None:
    if converter.wait_any(GRACE_SECONDS) or _stopping.is_set():
        return
    try:
        procs = converter.start_pool()
    except (OSError, RuntimeError) as exc:  # no LibreOffice or uno: previews use one soffice each
        logger.warning("warm converter not started: %s", exc)
        return
    _started.extend(procs)
    if _stopping.is_set():  # the worker began to stop while the pool started
        stop_converter()


def stop_converter(**_: Any) -> None:
    _stopping.set()
    converter.stop_pool(_started)
    _started.clear()


def warm_template(**_: Any) -> None:
    from .preview import warm_up

    warm_up()


def serving_web() -> bool:
    """True in a process that serves pages (runserver, gunicorn), not in manage.py commands."""
    return "runserver" in sys.argv or "gunicorn" in os.path.basename(sys.argv[0] if sys.argv else "")


def warm_web() -> None:
    """A web process warms in the background, so its first preview does not pay the loading
    and start-up does not wait for it."""
    if serving_web():
        threading.Thread(target=warm_template, name="documents-warm-up", daemon=True).start()


def connect() -> None:
    from celery.signals import worker_init, worker_process_init, worker_shutdown

    worker_init.connect(start_converter, weak=False)
    worker_shutdown.connect(stop_converter, weak=False)
    worker_process_init.connect(warm_template, weak=False)
