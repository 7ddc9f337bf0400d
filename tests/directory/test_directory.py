import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from directory.models import Appointment, Capacity, Official, Position, RecipientGroup, Unit, UnitKind
from directory.selectors import (
    NotAppointed,
    appointment_for_position,
    official_acting_for,
    recipient_group_units,
    signature_block,
)
from directory.services import appointment_create
from memos.models import RouteTemplate
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_directory(db):
    """No directory at all, as on a fresh install (the session-loaded one comes back when
    this test's transaction rolls back)."""
    RouteTemplate.objects.all().delete()
    RecipientGroup.objects.all().delete()
    Position.objects.all().delete()
    while Unit.objects.exists():  # leaves first: a unit's parent is protected
        Unit.objects.filter(children__isnull=True).delete()


def test_loading_into_an_empty_database_then_again_gives_no_duplicates(empty_directory):
    first, again = StringIO(), StringIO()
    call_command("load_bma", stdout=first)
    # 94 units and 93 posts; what the administrator is told.
    assert "สร้างใหม่ 187 รายการ ปรับปรุง 0 รายการ" in first.getvalue()
    assert "กลุ่ม ผู้อำนวยการเขต: 50 ตำแหน่ง" in first.getvalue()
    counts = (Unit.objects.count(), Position.objects.count(), RecipientGroup.objects.count())
    assert counts == (94, 93, 10)
    template = RouteTemplate.objects.get(unit__key="ops-hrd", is_default=True)
    assert [s.position.key for s in template.steps.all()] == ["deputy-1", "permanent-secretary"]

    call_command("load_bma", stdout=again)
    assert "สร้างใหม่ 0 รายการ ปรับปรุง 0 รายการ" in again.getvalue()
    assert (Unit.objects.count(), Position.objects.count(), RecipientGroup.objects.count()) == counts
    assert RouteTemplate.objects.count() == 1
    assert Unit.objects.filter(kind=UnitKind.DISTRICT).count() == 50
    districts = RecipientGroup.objects.get(name="ผู้อำนวยการเขต")
    assert districts.positions.count() == 50
    assert Unit.objects.get(key="district-01").name == "สำนักงานเขตพระนคร"


def test_reload_keeps_a_document_code_set_by_an_administrator(directory):
    Unit.objects.filter(key="district-01").update(doc_code="กท ๕๐๐๑")
    call_command("load_bma", verbosity=0)
    assert Unit.objects.get(key="district-01").doc_code == "กท ๕๐๐๑"


def test_institute_carries_its_code_and_others_are_left_empty(directory):
    assert Unit.objects.get(key="ops-hrd").doc_code == "กท ๐๔๐๑"
    assert Unit.objects.get(key="dept-medical").doc_code == ""


def test_reference_directive_groups_are_all_present(directory):
    names = list(RecipientGroup.objects.values_list("name", flat=True))
    assert names == [
        "รองปลัดกรุงเทพมหานคร",
        "ผู้อำนวยการสำนัก",
        "หัวหน้าสำนักงาน ก.ก.",
        "หัวหน้าผู้ตรวจราชการกรุงเทพมหานคร",
        "ผู้ช่วยปลัดกรุงเทพมหานคร",
        "เลขานุการสภากรุงเทพมหานคร",
        "เลขานุการผู้ว่าราชการกรุงเทพมหานคร",
        "ผู้อำนวยการเขต",
        "หัวหน้าส่วนราชการในสังกัดสำนักปลัดกรุงเทพมหานคร",
        "ผู้อำนวยการสำนักงานการพาณิชย์ของกรุงเทพมหานคร",
    ]


def test_group_expansion_lists_each_unit_once_and_skips_the_sender(directory):
    groups = RecipientGroup.objects.filter(key__in=["district-directors", "ops-unit-heads"])
    institute = Unit.objects.get(key="ops-hrd")
    units = recipient_group_units(groups=groups, exclude_unit=institute)
    assert len(units) == len({u.pk for u in units}) == 50 + 8
    assert institute not in units


def test_acting_director_signature_block_matches_the_reference_memo(roles):
    official = roles.director.official
    block = signature_block(
        official=official, position=Position.objects.get(key="ops-hrd-head"), on=dt.date(2020, 12, 23)
    )
    assert block.lines == (
        "(นายสันติ ตั้งชาญรัชชัย)",
        "ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง",
        "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
    )


def test_holder_signature_block_is_name_and_title(roles):
    block = signature_block(
        official=roles.perm_sec.official,
        position=Position.objects.get(key="permanent-secretary"),
        on=dt.date(2021, 1, 15),
    )
    assert block.lines == ("(นางศิลปสวย ระวีแสงสูรย์)", "ปลัดกรุงเทพมหานคร")


def test_signing_for_a_post_one_does_not_hold_is_refused(roles):
    with pytest.raises(NotAppointed):
        signature_block(official=roles.deputy.official, position=Position.objects.get(key="permanent-secretary"))


def test_appointment_that_ended_yesterday_no_longer_acts(directory):
    today = dt.date(2026, 11, 24)
    position = Position.objects.get(key="dept-medical-director")
    official = OfficialFactory(unit_key="dept-medical")
    appointment_create(
        official=official,
        position=position,
        capacity=Capacity.ACTING_FOR,
        valid_from=dt.date(2026, 11, 1),
        valid_until=today - dt.timedelta(days=1),
    )
    assert official_acting_for(position=position, on=today - dt.timedelta(days=1)) == official
    assert official_acting_for(position=position, on=today) is None
    assert appointment_for_position(position=position, on=today) is None


def test_overlapping_appointments_for_one_post_are_refused_with_a_thai_message(directory):
    position = Position.objects.get(key="dept-medical-director")
    first = OfficialFactory(first_name="หนึ่ง", last_name="ผู้ดำรง", unit_key="dept-medical")
    second = OfficialFactory(prefix="นาง", first_name="สอง", last_name="ผู้รักษาการ", unit_key="dept-medical")
    appointment_create(official=first, position=position, capacity=Capacity.HOLDER, valid_from=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        appointment_create(
            official=second,
            position=position,
            capacity=Capacity.ACTING_FOR,
            valid_from=dt.date(2026, 6, 1),
            valid_until=dt.date(2026, 6, 30),
        )
    message = exc.value.messages[0]
    assert "มีผู้ดำรงตำแหน่งอยู่แล้ว" in message and "นายหนึ่ง ผู้ดำรง" in message
    assert Appointment.objects.filter(position=position).count() == 1


def test_back_to_back_appointments_are_allowed(directory):
    position = Position.objects.get(key="dept-medical-director")
    first = OfficialFactory(first_name="หนึ่ง", last_name="ผู้ดำรง", unit_key="dept-medical")
    second = OfficialFactory(prefix="นาง", first_name="สอง", last_name="ผู้รักษาการ", unit_key="dept-medical")
    appointment_create(
        official=first,
        position=position,
        capacity=Capacity.HOLDER,
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 5, 31),
    )
    appointment_create(official=second, position=position, capacity=Capacity.ACTING_FOR, valid_from=dt.date(2026, 6, 1))
    assert official_acting_for(position=position, on=dt.date(2026, 6, 1)) == second


def test_admin_refuses_an_overlapping_appointment(directory, admin_client):
    position = Position.objects.get(key="dept-medical-director")
    first = OfficialFactory(first_name="หนึ่ง", last_name="ผู้ดำรง", unit_key="dept-medical")
    second = OfficialFactory(prefix="นาง", first_name="สอง", last_name="ผู้รักษาการ", unit_key="dept-medical")
    appointment_create(official=first, position=position, capacity=Capacity.HOLDER, valid_from=dt.date(2026, 1, 1))
    response = admin_client.post(
        "/admin/directory/appointment/add/",
        {
            "official": second.pk,
            "position": position.pk,
            "capacity": "acting_for",
            "valid_from": "2026-03-01",
            "valid_until": "",
            "order_reference": "",
        },
    )
    assert response.status_code == 200
    assert "มีผู้ดำรงตำแหน่งอยู่แล้ว" in response.content.decode()
    assert Appointment.objects.filter(position=position).count() == 1


def test_demo_users_are_created_once(directory, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Official.objects.count() == 8
    logins = (tmp_path / "demo-logins.txt").read_text(encoding="utf-8")
    assert "inst_director" in logins and "deputy_clerk" in logins
    # The demo's receiving offices book in through their clerks; other units automatically.
    by_hand = set(Unit.objects.filter(books_in_by_hand=True).values_list("key", flat=True))
    assert by_hand == {"deputy-1-office", "ops-secretariat"}


def test_every_demo_user_sees_a_thai_home_page(directory, settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", verbosity=0)
    passwords = dict(
        line.split("\t") for line in (tmp_path / "demo-logins.txt").read_text(encoding="utf-8").splitlines()
    )
    for username in [
        "inst_clerk",
        "inst_director",
        "deputy",
        "deputy_clerk",
        "perm_sec",
        "district_clerk",
        "dept_clerk",
    ]:
        client.logout()
        response = client.post("/accounts/login/", {"username": username, "password": passwords[username]})
        assert response.status_code == 302, username
        page = client.get("/", follow=True)
        assert page.status_code == 200
        assert "สวัสดี" in page.content.decode()
    director_page = client.get("/", follow=True)  # dept_clerk
    assert "สำนักการแพทย์" in director_page.content.decode()
