"""Production settings (DEBUG off, https SITE_URL) pass `check --deploy` and send the security
headers. Each runs in a fresh process: the settings are read from the environment at start-up."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)
HOST = "saraban.example.go.th"


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # Nothing of this process's own settings: the tests' DJANGO_ALLOW_ASYNC_UNSAFE, for one,
    # is itself a deploy warning.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "DJANGO_")) and k not in {"DEBUG", "SITE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_HMAC_KEY=secrets.token_hex(32),
        SITE_URL=f"https://{HOST}",
        ALLOWED_HOSTS=HOST,
        VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def test_check_deploy_prints_no_warning(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout + result.stderr
    assert "WARNING" not in result.stderr


PROBE = f"""
import json
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="{HOST}")
plain = client.get("/accounts/login/")
proxied = client.get("/accounts/login/", headers={{"x-forwarded-proto": "https"}})
print(json.dumps({{
    "plain": [plain.status_code, plain.headers.get("Location"), dict(plain.headers)],
    "https": [proxied.status_code, dict(proxied.headers), {{k: bool(v["secure"]) for k, v in proxied.cookies.items()}}],
}}))
"""


def test_production_responses_carry_hsts_permissions_policy_and_secure_cookies(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=production_env(tmp_path, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])

    status, location, headers = seen["plain"]
    assert (status, location) == (301, f"https://{HOST}/accounts/login/")
    assert "Permissions-Policy" in headers

    status, headers, cookies = seen["https"]
    assert status == 200  # the login page renders before collectstatic has run
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "camera=()" in headers["Permissions-Policy"] and "microphone=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert cookies == {"csrftoken": True}


def test_bad_proxy_header_setting_stops_start_up(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in result.stderr


@pytest.mark.django_db
def test_development_pages_carry_permissions_policy_without_https_headers(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response  # SITE_URL is http in development
