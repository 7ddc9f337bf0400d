"""Who is asking: the client address and browser of a request."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

USER_AGENT_MAX = 255


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies, each of which appends
    the address it was reached from to X-Forwarded-For, the client is that many entries from
    the right; anything further left was written by the client and is not believed."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote


def client_user_agent(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX]


def client_username(request: HttpRequest, credentials: dict[str, object] | None = None) -> str:
    """The user name axes counts failures against, cut to what its table holds: a 5,000-character
    name typed into the login form must be refused like any wrong password, not end in a
    database error (PostgreSQL refuses an over-long value; SQLite did not notice)."""
    raw = (credentials or {}).get("username") if credentials else request.POST.get("username", "")
    return str(raw or "")[:150]
