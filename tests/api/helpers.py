"""Setups shared by the API tests: the reference memo on its way, and a circular sent."""

from __future__ import annotations

from typing import Any

from directives.models import Directive, Distribution
from directives.selectors import directive_initial
from directives.services import directive_create, directive_sign_and_send, directive_submit
from documents.models import DocumentVersion
from documents.tasks import render_version
from memos import services as memo_services
from memos.models import Memo
from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, reference_memo_input
from workflow import services as workflow_services
from workflow.models import TaskLink

from .conftest import token_client


def open_task(memo: Memo) -> int:
    return int(TaskLink.objects.get(memo=memo, is_open=True).task_id)


def memo_in_review(roles: Any, **changes: Any) -> Memo:
    """The reference memo, sent and signed: it waits for the deputy (her review task)."""
    data = reference_memo_input()
    for name, value in changes.items():
        setattr(data, name, value)
    memo = memo_services.memo_create(user=roles.clerk, data=data)
    workflow_services.memo_submit(memo=memo, user=roles.clerk)
    response = token_client(roles.director).post(f"/api/v1/tasks/{open_task(memo)}/sign/")
    assert response.status_code == 200, response.content
    return Memo.objects.get(pk=memo.pk)


def rendered_version(memo: Memo) -> DocumentVersion:
    """Play the worker for the memo's first document version."""
    version = DocumentVersion.objects.filter(memo=memo).order_by("version").first()
    assert version is not None
    render_version(version.pk)
    version.refresh_from_db()
    assert version.is_ready, version.last_error
    return version


def approved_memo(roles: Any) -> Memo:
    memo = memo_in_review(roles)
    assert (
        token_client(roles.deputy)
        .post(f"/api/v1/tasks/{open_task(memo)}/forward/", {"note": DEPUTY_NOTE}, format="json")
        .status_code
        == 200
    )
    decision = {
        "rulings": [{"number": n, "ruling": r} for n, r in ((1, "approve"), (2, "order"), (3, "order"))],
        "order_actor": ORDER_ACTOR,
    }
    response = token_client(roles.perm_sec).post(f"/api/v1/tasks/{open_task(memo)}/decide/", decision, format="json")
    assert response.status_code == 200, response.content
    return Memo.objects.get(pk=memo.pk)


def circular_draft(roles: Any, memo: Memo) -> Directive:
    directive = directive_create(user=roles.clerk, memo=memo, data=directive_initial(memo))
    return directive_submit(user=roles.clerk, directive=directive)


def circular_sent(roles: Any) -> tuple[Directive, Distribution]:
    """The reference circular, signed and sent; with the district's copy."""
    directive = directive_sign_and_send(user=roles.director, directive=circular_draft(roles, approved_memo(roles)))
    return directive, Distribution.objects.get(directive=directive, unit__key="district-01")
