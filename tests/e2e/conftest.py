"""A real browser (Debian's Chromium driven by Playwright) against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
# Screenshots go under var/ so that a test run never rewrites the tracked ones; REFRESH_SCREENS=1
# (make screens) writes them into docs/screens for the README.
SCREENS = ROOT / "docs" / "screens" if os.environ.get("REFRESH_SCREENS") else ROOT / "var" / "screens"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian packages chromium, chromium-driver)")
    from playwright.sync_api import expect, sync_playwright

    # expect() waits for its condition and returns as soon as it holds; its ceiling (5 s by
    # default) only decides when to give up. A shared 2-core CI machine can take longer than
    # 5 s to render a page while the worker renders documents, so the ceiling is generous.
    expect.set_options(timeout=20_000)

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def screens() -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS
