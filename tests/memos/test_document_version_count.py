"""The memo keeps the number of its latest document version (memos 0009), so a step numbers
the next version without reading the stored ones: versions go 1, 2, 3 … per memo as before,
and the migration fills the count for memos made before it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from documents.models import DocumentVersion
from memos import services
from memos.models import Memo
from memos.reference import DEPUTY_NOTE, reference_memo_input

pytestmark = pytest.mark.django_db


def _forwarded(roles) -> Memo:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    services.memo_submit(memo=memo, user=roles.clerk)
    services.memo_sign(memo=memo, user=roles.director)
    services.memo_forward(memo=Memo.objects.get(pk=memo.pk), user=roles.deputy, note=DEPUTY_NOTE)
    return Memo.objects.get(pk=memo.pk)


def test_each_step_that_changes_the_paper_asks_for_the_next_version(roles):
    memo = _forwarded(roles)
    versions = list(
        DocumentVersion.objects.filter(memo=memo).order_by("version").values_list("version", "event__action")
    )
    assert versions == [(1, "submit"), (2, "sign"), (3, "forward")]
    assert memo.last_document_version == 3


def test_the_migration_counts_the_versions_of_memos_made_before_it(roles):
    memo = _forwarded(roles)
    untouched = services.memo_create(user=roles.clerk, data=reference_memo_input())
    Memo.objects.update(last_document_version=0)  # as the column is added

    importlib.import_module("memos.migrations.0009_memo_last_document_version").fill(apps, None)

    assert Memo.objects.get(pk=memo.pk).last_document_version == 3
    assert Memo.objects.get(pk=untouched.pk).last_document_version == 0
    services.memo_return(
        memo=Memo.objects.get(pk=memo.pk),
        user=roles.perm_sec,
        position=services.memo_current_position(memo),
        reason="ขอข้อมูลเพิ่ม",
    )
    services.memo_resubmit(memo=Memo.objects.get(pk=memo.pk), user=roles.clerk)
    assert DocumentVersion.objects.filter(memo=memo).order_by("-version").values_list("version", flat=True)[0] == 4
