"""`{% memo_documents memo user %}`: the memo's stored document versions on its page."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import Http404

from documents.models import DocumentKind, DocumentVersion, VersionStatus
from documents.preview import soffice_available

from ..access import memo_get_for_user

register = template.Library()


@register.inclusion_tag("documents/_versions.html")
def memo_documents(memo: Any, user: Any) -> dict[str, Any]:
    # The page around this tag has already passed the access check; asking again keeps the
    # list safe wherever else the tag is placed (the cost is one query).
    memo_get_for_user(user=user, memo_id=memo.pk)
    versions = list(
        DocumentVersion.objects.filter(memo=memo, kind=DocumentKind.MEMO).select_related("event").order_by("-version")
    )
    can_edit = True
    try:
        memo_get_for_user(user=user, memo_id=memo.pk, action="edit")
    except Http404:  # not the drafter, or no longer a draft
        can_edit = False
    return {
        "memo": memo,
        "versions": versions,
        "pdf_available": soffice_available(),
        "can_preview_draft": can_edit,
        "DONE": VersionStatus.DONE,
        "FAILED": VersionStatus.FAILED,
    }
