"""Who may see or act on a directive or a distribution. Every view asks here.

As for memos, unknown and forbidden look the same (404): a clerk of another unit cannot
learn that a distribution exists. The services check the finer rules again (acting for the
signing post today, clerk of the unit) and answer in Thai.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from directory.selectors import positions_of_user

from .models import Directive, DirectiveState, Distribution

DIRECTIVE_ACTIONS = ("view", "edit", "submit", "sign", "follow_up")
DISTRIBUTION_ACTIONS = ("view", "receive", "act", "review")


def _official(user: Any) -> Any:
    return getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None


def _acts_for(user: Any, position_id: int) -> bool:
    return any(p.pk == position_id for p, _capacity in positions_of_user(user=user))


def directives_visible_to(user: Any) -> QuerySet[Directive]:
    """The directives `user` may view, as one query (search, lists): the rule of
    directive_get_for_user's "view", for many directives at once."""
    official = _official(user)
    if official is None:
        return Directive.objects.none()
    positions = [p.pk for p, _capacity in positions_of_user(user=user)]
    recipient = Directive.objects.filter(state=DirectiveState.SENT, distributions__unit_id=official.unit_id).values(
        "pk"
    )
    return Directive.objects.filter(
        Q(unit_id=official.unit_id) | Q(signing_position_id__in=positions) | Q(pk__in=recipient)
    )


def directive_get_for_user(*, user: Any, directive_id: int, action: str = "view") -> Directive:
    """The directive if `user` may do `action` on it; 404 otherwise.

    view: the issuing unit's officials, whoever acts for the signing post, and (once sent)
    the officials of every unit it was sent to. edit/submit: the issuing unit, while a
    draft. sign: whoever acts for the signing post today. follow_up (dashboard, reviewing
    reports): the issuing unit.
    """
    if action not in DIRECTIVE_ACTIONS:
        raise ValueError(action)
    official = _official(user)
    directive = (
        Directive.objects.select_related("unit", "memo__unit", "signing_position", "created_by")
        .filter(pk=directive_id)
        .first()
    )
    if directive is None or official is None:
        raise Http404("ไม่พบหนังสือเวียน")
    issuer = official.unit_id == directive.unit_id
    signer = _acts_for(user, directive.signing_position_id)
    if action == "view":
        recipient = (
            directive.state == DirectiveState.SENT and directive.distributions.filter(unit_id=official.unit_id).exists()
        )
        allowed = issuer or signer or recipient
    elif action in ("edit", "submit"):
        allowed = issuer and directive.state == DirectiveState.DRAFT
    elif action == "sign":
        allowed = signer or issuer  # the issuing unit sees the page; the service refuses non-signers in Thai
    else:  # follow_up
        allowed = issuer
    if not allowed:
        raise Http404("ไม่พบหนังสือเวียน")
    return directive


def distribution_get_for_user(*, user: Any, distribution_id: int, action: str = "view") -> Distribution:
    """The distribution if `user` may do `action` on it; 404 otherwise.

    view: officials of the receiving unit and of the issuing unit. receive: the receiving
    unit's clerks. act (acknowledge, completion date, report): the receiving unit's
    officials. review (accept or return a report): the issuing unit's officials.
    """
    if action not in DISTRIBUTION_ACTIONS:
        raise ValueError(action)
    official = _official(user)
    distribution = (
        Distribution.objects.select_related("directive__unit", "directive__memo__unit", "unit", "receipt")
        .filter(pk=distribution_id)
        .first()
    )
    if distribution is None or official is None:
        raise Http404("ไม่พบหนังสือเวียน")
    mine = official.unit_id == distribution.unit_id
    issuer = official.unit_id == distribution.directive.unit_id
    allowed = {
        "view": mine or issuer,
        "receive": mine and official.is_clerk,
        "act": mine,
        "review": issuer,
    }[action]
    if not allowed:
        raise Http404("ไม่พบหนังสือเวียน")
    return distribution
