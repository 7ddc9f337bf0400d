"""The memo's renderer for the document worker (registered in MemosConfig.ready)."""

from __future__ import annotations

import dataclasses

from documents.docx_builder import build_memo_docx
from documents.models import DocumentVersion

from .models import EventAction, MemoEvent
from .selectors import memo_document_data


def memo_version_docx(version: DocumentVersion) -> bytes:
    """The .docx of the memo as it stood on paper right after the version's event."""
    if version.memo is None:
        raise ValueError(f"document version {version.pk} has no memo")
    upto = version.event.seq if version.event is not None else None
    data = memo_document_data(memo=version.memo, upto_seq=upto)
    signed = MemoEvent.objects.filter(memo=version.memo, action=EventAction.SIGN)
    if upto is not None and not signed.filter(seq__lte=upto).exists():
        # The selector reads the number and date from the memo as it is now; a version of
        # the paper from before the first signature (rendered late, by the sweep) must not
        # show a number that was given afterwards.
        data = dataclasses.replace(data, number="", date=None)
    return build_memo_docx(data)
