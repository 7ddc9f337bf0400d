"""Reads of the in-app channel."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Channel, Notification


def inbox_for(user: Any) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, channel=Channel.INAPP).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, channel=Channel.INAPP, read_at__isnull=True).count()
