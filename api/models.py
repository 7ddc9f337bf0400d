"""Per-user API tokens: issued and revoked by an administrator, stored only as a hash.

A token is 32 random bytes (secrets.token_urlsafe), so a plain SHA-256 of it is enough to
keep it from being read back out of the database (no slow hash needed: nothing to brute-force
as with a password). The clear token is shown once, when it is issued.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "srb_"
PREFIX_LENGTH = 8  # characters after TOKEN_PREFIX shown in the admin to tell tokens apart


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้ใช้"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("ชื่อเรียก"), max_length=100, help_text=_("เช่น ระบบบุคลากร, แอปมือถือ"))
    prefix = models.CharField(_("ต้นรหัส"), max_length=20, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("ออกเมื่อ"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ออก"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("ใช้ล่าสุดเมื่อ"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("เพิกถอนเมื่อ"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("โทเคน API")
        verbose_name_plural = _("โทเคน API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
