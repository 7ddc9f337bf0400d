"""The API's documentation pages work in a real browser under the site's CSP: Swagger UI and
ReDoc come from our own static files (drf-spectacular-sidecar) and draw the Thai schema; no
script is refused (inline styles are admitted on these two pages only, see api/urls.py)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.test_csp import REPORT_VIOLATIONS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "drawn"),
    [
        ("/api/schema/swagger/", "#swagger-ui .information-container"),
        ("/api/schema/redoc/", "redoc h1"),
    ],
)
def test_schema_page_draws_from_our_static_files(browser: Any, live_server: Any, path: str, drawn: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(live_server.url + path)
        expect(page.locator(drawn).first).to_contain_text("API ระบบสารบรรณอิเล็กทรอนิกส์", timeout=15_000)
        violations = page.evaluate("() => window.cspViolations.splice(0)")
        # ReDoc's search worker (a blob: script) and its CDN logo are refused, and it works
        # without them; nothing else may be.
        refused = [v for v in violations if "blob" not in v.split(" | ")[1] and "cdn.redoc.ly" not in v]
        assert refused == []
        scripts = [url for url in requested if url.endswith(".js")]
        assert scripts and all(url.startswith(live_server.url) for url in scripts)
    finally:
        context.close()
