"""The service kernel (audit/kernel.py): a refused step leaves nothing behind, wherever it
runs; inside a boundary() it costs no savepoint of its own."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.kernel import boundary, service
from memos import services
from memos.models import Memo
from memos.reference import reference_memo_input

pytestmark = pytest.mark.django_db


@service
def _rename_then_refuse(*, memo_id: int) -> None:
    Memo.objects.filter(pk=memo_id).update(subject="เปลี่ยนแล้ว")
    raise ValidationError("ไม่อนุญาต", code="refused")


@service
def _rename(*, memo_id: int) -> None:
    Memo.objects.filter(pk=memo_id).update(subject="เปลี่ยนแล้ว")


def _savepoints(ctx: CaptureQueriesContext) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith("SAVEPOINT"))


def test_a_refusal_inside_a_boundary_rolls_back_there_and_the_transaction_goes_on(roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    with transaction.atomic():
        with pytest.raises(ValidationError), boundary():
            _rename_then_refuse(memo_id=memo.pk)
        # The write before the refusal is gone, and the transaction still answers.
        assert Memo.objects.get(pk=memo.pk).subject == reference_memo_input().subject


def test_a_refusal_outside_a_boundary_rolls_back_its_own_savepoint(roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    with transaction.atomic():
        with pytest.raises(ValidationError):
            _rename_then_refuse(memo_id=memo.pk)
        assert Memo.objects.get(pk=memo.pk).subject == reference_memo_input().subject


def test_services_take_savepoints_only_where_a_caller_may_go_on_after_a_refusal(roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    with transaction.atomic():
        with CaptureQueriesContext(connection) as plain:
            _rename(memo_id=memo.pk)
        with boundary():
            with CaptureQueriesContext(connection) as inside:
                _rename(memo_id=memo.pk)
            # Someone else's savepoint in between: the service takes one of its own.
            with transaction.atomic(), CaptureQueriesContext(connection) as nested:
                _rename(memo_id=memo.pk)
    assert _savepoints(plain) == 1
    assert _savepoints(inside) == 0
    assert _savepoints(nested) == 1
