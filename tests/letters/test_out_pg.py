"""On PostgreSQL with real connections released together: two clicks on "send" and two
signers at once act once; concurrent signings of several letters take consecutive numbers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from letters.outgoing import outgoing_sign, outgoing_submit
from letters.outgoing_models import OutgoingDispatch, OutgoingEvent, OutgoingLetter, OutgoingState
from registers.models import RegisterEntry, Series
from tests.integration.test_pg_concurrency import run_together

from .out_helpers import draft

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _post(user: Any, url: str, data: dict[str, str] | None = None) -> Any:
    def go() -> int:
        client = Client()
        client.force_login(user)
        return client.post(url, data or {}).status_code

    return go


def test_concurrent_signings_take_consecutive_numbers_and_a_double_sign_takes_one(roles):
    letters = [outgoing_submit(letter=draft(roles.clerk), user=roles.clerk) for _ in range(4)]
    urls = [reverse("memos:letters_out:sign", args=[letter.pk]) for letter in letters]
    statuses = run_together([_post(roles.director, url) for url in [*urls, urls[0]]])
    assert statuses == [302] * 5, statuses
    numbers = sorted(RegisterEntry.objects.filter(series=Series.SEND).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]
    assert OutgoingEvent.objects.filter(action="sign").count() == 4
    assert set(OutgoingLetter.objects.values_list("state", flat=True)) == {OutgoingState.SIGNED}


def test_two_clicks_on_send_at_once_make_one_dispatch(roles):
    letter = outgoing_sign(letter=outgoing_submit(letter=draft(roles.clerk), user=roles.clerk), user=roles.director)
    url = reverse("memos:letters_out:send", args=[letter.pk])
    statuses = run_together([_post(roles.clerk, url, {"channel": "email"}) for _ in range(2)])
    assert statuses == [302, 302], statuses
    assert OutgoingDispatch.objects.filter(letter=letter).count() == 1
    assert OutgoingEvent.objects.filter(letter=letter, action="send").count() == 1
