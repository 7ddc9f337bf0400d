"""Shared fixtures: the BMA directory and the four role users of the reference scenario.

When TEST_DATABASE_URL is set (the PostgreSQL run in CI), the whole suite runs against it;
tests marked `postgres` need real concurrent connections and skip, with the reason, on
SQLite.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from memos.models import Capacity, Official, Position, Unit
from memos.services import appointment_create

APPOINTED_FROM = dt.date(2020, 10, 1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(
            reason="needs PostgreSQL (real concurrent connections and row locks); "
            "run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/saraban"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def directory(db: None) -> None:
    from memos.directory_loader import load_bma_directory

    load_bma_directory()


@dataclass
class Roles:
    clerk: object
    director: object
    deputy: object
    perm_sec: object
    ops_clerk: object
    district_clerk: object
    dept_clerk: object


def make_official(
    username: str,
    prefix: str,
    first: str,
    last: str,
    unit_key: str,
    *,
    is_clerk: bool = False,
    posts: tuple[tuple[str, str], ...] = (),
) -> Official:
    user = get_user_model().objects.create_user(
        username, f"{username}@example.go.th", "pw-" + username, first_name=first, last_name=last
    )
    official = Official.objects.create(
        user=user,
        prefix=prefix,
        first_name=first,
        last_name=last,
        unit=Unit.objects.get(key=unit_key),
        is_clerk=is_clerk,
    )
    for key, capacity in posts:
        appointment_create(
            official=official, position=Position.objects.get(key=key), capacity=capacity, valid_from=APPOINTED_FROM
        )
    return official


@pytest.fixture
def roles(directory: None) -> Roles:
    """The reference scenario's people (seed-memo.txt), each with a login."""
    return Roles(
        clerk=make_official("clerk", "นางสาว", "สุภาพร", "ใจงาม", "ops-hrd", is_clerk=True).user,
        director=make_official(
            "director",
            "นาย",
            "สันติ",
            "ตั้งชาญรัชชัย",
            "ops-hrd",
            posts=(("hrd-strategy-director", Capacity.HOLDER), ("ops-hrd-head", Capacity.ACTING_IN_POST)),
        ).user,
        deputy=make_official(
            "deputy", "นาง", "วันทนี", "วัฒนะ", "deputy-1-office", posts=(("deputy-1", Capacity.HOLDER),)
        ).user,
        perm_sec=make_official(
            "permsec", "นาง", "ศิลปสวย", "ระวีแสงสูรย์", "ops", posts=(("permanent-secretary", Capacity.HOLDER),)
        ).user,
        ops_clerk=make_official("opsclerk", "นาย", "ประเสริฐ", "สารบรรณกิจ", "ops-secretariat", is_clerk=True).user,
        district_clerk=make_official("districtclerk", "นางสาว", "มาลี", "พระนครดี", "district-01", is_clerk=True).user,
        dept_clerk=make_official("deptclerk", "นาย", "วีระ", "แพทย์ประเสริฐ", "dept-medical", is_clerk=True).user,
    )


def service_available(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
