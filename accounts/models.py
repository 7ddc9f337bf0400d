from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginEvent(models.Model):
    """One sign-in, sign-out, failed attempt or lockout. Written by accounts.services only,
    while the request that caused it runs; the admin shows it read-only."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("เข้าสู่ระบบ")
        LOGOUT = "logout", _("ออกจากระบบ")
        FAILURE = "failure", _("เข้าสู่ระบบไม่สำเร็จ")
        # The attempt that locked the user name, and every attempt refused while it stays locked.
        LOCKOUT = "lockout", _("ถูกระงับการเข้าสู่ระบบ")

    kind = models.CharField(_("เหตุการณ์"), max_length=16, choices=Kind.choices)
    # Empty for an unknown user name; kept (as null) when the account is deleted later.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ใช้"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("ชื่อผู้ใช้ที่ระบุ"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("หมายเลขไอพี"), null=True, blank=True)
    user_agent = models.CharField(_("โปรแกรมค้นดูเว็บ"), max_length=255, blank=True)
    # Which authentication backend signed the user in (a password today; OIDC later).
    backend = models.CharField(_("วิธีเข้าสู่ระบบ"), max_length=255, blank=True)
    at = models.DateTimeField(_("เวลา"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ประวัติการเข้าสู่ระบบ")
        verbose_name_plural = _("ประวัติการเข้าสู่ระบบ")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["username", "at"], name="accounts_login_user_at")]
        # Evidence: on PostgreSQL triggers refuse DELETE and UPDATE, as on the audit tables.
        # The one change let through is the user becoming NULL, which is what deleting the
        # account does (on_delete=SET_NULL); the user name typed stays.
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="append_only_update",
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(
                    "NEW.user_id IS NOT NULL OR (to_jsonb(OLD.*) - 'user_id') IS DISTINCT FROM (to_jsonb(NEW.*) - 'user_id')"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.at:%Y-%m-%d %H:%M:%S}"
