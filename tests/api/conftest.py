"""The API's test helpers: a client per role, signed in with a token of its own (as another
system would call), or with the session (as the web app does)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.services import api_token_issue
from tests.integration.celery_support import MemoryBroker, use_broker


@pytest.fixture(autouse=True)
def memory_broker() -> Iterator[MemoryBroker]:
    """Hand-offs after commit go to an in-memory queue of this test, never to var/broker."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    broker = MemoryBroker(queue)
    with use_broker("memory://", queue=queue):
        yield broker
    broker.take()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    """Throttle counts live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def token_client(user: Any) -> APIClient:
    _token, raw = api_token_issue(user=user, name="ทดสอบ")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def api_as() -> Callable[[Any], APIClient]:
    """api_as(user): a client that calls with a fresh token of `user`."""
    return token_client
