"""Demo users for the reference scenario (seed-memo.txt): who drafts, signs, reviews, decides
and receives, and the reference memo waiting as the institute clerk's draft. Passwords are
random, made once, kept in var/demo-logins.txt (mode 600) and printed by `make run`;
re-running keeps existing accounts and their passwords and adds no second draft."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from directory.models import Appointment, Capacity, Official, Position, Unit
from directory.services import appointment_create

from .models import Memo
from .reference import reference_memo_input
from .services import memo_create


@dataclass(frozen=True)
class DemoUser:
    username: str
    prefix: str
    first: str
    last: str
    unit_key: str
    role: str
    is_clerk: bool = False
    # (position key, capacity)
    posts: tuple[tuple[str, str], ...] = ()


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("inst_clerk", "นางสาว", "สุภาพร", "ใจงาม", "ops-hrd", "เจ้าหน้าที่สารบรรณ สถาบันพัฒนาข้าราชการฯ", True),
    DemoUser(
        "inst_director",
        "นาย",
        "สันติ",
        "ตั้งชาญรัชชัย",
        "ops-hrd",
        "ผอ.ส่วนยุทธศาสตร์ฯ รักษาการในตำแหน่ง ผอ.สถาบันฯ",
        posts=(("hrd-strategy-director", Capacity.HOLDER), ("ops-hrd-head", Capacity.ACTING_IN_POST)),
    ),
    DemoUser(
        "deputy",
        "นาง",
        "วันทนี",
        "วัฒนะ",
        "deputy-1-office",
        "รองปลัดกรุงเทพมหานคร",
        posts=(("deputy-1", Capacity.HOLDER),),
    ),
    DemoUser(
        "perm_sec",
        "นาง",
        "ศิลปสวย",
        "ระวีแสงสูรย์",
        "ops",
        "ปลัดกรุงเทพมหานคร",
        posts=(("permanent-secretary", Capacity.HOLDER),),
    ),
    DemoUser("deputy_clerk", "นางสาว", "จันทร์เพ็ญ", "ลงรับดี", "deputy-1-office", "เจ้าหน้าที่สารบรรณ สำนักงานรองปลัดฯ", True),
    DemoUser("ops_clerk", "นาย", "ประเสริฐ", "สารบรรณกิจ", "ops-secretariat", "เจ้าหน้าที่สารบรรณ ส.ส.ป.", True),
    DemoUser("district_clerk", "นางสาว", "มาลี", "พระนครดี", "district-01", "เจ้าหน้าที่สารบรรณ สำนักงานเขตพระนคร", True),
    DemoUser("dept_clerk", "นาย", "วีระ", "แพทย์ประเสริฐ", "dept-medical", "เจ้าหน้าที่สารบรรณ สำนักการแพทย์", True),
)

# In the demo the receiving offices book memos in through their clerks, as a real office does
# (the unit setting "เจ้าหน้าที่สารบรรณลงทะเบียนรับเอง"); other units keep automatic receipts.
BOOKS_IN_BY_HAND = ("deputy-1-office", "ops-secretariat")

LOGINS_FILE_NAME = "demo-logins.txt"


def logins_file() -> Path:
    return Path(settings.VAR_DIR) / LOGINS_FILE_NAME


def _read_logins() -> dict[str, str]:
    path = logins_file()
    if not path.exists():
        return {}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            user, password = line.split("\t", 1)
            pairs[user] = password
    return pairs


def _write_logins(pairs: dict[str, str]) -> None:
    path = logins_file()
    path.write_text("".join(f"{u}\t{p}\n" for u, p in pairs.items()), encoding="utf-8")
    path.chmod(0o600)


@transaction.atomic
def seed_demo_users(*, start: dt.date | None = None) -> list[tuple[str, str, str]]:
    """Create what is missing; returns (username, password, role) for every demo account."""
    User = get_user_model()
    logins = _read_logins()
    start = start or dt.date(2020, 10, 1)
    rows = []
    if not User.objects.filter(username="admin").exists():
        password = secrets.token_urlsafe(9)
        User.objects.create_superuser("admin", "admin@localhost", password)
        logins["admin"] = password
    rows.append(("admin", logins.get("admin", "(ตั้งไว้ก่อนแล้ว)"), "ผู้ดูแลระบบ"))
    Unit.objects.filter(key__in=BOOKS_IN_BY_HAND).update(books_in_by_hand=True)
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            password = secrets.token_urlsafe(9)
            # Names on the account too: viewflow's menu shows the user's full name.
            user = User.objects.create_user(
                demo.username, f"{demo.username}@localhost", password, first_name=demo.first, last_name=demo.last
            )
            logins[demo.username] = password
        if not user.first_name:
            # Accounts made before names were recorded: viewflow's menu shows the full name.
            user.first_name, user.last_name = demo.first, demo.last
            user.save(update_fields=["first_name", "last_name"])
        official, _ = Official.objects.get_or_create(
            user=user,
            defaults={
                "prefix": demo.prefix,
                "first_name": demo.first,
                "last_name": demo.last,
                "unit": Unit.objects.get(key=demo.unit_key),
                "is_clerk": demo.is_clerk,
            },
        )
        for position_key, capacity in demo.posts:
            position = Position.objects.get(key=position_key)
            if not Appointment.objects.filter(official=official, position=position).exists():
                appointment_create(official=official, position=position, capacity=capacity, valid_from=start)
        rows.append((demo.username, logins.get(demo.username, "(ตั้งไว้ก่อนแล้ว)"), demo.role))
    _write_logins(logins)
    return rows


DRAFTER = "inst_clerk"


@transaction.atomic
def seed_reference_draft(*, user: Any = None) -> Memo:
    """The reference memo of seed-memo.txt as a draft of the institute's clerk (or `user`), ready
    to be read, edited and sent; an existing memo of hers with the same subject is kept instead."""
    if user is None:
        user = get_user_model().objects.get(username=DRAFTER)
    data = reference_memo_input()
    existing = Memo.objects.filter(drafted_by=user, subject=data.subject).order_by("pk").first()
    return existing or memo_create(user=user, data=data)
