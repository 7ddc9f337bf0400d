"""The health endpoint (/health/, no login): django-health-check's view with the checks this
service depends on — database, cache, the Celery broker, stored files, and the document
converter (LibreOffice installed, or unoserver answering where UNOSERVER_ADDRESS names one);
optionally that a Celery worker answers (HEALTH_CHECK_WORKERS).

200 when every check passes, 500 otherwise; JSON for `Accept: application/json` or
`?format=json`, plain text for `?format=text`, a Thai page in a browser. What it prints names
each check and its state, never an address, a path or a password: the checks' reprs carry
no settings, and their messages are fixed strings.
"""

from __future__ import annotations

import dataclasses
import datetime
import xmlrpc.client
from collections.abc import Iterable
from typing import Any

from celery.app import app_or_default
from django.conf import settings
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from documents.preview import soffice_available

LABELS = {
    "Database": "ฐานข้อมูล",
    "Cache": "แคช",
    "Broker": "ตัวกลางส่งงานเบื้องหลัง (Celery broker)",
    "Storage": "ที่เก็บไฟล์",
    "Converter": "ตัวแปลงเอกสาร (LibreOffice)",
    "Ping": "ตัวประมวลผลงานเบื้องหลัง (Celery worker)",
}


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (Redis, RabbitMQ, or the file-system broker's
    folders). Works with no worker running; HEALTH_CHECK_WORKERS adds a worker ping."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self) -> None:
        app = app_or_default()
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=self.timeout.total_seconds())
        except Exception as exc:  # kombu raises the transport's own errors; none may leak the URL
            raise ServiceUnavailable("ติดต่อตัวกลางส่งงานไม่ได้") from exc


@dataclasses.dataclass
class Converter(HealthCheck):
    """Documents can be converted to PDF: unoserver answers at UNOSERVER_ADDRESS
    ("host:port") when that is set, otherwise the LibreOffice program (SOFFICE_BINARY) is
    installed."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self) -> None:
        address = str(getattr(settings, "UNOSERVER_ADDRESS", "") or "")
        if address:
            self._ask_unoserver(address)
        elif not soffice_available():
            raise ServiceUnavailable("ไม่พบโปรแกรม LibreOffice (soffice) สำหรับแปลงเอกสาร")

    def _ask_unoserver(self, address: str) -> None:
        transport = _TimeoutTransport(self.timeout.total_seconds())
        proxy = xmlrpc.client.ServerProxy(f"http://{address}", transport=transport)
        try:
            proxy.info()
        except xmlrpc.client.Fault:
            pass  # an older unoserver without info(): it answered, which is what is asked
        except (OSError, xmlrpc.client.ProtocolError) as exc:
            raise ServiceUnavailable("unoserver ไม่ตอบ") from exc


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: Any) -> Any:
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def configured_checks() -> list[Any]:
    checks: list[Any] = [
        "health_check.checks.Database",
        "health_check.checks.Cache",
        Broker,
        "health_check.checks.Storage",
    ]
    if getattr(settings, "HEALTH_CHECK_CONVERTER", True):
        checks.append(Converter)
    if getattr(settings, "HEALTH_CHECK_WORKERS", False):
        checks.append(("health_check.contrib.celery.Ping", {"timeout": datetime.timedelta(seconds=2)}))
    return checks


class HealthView(HealthCheckView):
    """django-health-check's view with this service's checks and a Thai page."""

    template_name = "ops/health.html"

    def get_checks(self) -> Any:
        self.checks = configured_checks()
        return super().get_checks()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = list(_rows(self.results))
        return context


def _rows(results: Iterable[Any]) -> Iterable[dict[str, Any]]:
    for result in results:
        name = type(result.check).__name__
        yield {
            "label": LABELS.get(name, name),
            "ok": result.error is None,
            "message": "ปกติ" if result.error is None else getattr(result.error, "message", "ผิดปกติ"),
            "ms": round(result.time_taken * 1000),
        }


__all__ = ["Broker", "Converter", "HealthView", "configured_checks"]
