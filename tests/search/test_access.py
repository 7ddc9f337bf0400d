"""Search never widens access: each role of the reference scenario finds exactly what the
document pages would open for them, and a secret document only if they are on its route."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from directives.access import directive_get_for_user, directives_visible_to
from directives.models import DirectiveState
from directory.models import Unit
from letters.models import IncomingLetter
from memos.models import Memo, Secrecy
from search.indexer import rebuild
from tests.factories import (
    AppointmentFactory,
    DirectiveFactory,
    DistributionFactory,
    MemoFactory,
    OfficialFactory,
    UserFactory,
)
from tests.search.conftest import draft, found

pytestmark = pytest.mark.django_db

WORD = "ทดสอบสิทธิ์การค้นหา"


def _scenario(roles: Any, secrecy: int) -> dict[str, Any]:
    hrd = Unit.objects.get(key="ops-hrd")
    memo = draft(roles.clerk, subject=f"บันทึก{WORD}", submit=True)
    # ลับที่สุด is refused by memo_create (paper only); such a row can still come from an import.
    secret = draft(roles.clerk, subject=f"บันทึกลับ{WORD}", secrecy=min(secrecy, Secrecy.SECRET), submit=True)
    Memo.objects.filter(pk=secret.pk).update(secrecy=secrecy)
    letter = IncomingLetter.objects.create(unit=hrd, subject=f"หนังสือรับ{WORD}", sender_name="กรมบัญชีกลาง")
    secret_letter = IncomingLetter.objects.create(unit=hrd, subject=f"หนังสือรับลับ{WORD}", secrecy=secrecy)
    sent = DirectiveFactory(memo=memo, unit=hrd, subject=f"หนังสือเวียน{WORD}", state=DirectiveState.SENT)
    DistributionFactory(directive=sent, unit=Unit.objects.get(key="district-01"))
    rebuild()
    return {
        "memo": ("memo", memo.pk),
        "secret": ("memo", secret.pk),
        "letter": ("incoming", letter.pk),
        "secret_letter": ("incoming", secret_letter.pk),
        "circular": ("directive", sent.pk),
        "colleague": OfficialFactory(unit=hrd).user,
        "admin": UserFactory(superuser=True),
    }


# What each person may open (memos.access, letters.access, directives.access), by role.
EXPECTED = {
    "clerk": {"memo", "secret", "letter", "secret_letter", "circular"},  # drafter; the unit's saraban clerk
    "director": {"memo", "secret", "circular"},  # the unit; the signing post on the secret memo's route
    "colleague": {"memo", "circular"},  # the unit only: no secret, no letters before they are passed on
    "deputy": set(),  # not yet reached
    "perm_sec": set(),
    "ops_clerk": set(),
    "district_clerk": {"circular", "memo"},  # the circular was sent to the district, with the memo it passes on
    "dept_clerk": set(),
    "admin": {"memo", "letter"},  # every ordinary document; no secret one, not named on its route
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_finds_what_it_may_open(roles: Any, who: str) -> None:
    s = _scenario(roles, Secrecy.CONFIDENTIAL)
    user = s.get(who) or getattr(roles, who)
    expected = {s[name] for name in EXPECTED[who]}
    assert set(found(user, WORD)) == expected
    # The page of each document found opens for them, and nothing hidden shows in a count.
    assert set(found(user, WORD, kind="memo")) == {k for k in expected if k[0] == "memo"}


@pytest.mark.parametrize("secrecy", [Secrecy.NORMAL, Secrecy.CONFIDENTIAL, Secrecy.SECRET, Secrecy.TOP_SECRET])
def test_secret_documents_are_found_only_by_those_on_their_route(roles: Any, secrecy: int) -> None:
    s = _scenario(roles, secrecy)
    on_route = {"clerk": roles.clerk, "director": roles.director}
    off_route = {"colleague": s["colleague"], "admin": s["admin"]}
    for user in on_route.values():
        assert s["secret"] in found(user, WORD)
    for name, user in off_route.items():
        assert (s["secret"] in found(user, WORD)) is (secrecy == Secrecy.NORMAL), name
    # A received letter: the unit's clerk while it waits to be booked in; no one else.
    assert s["secret_letter"] in found(roles.clerk, WORD)
    assert (s["secret_letter"] in found(s["admin"], WORD)) is (secrecy == Secrecy.NORMAL)
    assert s["secret_letter"] not in found(s["colleague"], WORD)


def test_an_anonymous_visitor_finds_nothing(roles: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    _scenario(roles, Secrecy.NORMAL)
    assert found(AnonymousUser(), WORD) == []


@pytest.mark.parametrize("state", [DirectiveState.DRAFT, DirectiveState.AWAITING_SIGNATURE, DirectiveState.SENT])
def test_directives_visible_to_agrees_with_the_page_rule(state: str) -> None:
    directive = DirectiveFactory(memo=MemoFactory(), state=state)
    distribution = DistributionFactory(directive=directive)
    people = [
        OfficialFactory(unit=directive.unit).user,
        AppointmentFactory(position=directive.signing_position).official.user,
        OfficialFactory(unit=distribution.unit).user,
        OfficialFactory(unit=distribution.unit, is_clerk=True).user,
        OfficialFactory().user,
        UserFactory(superuser=True),
    ]
    for user in people:
        try:
            directive_get_for_user(user=user, directive_id=directive.pk)
            page = True
        except Http404:
            page = False
        assert directives_visible_to(user).filter(pk=directive.pk).exists() is page
