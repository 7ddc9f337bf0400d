"""Shared fixtures: session settings, the BMA directory (loaded once per session) and the
people of the reference scenario.

When DATABASE_URL names a PostgreSQL database (the PostgreSQL run in CI), the whole suite runs against it;
tests marked `postgres` need real concurrent connections and skip, with the reason, on
SQLite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings

from directory.models import Capacity, Unit
from tests.factories import OfficialFactory


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


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Settings for the whole session. Passwords hash with MD5: the production hasher's
    deliberate ~0.2 s per password would cost seconds per test (the role users have real
    passwords, which the browser test types in). Stored files go to this session's own
    directory, so parallel workers and earlier runs never meet in var/. The layout pass that
    writes continuation markers into each stored version runs LibreOffice once per version:
    off, except in the tests of the markers themselves (tests/documents/test_versions.py,
    test_paper.py)."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        DOCUMENT_PAGE_MARKS=False,
        # No warm converter unless a test starts its own (tests/documents/test_converter.py):
        # a pool left by anything else on this machine must not answer the tests' previews.
        UNOSERVER_PORTS="none",
        UNOSERVER_START_WITH_WORKER=False,
    ):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database, migrated, with the BMA directory loaded once per session (per
    xdist worker). Each test's transaction sees it and rolls back only its own changes."""
    from directory.loader import load_bma_directory

    with django_db_blocker.unblock():
        load_bma_directory()


@pytest.fixture
def directory(db: None) -> None:
    """The BMA directory, as loaded by django_db_setup. A transactional test (transaction=True,
    live_server) ends with Django flushing every table, so after one the directory is loaded
    again; pytest-django runs those tests after the others, so this seldom happens."""
    from directory.loader import load_bma_directory

    if not Unit.objects.filter(key="bma").exists():
        load_bma_directory()


@dataclass
class Roles:
    clerk: Any
    director: Any
    deputy: Any
    perm_sec: Any
    ops_clerk: Any
    district_clerk: Any
    dept_clerk: Any


def official(
    username: str,
    prefix: str,
    first: str,
    last: str,
    unit_key: str,
    *,
    is_clerk: bool = False,
    posts: tuple[tuple[str, str], ...] = (),
) -> Any:
    """A user of the reference scenario; the password is "pw-<username>"."""
    return OfficialFactory(
        user__username=username,
        user__password="pw-" + username,
        prefix=prefix,
        first_name=first,
        last_name=last,
        unit_key=unit_key,
        is_clerk=is_clerk,
        posts=posts,
    ).user


@pytest.fixture
def roles(directory: None) -> Roles:
    """The reference scenario's people (seed-memo.txt), each with a login."""
    return Roles(
        clerk=official("clerk", "นางสาว", "สุภาพร", "ใจงาม", "ops-hrd", is_clerk=True),
        director=official(
            "director",
            "นาย",
            "สันติ",
            "ตั้งชาญรัชชัย",
            "ops-hrd",
            posts=(("hrd-strategy-director", Capacity.HOLDER), ("ops-hrd-head", Capacity.ACTING_IN_POST)),
        ),
        deputy=official("deputy", "นาง", "วันทนี", "วัฒนะ", "deputy-1-office", posts=(("deputy-1", Capacity.HOLDER),)),
        perm_sec=official(
            "permsec", "นาง", "ศิลปสวย", "ระวีแสงสูรย์", "ops", posts=(("permanent-secretary", Capacity.HOLDER),)
        ),
        ops_clerk=official("opsclerk", "นาย", "ประเสริฐ", "สารบรรณกิจ", "ops-secretariat", is_clerk=True),
        district_clerk=official("districtclerk", "นางสาว", "มาลี", "พระนครดี", "district-01", is_clerk=True),
        dept_clerk=official("deptclerk", "นาย", "วีระ", "แพทย์ประเสริฐ", "dept-medical", is_clerk=True),
    )


def service_available(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
