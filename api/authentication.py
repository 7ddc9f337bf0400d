"""Bearer tokens for other systems (`Authorization: Bearer srb_…`); the web app uses its
session (with CSRF) through DRF's SessionAuthentication.

Why our own token model (api.models.ApiToken) and not django-rest-knox: knox (5.x) hashes
tokens at rest too, but its tokens are made by a person signing in through its LoginView
(a password sent over the API) and expire after a TTL, which suits a phone app's login; here
an administrator issues a named token to another system (the HR system, a dashboard) and
revokes it, and the admin must see when each was last used — knox's AuthToken has no
name, issuer, revocation time or last-used time. The part that matters for safety is the
same in both: a random secret shown once and only its hash kept (here SHA-256, looked up by
the hash, so the lookup time says nothing about the secret).
"""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .services import api_token_find, api_token_touch

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("รูปแบบส่วนหัว Authorization ไม่ถูกต้อง ต้องเป็น Bearer <โทเคน>")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("โทเคนไม่ถูกต้อง")
        token = api_token_find(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("โทเคนไม่ถูกต้อง")
        if not token.is_active:
            raise exceptions.AuthenticationFailed("โทเคนนี้ถูกเพิกถอนแล้ว")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("บัญชีผู้ใช้ของโทเคนนี้ถูกระงับ")
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to a request with no credentials.
        return self.keyword
