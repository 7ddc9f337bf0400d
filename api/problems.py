"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status, a
Thai `detail` a person can read, a stable `code` a program can branch on, and for invalid
input the Thai messages per field (`errors`).

Domain errors are the services' own `django.core.exceptions.ValidationError`s: the service's
Thai message becomes `detail` and its code (`state`, `preflight`, `not_clerk` …) the `code`;
a memo or circular in the wrong state for the action answers 409, anything else 400.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import set_rollback

logger = logging.getLogger("api")

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "urn:saraban:problem:"

TITLES = {
    400: "ข้อมูลไม่ถูกต้อง",
    401: "ต้องยืนยันตัวตน",
    403: "ไม่มีสิทธิ์",
    404: "ไม่พบข้อมูล",
    405: "ไม่รองรับวิธีการเรียกนี้",
    406: "ไม่รองรับรูปแบบข้อมูลที่ขอ",
    409: "ขัดแย้งกับสถานะปัจจุบัน",
    415: "ไม่รองรับชนิดข้อมูลที่ส่งมา",
    429: "เรียกใช้บ่อยเกินไป",
    500: "ระบบขัดข้อง",
    503: "บริการไม่พร้อมใช้งานชั่วคราว",
}

# Service codes that mean "not now, in this state" rather than "wrong input".
CONFLICT_CODES = {"state", "already_sent", "already_received", "already_booked", "busy", "done", "withdrawn"}


class Problem(exceptions.APIException):
    """An error the API raises itself, with its own status, code and Thai detail."""

    def __init__(self, detail: str, *, code: str, status_code: int = 400) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.problem_code = code


def problem_response(
    *, status_code: int, code: str, detail: str, request: Any = None, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": TITLES.get(status_code, "เกิดข้อผิดพลาด"),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if request is not None:
        body["instance"] = request.path
    if errors:
        body["errors"] = errors
    # A plain Django response, not DRF's: whatever renderer the client negotiated (a file
    # endpoint's, say), a problem is always JSON.
    return JsonResponse(body, status=status_code, content_type=PROBLEM_TYPE, json_dumps_params={"ensure_ascii": False})


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field.sub": ["ข้อความ", ...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(v, dict | list) for v in detail):
            out[prefix or "non_field_errors"] = [str(v) for v in detail]
        else:
            for i, value in enumerate(detail):
                for k, v in _flatten(value, f"{prefix}.{i}" if prefix else str(i)).items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def _first_message(errors: dict[str, list[str]]) -> str:
    for messages in errors.values():
        if messages:
            return messages[0]
    return TITLES[400]


def _domain_error(exc: DjangoValidationError, request: Any) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        return problem_response(
            status_code=400, code="validation", detail=_first_message(errors), request=request, errors=errors
        )
    messages = [str(m) for m in exc.messages]
    codes = {getattr(e, "code", None) for e in exc.error_list}
    code = next((c for c in codes if c), None) or "invalid"
    status_code = status.HTTP_409_CONFLICT if code in CONFLICT_CODES else status.HTTP_400_BAD_REQUEST
    return problem_response(status_code=status_code, code=code, detail=" ".join(messages), request=request)


def _http404_detail(exc: Http404) -> str:
    text = str(exc)
    # Django's own 404s ("No Memo matches the given query.") are English; ours are Thai.
    return text if text and not text.isascii() else "ไม่พบข้อมูลที่ขอ หรือท่านไม่มีสิทธิ์เข้าถึง"


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    request = context.get("request")
    set_rollback()
    if isinstance(exc, DjangoValidationError):
        return _domain_error(exc, request)
    if isinstance(exc, Http404):
        return problem_response(status_code=404, code="not_found", detail=_http404_detail(exc), request=request)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        # A bug: logged with its traceback like any 500, and answered as a problem too, so a
        # client never has to parse an HTML error page.
        logger.error("Unhandled API error at %s", getattr(request, "path", "?"), exc_info=exc)
        detail = "ระบบขัดข้อง กรุณาตรวจสอบผลแล้วลองใหม่อีกครั้ง หากยังไม่ได้ผลโปรดแจ้งผู้ดูแลระบบ"
        return problem_response(status_code=500, code="server_error", detail=detail, request=request)
    headers: dict[str, str] = {}
    if isinstance(exc, Problem):
        response = problem_response(
            status_code=exc.status_code, code=exc.problem_code, detail=str(exc.detail), request=request
        )
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response = problem_response(
            status_code=400, code="validation", detail=_first_message(errors), request=request, errors=errors
        )
    elif isinstance(exc, exceptions.NotAuthenticated):
        detail = "กรุณาเข้าสู่ระบบ หรือส่งโทเคนในส่วนหัว Authorization: Bearer <โทเคน>"
        response = problem_response(
            status_code=exc.status_code, code="not_authenticated", detail=detail, request=request
        )
    elif isinstance(exc, exceptions.AuthenticationFailed):
        response = problem_response(
            status_code=exc.status_code, code="authentication_failed", detail=str(exc.detail), request=request
        )
    elif isinstance(exc, exceptions.PermissionDenied):
        text = str(exc.detail)
        if text.startswith("CSRF Failed"):
            code, detail = "csrf_failed", "คำขอนี้ไม่มีรหัส CSRF ที่ถูกต้อง กรุณาส่งส่วนหัว X-CSRFToken จากคุกกี้ csrftoken"
        else:
            code, detail = "permission_denied", "ท่านไม่มีสิทธิ์ดำเนินการนี้"
        response = problem_response(status_code=403, code=code, detail=detail, request=request)
    elif isinstance(exc, exceptions.NotFound):
        detail = "ไม่พบข้อมูลที่ขอ หรือท่านไม่มีสิทธิ์เข้าถึง"
        response = problem_response(status_code=404, code="not_found", detail=detail, request=request)
    elif isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        detail = "เรียกใช้บ่อยเกินกว่าที่กำหนด" + (f" กรุณาลองใหม่ในอีก {wait} วินาที" if wait else " กรุณาลองใหม่ภายหลัง")
        response = problem_response(status_code=429, code="throttled", detail=detail, request=request)
        if wait:
            headers["Retry-After"] = str(wait)
    elif isinstance(exc, exceptions.MethodNotAllowed):
        detail = f"ไม่รองรับการเรียกด้วยวิธี {request.method if request else ''}".strip()
        response = problem_response(status_code=405, code="method_not_allowed", detail=detail, request=request)
    elif isinstance(exc, exceptions.NotAcceptable):
        detail = "ไม่รองรับรูปแบบข้อมูลที่ขอในส่วนหัว Accept"
        response = problem_response(status_code=406, code="not_acceptable", detail=detail, request=request)
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        detail = "ไม่รองรับชนิดข้อมูลที่ส่งมา กรุณาส่งเป็น application/json"
        response = problem_response(status_code=415, code="unsupported_media_type", detail=detail, request=request)
    elif isinstance(exc, exceptions.ParseError):
        detail = "อ่านข้อมูลที่ส่งมาไม่ได้ (รูปแบบ JSON ไม่ถูกต้อง)"
        response = problem_response(status_code=400, code="parse_error", detail=detail, request=request)
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        response = problem_response(
            status_code=exc.status_code, code=str(code), detail=str(exc.detail), request=request
        )
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    if (
        isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed)
        and "WWW-Authenticate" not in headers
    ):
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    for name, value in headers.items():
        response[name] = value
    return response
