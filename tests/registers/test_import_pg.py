"""On PostgreSQL with real connections: an import confirmed while clerks are taking numbers.

The import locks the register's counter before it checks and writes its numbers, so an
allocation either comes before it (and takes the next number below the imported ones) or
after it (and follows the highest imported number); no number is given twice, none is lost.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from registers.models import RegisterCounter, RegisterEntry, RegisterImport, Series
from registers.services import register_allocate, register_import_confirm, register_import_preview
from tests.integration.test_pg_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HEAD = "เลขทะเบียนส่ง,ที่,ลงวันที่,จาก,ถึง,เรื่อง,การปฏิบัติ,หมายเหตุ\n"


def test_an_import_and_six_allocations_at_once_never_collide(roles):
    unit = roles.clerk.official.unit
    lines = "".join(f"{n},กท ๐๔๐๑/{n},15/01/2569,สถาบัน,สำนักปลัด,เรื่องเดิม {n},,\n" for n in range(101, 131))
    batch = register_import_preview(
        user=roles.clerk, unit=unit, series=Series.SEND, year=2569, data=(HEAD + lines).encode(), filename="old.csv"
    )
    when = timezone.make_aware(dt.datetime(2026, 2, 1, 9, 0))

    def allocate() -> int:
        with transaction.atomic():  # as every caller does: the counter stays locked until commit
            return register_allocate(unit=unit, series=Series.SEND, at=when, sender="สถาบัน", subject="ใหม่").number  # noqa: E501

    def confirm() -> str:
        return register_import_confirm(user=roles.clerk, batch_id=batch.pk).state

    results = run_together([confirm, *[allocate] * 6])
    assert results[0] == RegisterImport.State.DONE
    numbers = results[1:]
    assert all(isinstance(n, int) for n in numbers), numbers
    before = sorted(n for n in numbers if n < 101)
    after = sorted(n for n in numbers if n > 130)
    assert len(before) + len(after) == 6
    assert before == list(range(1, len(before) + 1))
    assert after == list(range(131, 131 + len(after)))
    stored = sorted(RegisterEntry.objects.filter(unit=unit, series=Series.SEND).values_list("number", flat=True))
    assert len(stored) == len(set(stored)) == 36
    counter = RegisterCounter.objects.get(unit=unit, series=Series.SEND, year=2569)
    assert counter.last_number == max(stored)
