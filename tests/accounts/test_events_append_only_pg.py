"""On PostgreSQL the record of sign-ins is append-only, like the audit tables: UPDATE and
DELETE are refused by triggers (django-pgtrigger), through the ORM and at the SQL prompt.
Deleting an account still works: its events stay, with the user emptied and the typed
user name kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import Client

from accounts.models import LoginEvent

from .conftest import PASSWORD, attempt

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

REFUSED = re.compile(r"Cannot (update|delete|update or delete) rows from accounts_loginevent")


def refused(statement: Callable[[], object]) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        statement()
    return str(caught.value)


def sql(query: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(query, params)


def test_login_events_cannot_be_rewritten_or_deleted(client: Client, somchai: Any) -> None:
    attempt(client, "ผิด")
    attempt(client, PASSWORD)
    failure = LoginEvent.objects.get(kind=LoginEvent.Kind.FAILURE)
    login = LoginEvent.objects.get(kind=LoginEvent.Kind.LOGIN)

    assert REFUSED.search(refused(lambda: LoginEvent.objects.filter(pk=failure.pk).update(kind=LoginEvent.Kind.LOGIN)))
    assert REFUSED.search(refused(lambda: sql("UPDATE accounts_loginevent SET ip_address = %s", ["10.9.9.9"])))
    # Pinning someone else's sign-in on the account is an update too.
    other = get_user_model().objects.create_user("somsri", "somsri@example.go.th", PASSWORD)
    assert REFUSED.search(refused(lambda: LoginEvent.objects.filter(pk=login.pk).update(user=other)))
    assert REFUSED.search(refused(lambda: LoginEvent.objects.filter(pk=login.pk).delete()))
    assert REFUSED.search(refused(lambda: sql("DELETE FROM accounts_loginevent", [])))

    assert list(LoginEvent.objects.order_by("id").values_list("kind", "ip_address")) == [
        (LoginEvent.Kind.FAILURE, "10.0.0.1"),
        (LoginEvent.Kind.LOGIN, "10.0.0.1"),
    ]


def test_deleting_the_account_keeps_its_events(client: Client, somchai: Any) -> None:
    attempt(client, PASSWORD)
    somchai.delete()

    [event] = LoginEvent.objects.all()
    assert (event.kind, event.user_id, event.username) == (LoginEvent.Kind.LOGIN, None, "somchai")
    # Once emptied, the user cannot be put back either.
    assert REFUSED.search(refused(lambda: sql("UPDATE accounts_loginevent SET username = %s", ["x"])))


def test_the_triggers_are_installed_by_the_migrations() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = 'accounts_loginevent' AND t.tgname LIKE 'pgtrigger_%%' AND t.tgenabled = 'O'"
        )
        names = sorted(row[0].rsplit("_", 1)[0] for row in cursor.fetchall())
    assert names == ["pgtrigger_append_only", "pgtrigger_append_only_update"]
