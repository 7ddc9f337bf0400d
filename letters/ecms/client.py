"""Talking to the e-CMS hub: one SOAP POST per call (urllib, with the configured timeout),
the answer streamed through the hardened reader (letters.ecms.xml), so a huge answer is cut
at the size limit instead of being read into memory."""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings

from .xml import READ_CHUNK, EcmsError, HubMessage, build_request, read_message

logger = logging.getLogger(__name__)


class HubUnavailable(Exception):
    """The hub could not be reached or answered nonsense: a Thai sentence; worth a retry."""


class HubRefused(Exception):
    """The hub answered with a SOAP fault: its reason, in a Thai sentence."""


def _within(response: IO[bytes], *, seconds: float) -> Iterator[bytes]:
    """The answer's bytes, until `seconds` have passed: the socket timeout bounds each read,
    this bounds a server that sends a byte now and then for ever."""
    deadline = time.monotonic() + seconds
    while chunk := response.read(READ_CHUNK):
        if time.monotonic() > deadline:
            raise HubUnavailable("ศูนย์ e-CMS ส่งข้อมูลช้าเกินกำหนด จะลองใหม่ในรอบถัดไป")
        yield chunk


@dataclass
class HubClient:
    url: str
    timeout: float = 30.0
    max_bytes: int = 20 * 1024 * 1024
    max_total: int = 60 * 1024 * 1024

    @classmethod
    def from_settings(cls) -> HubClient:
        url = settings.ECMS_HUB_URL
        if not url:
            raise HubUnavailable("ยังไม่ได้ตั้งค่าที่อยู่ศูนย์ e-CMS (ECMS_HUB_URL)")
        return cls(
            url=url,
            timeout=float(settings.ECMS_TIMEOUT),
            max_bytes=int(settings.ECMS_MAX_BYTES),
            max_total=int(settings.ECMS_MAX_LETTER_BYTES),
        )

    def post(self, operation: str, payload: bytes) -> HubMessage:
        """POST one envelope; the answer read, or HubUnavailable / HubRefused / EcmsError."""
        if not self.url.startswith(("http://", "https://")):
            raise HubUnavailable(f"ที่อยู่ศูนย์ e-CMS ต้องขึ้นต้นด้วย http:// หรือ https:// ({self.url})")
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
            self.url,
            data=payload,
            method="POST",
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{operation}"'},
        )
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)  # noqa: S310
        except urllib.error.HTTPError as exc:
            # A SOAP fault comes with HTTP 500 and says why in its body.
            try:
                message = read_message(exc, max_bytes=64 * 1024)
            except EcmsError:
                raise HubUnavailable(f"ศูนย์ e-CMS ตอบกลับผิดพลาด (HTTP {exc.code})") from None
            finally:
                exc.close()
            if message.fault:
                raise HubRefused(message.fault) from None
            raise HubUnavailable(f"ศูนย์ e-CMS ตอบกลับผิดพลาด (HTTP {exc.code})") from None
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise HubUnavailable(f"ติดต่อศูนย์ e-CMS ไม่ได้ ({reason})") from None
        with response:
            try:
                message = read_message(
                    _within(response, seconds=self.timeout * 10), max_bytes=self.max_bytes, max_total=self.max_total
                )
            except (TimeoutError, OSError) as exc:
                raise HubUnavailable(f"การรับข้อมูลจากศูนย์ e-CMS ขาดหาย ({exc})") from None
        if message.fault:
            raise HubRefused(message.fault)
        return message

    def call(self, operation: str, fields: dict[str, str] | None = None) -> HubMessage:
        return self.post(operation, build_request(operation, to=self.url, fields=fields))

    def fetch_inbound(self) -> HubMessage:
        """The next item of our queue (a letter or a notifier), or a message without one."""
        return self.call("CorrespondenceLetterInboundRequest")

    def delete(self, process_id: str) -> None:
        """Take an item off our queue, once it is safely ours."""
        self.call("CorrespondenceLetterDeleteRequest", {"ProcessID": process_id})
