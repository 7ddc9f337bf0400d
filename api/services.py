"""Issuing, revoking and using API tokens: the only writes of this app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import PREFIX_LENGTH, TOKEN_PREFIX, ApiToken, token_generate, token_hash

# A busy client would otherwise write the token row on every request; a minute is precise
# enough to tell an administrator whether a token is still in use.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def api_token_save_new(*, token: ApiToken, issued_by: Any = None) -> str:
    """Give an unsaved token row its secret and save it; returns the clear token, which is
    never stored (the admin shows it once)."""
    raw = token_generate()
    token.name = token.name.strip()[:100] or "API"
    token.prefix = raw[: len(TOKEN_PREFIX) + PREFIX_LENGTH]
    token.key_hash = token_hash(raw)
    token.created_by = issued_by
    token.save()
    return raw


@transaction.atomic
def api_token_issue(*, user: Any, name: str, issued_by: Any = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the clear token."""
    token = ApiToken(user=user, name=name)
    return token, api_token_save_new(token=token, issued_by=issued_by)


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_find(raw: str) -> ApiToken | None:
    """The token row for a clear token, active or not (the caller tells revoked apart)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()


def api_token_touch(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
