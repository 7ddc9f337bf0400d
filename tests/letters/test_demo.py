"""`make run`'s letters: made through the services, once however often setup runs."""

from __future__ import annotations

import pytest

from letters.demo import seed_letters_demo
from letters.models import Agency, IncomingLetter, IncomingState
from memos.demo import seed_demo_users

pytestmark = pytest.mark.django_db


def test_demo_letters_are_made_once(directory):
    seed_demo_users()
    first = seed_letters_demo()
    assert any("เลขรับ ๑" in line for line in first)
    assert seed_letters_demo() == []
    assert Agency.objects.count() == 3
    states = sorted(IncomingLetter.objects.values_list("state", flat=True))
    assert states == sorted([IncomingState.ROUTED, IncomingState.WAITING])
