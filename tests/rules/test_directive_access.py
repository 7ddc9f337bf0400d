"""Who may open, edit, sign and follow up a circular, and act on one unit's copy of it
(directives/access.py). Whatever someone may not do is a 404, as for a circular that does
not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from directives.access import directive_get_for_user, distribution_get_for_user
from directives.models import Directive, DirectiveState, Distribution
from registers.models import Series
from tests.factories import (
    AppointmentFactory,
    DirectiveFactory,
    DistributionFactory,
    OfficialFactory,
    RegisterEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DIRECTIVE_ACTIONS = ("view", "edit", "submit", "sign", "follow_up")
DISTRIBUTION_ACTIONS = ("view", "receive", "act", "review")


@dataclass
class Circular:
    directive: Directive
    distribution: Distribution  # the copy sent to the recipients' unit
    issuer: Any  # an official of the issuing unit
    signer: Any  # holds the signing post, in another unit
    recipient: Any  # an official of a unit it goes to
    recipient_clerk: Any
    outsider: Any


def circular(state: str) -> Circular:
    directive = DirectiveFactory(state=state)
    distribution = DistributionFactory(directive=directive)
    return Circular(
        directive=directive,
        distribution=distribution,
        issuer=OfficialFactory(unit=directive.unit).user,
        signer=AppointmentFactory(position=directive.signing_position).official.user,
        recipient=OfficialFactory(unit=distribution.unit).user,
        recipient_clerk=OfficialFactory(unit=distribution.unit, is_clerk=True).user,
        outsider=OfficialFactory().user,
    )


def directive_actions(user: Any, directive: Directive) -> set[str]:
    allowed = set()
    for action in DIRECTIVE_ACTIONS:
        try:
            assert directive_get_for_user(user=user, directive_id=directive.pk, action=action) == directive
        except Http404 as refused:
            assert str(refused) == "ไม่พบหนังสือเวียน"
        else:
            allowed.add(action)
    return allowed


def distribution_actions(user: Any, distribution: Distribution) -> set[str]:
    allowed = set()
    for action in DISTRIBUTION_ACTIONS:
        try:
            assert distribution_get_for_user(user=user, distribution_id=distribution.pk, action=action) == distribution
        except Http404 as refused:
            assert str(refused) == "ไม่พบหนังสือเวียน"
        else:
            allowed.add(action)
    return allowed


@pytest.mark.parametrize(
    ("state", "issuer", "recipient"),
    [
        (DirectiveState.DRAFT, {"view", "edit", "submit", "sign", "follow_up"}, set()),
        (DirectiveState.AWAITING_SIGNATURE, {"view", "sign", "follow_up"}, set()),
        (DirectiveState.SENT, {"view", "sign", "follow_up"}, {"view"}),
    ],
)
def test_who_may_do_what_to_a_circular(state: str, issuer: set[str], recipient: set[str]) -> None:
    c = circular(state)
    assert directive_actions(c.issuer, c.directive) == issuer
    assert directive_actions(c.signer, c.directive) == {"view", "sign"}
    assert directive_actions(c.recipient, c.directive) == recipient
    assert directive_actions(c.recipient_clerk, c.directive) == recipient
    assert directive_actions(c.outsider, c.directive) == set()


def test_who_may_do_what_to_a_units_copy() -> None:
    c = circular(DirectiveState.SENT)
    assert distribution_actions(c.recipient_clerk, c.distribution) == {"view", "receive", "act"}
    assert distribution_actions(c.recipient, c.distribution) == {"view", "act"}
    assert distribution_actions(c.issuer, c.distribution) == {"view", "review"}
    assert distribution_actions(c.signer, c.distribution) == set()
    assert distribution_actions(c.outsider, c.distribution) == set()


def test_nobody_without_an_official_record_opens_a_circular_or_a_copy() -> None:
    c = circular(DirectiveState.SENT)
    for user in (AnonymousUser(), UserFactory(), UserFactory(superuser=True)):
        assert directive_actions(user, c.directive) == set()
        assert distribution_actions(user, c.distribution) == set()


def test_viewing_is_the_default_and_unknown_ones_are_not_found() -> None:
    c = circular(DirectiveState.SENT)
    assert directive_get_for_user(user=c.recipient, directive_id=c.directive.pk) == c.directive
    assert distribution_get_for_user(user=c.recipient, distribution_id=c.distribution.pk) == c.distribution
    with pytest.raises(Http404):
        directive_get_for_user(user=c.issuer, directive_id=c.directive.pk + 1000)
    with pytest.raises(Http404):
        distribution_get_for_user(user=c.issuer, distribution_id=c.distribution.pk + 1000)


def test_an_unknown_action_is_a_programming_error() -> None:
    c = circular(DirectiveState.DRAFT)
    with pytest.raises(ValueError, match="approve"):
        directive_get_for_user(user=c.issuer, directive_id=c.directive.pk, action="approve")
    with pytest.raises(ValueError, match="sign"):
        distribution_get_for_user(user=c.issuer, distribution_id=c.distribution.pk, action="sign")


def test_the_circular_and_the_copy_come_with_what_their_pages_show(django_assert_num_queries: Any) -> None:
    c = circular(DirectiveState.SENT)
    Distribution.objects.filter(pk=c.distribution.pk).update(
        receipt=RegisterEntryFactory(unit=c.distribution.unit, series=Series.RECEIVE)
    )
    directive = directive_get_for_user(user=c.issuer, directive_id=c.directive.pk)
    distribution = distribution_get_for_user(user=c.recipient, distribution_id=c.distribution.pk)
    with django_assert_num_queries(0):
        assert directive.unit.name and directive.memo.unit.name and directive.signing_position.title
        assert directive.created_by.username
        assert distribution.unit.name and distribution.directive.unit.name and distribution.directive.memo.unit.name
        assert distribution.receipt.number == 1
