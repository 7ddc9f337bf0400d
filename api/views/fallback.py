from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ..problems import problem_response


@csrf_exempt  # a POST to a path that does not exist is a 404, not a CSRF page
def not_found(request: HttpRequest) -> HttpResponse:
    return problem_response(status_code=404, code="not_found", detail="ไม่พบเส้นทาง API นี้", request=request)
