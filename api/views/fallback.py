from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from ..problems import problem_response


def not_found(request: HttpRequest) -> HttpResponse:
    return problem_response(status_code=404, code="not_found", detail="ไม่พบเส้นทาง API นี้", request=request)
