"""drf-spectacular: the token scheme and the schema's Thai front matter."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "โทเคน API ที่ผู้ดูแลระบบออกให้ในหน้าผู้ดูแลระบบ ส่งในส่วนหัว Authorization: Bearer srb_…",
        }
