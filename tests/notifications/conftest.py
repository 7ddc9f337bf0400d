from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.celery_support import MemoryBroker, use_broker


@pytest.fixture(autouse=True)
def memory_broker() -> Iterator[MemoryBroker]:
    """Every hand-off in these tests goes to an in-memory queue of its own, never to the
    developer's var/broker queue, and the test can read what was handed over."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    broker = MemoryBroker(queue)
    with use_broker("memory://", queue=queue):
        yield broker
    broker.take()


@pytest.fixture
def make_user(django_user_model: Any) -> Any:
    counter = iter(range(1, 10_000))

    def make(username: str | None = None, *, email: str | None = None) -> Any:
        username = username or f"official{next(counter)}"
        address = f"{username}@example.go.th" if email is None else email
        # No password: hashing one costs ~0.3 s, and these tests log in with force_login.
        return django_user_model.objects.create_user(username, address, None)

    return make
