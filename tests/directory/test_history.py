"""History of directory changes (django-pghistory): who became acting for which post, from
when, entered by which administrator — readable in the admin, and not rewritable. The
history is written by PostgreSQL triggers; on SQLite the admin says it is not recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from directory.admin import AppointmentHistory, UnitHistory
from directory.models import Appointment, Capacity, Position, Unit
from tests.factories import OfficialFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, directory: None) -> Client:
    client.force_login(UserFactory(username="somsak_admin", is_staff=True, is_superuser=True))
    return client


def appoint_acting(client: Client, official: Any, position: Position) -> Appointment:
    response = client.post(
        "/admin/directory/appointment/add/",
        {
            "official": official.pk,
            "position": position.pk,
            "capacity": Capacity.ACTING_IN_POST,
            "valid_from": "2026-12-01",
            "valid_until": "",
            "order_reference": "คำสั่งกรุงเทพมหานคร ที่ 1234/2569",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Appointment.objects.get(official=official, position=position)


@pytest.mark.postgres
def test_who_became_acting_for_which_post_and_when(admin_client: Client) -> None:
    official = OfficialFactory(prefix="นาย", first_name="ประเสริฐ", last_name="มั่นคง", unit_key="ops-hrd")
    post = Position.objects.get(key="ops-hrd-head")
    appointment = appoint_acting(admin_client, official, post)

    # The acting period ends: the administrator sets the last day.
    response = admin_client.post(
        f"/admin/directory/appointment/{appointment.pk}/change/",
        {
            "official": official.pk,
            "position": post.pk,
            "capacity": Capacity.ACTING_IN_POST,
            "valid_from": "2026-12-01",
            "valid_until": "2026-12-31",
            "order_reference": "คำสั่งกรุงเทพมหานคร ที่ 1234/2569",
        },
    )
    assert response.status_code == 302

    rows = list(AppointmentHistory.objects.filter(pgh_obj_id=appointment.pk).order_by("pgh_id"))
    assert [(r.pgh_label, r.capacity, r.official_id, r.position_id) for r in rows] == [
        ("insert", Capacity.ACTING_IN_POST, official.pk, post.pk),
        ("update", Capacity.ACTING_IN_POST, official.pk, post.pk),
    ]
    assert [r.valid_until for r in rows] == [None, dt.date(2026, 12, 31)]

    page = admin_client.get("/admin/directory/appointmenthistory/").content.decode()
    assert "ประวัติการแต่งตั้งและรักษาการ" in page
    assert "ประเสริฐ" in page and post.title in page and "รักษาการในตำแหน่ง" in page
    assert "เพิ่ม" in page and "แก้ไข" in page and "somsak_admin" in page


@pytest.mark.postgres
def test_a_change_at_the_sql_prompt_is_recorded_and_the_history_cannot_be_rewritten(admin_client: Client) -> None:
    unit = Unit.objects.get(key="district-01")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE memos_unit SET phone = %s WHERE id = %s", ["0 2222 0000", unit.pk])
    [change] = UnitHistory.objects.filter(pgh_obj_id=unit.pk, pgh_label="update")
    assert change.phone == "0 2222 0000"
    page = admin_client.get("/admin/directory/unithistory/?pgh_label=update").content.decode()
    assert "ระบบ (นอกหน้าผู้ดูแลระบบ)" in page

    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        UnitHistory.objects.filter(pk=change.pk).update(phone="")
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        UnitHistory.objects.filter(pk=change.pk).delete()


@pytest.mark.postgres
def test_deleting_an_appointment_in_the_admin_is_recorded(admin_client: Client) -> None:
    official = OfficialFactory(unit_key="ops-hrd")
    appointment = appoint_acting(admin_client, official, Position.objects.get(key="ops-hrd-head"))
    response = admin_client.post(f"/admin/directory/appointment/{appointment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Appointment.objects.filter(pk=appointment.pk).exists()
    [deleted] = AppointmentHistory.objects.filter(pgh_obj_id=appointment.pk, pgh_label="delete")
    assert deleted.official_id == official.pk and deleted.pgh_context.metadata["user"] is not None


def test_the_directory_admin_works_on_any_database_and_says_where_history_is_kept(admin_client: Client) -> None:
    appoint_acting(admin_client, OfficialFactory(unit_key="ops-hrd"), Position.objects.get(key="ops-hrd-head"))
    page = admin_client.get("/admin/directory/appointmenthistory/")
    assert page.status_code == 200
    notice = "ฐานข้อมูล SQLite ไม่บันทึกประวัตินี้"
    if connection.vendor == "postgresql":
        assert notice not in page.content.decode()
        assert AppointmentHistory.objects.count() >= 1
    else:
        assert notice in page.content.decode()
        assert AppointmentHistory.objects.count() == 0
