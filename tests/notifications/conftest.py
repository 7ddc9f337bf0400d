from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.factories import UserFactory
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
def make_user() -> Any:
    """make_user("deputy") → deputy@example.go.th; email="" for a user without an address.
    No password: these tests log in with force_login."""

    def make(username: str | None = None, *, email: str | None = None) -> Any:
        fields = {"username": username} if username else {}
        if email is not None:
            fields["email"] = email
        return UserFactory(**fields)

    return make
