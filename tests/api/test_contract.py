"""Schemathesis against the API's own schema, in process (WSGI), for every operation:
no 5xx, status codes, content types and bodies as the schema declares them, and no
operation that declares authentication answers without it.

Each operation is fuzzed three ways, all with a clerk's token: generated data (ids that
mostly do not exist), data that breaks the schema, and generated bodies and queries aimed
at real objects (the reference memo in review with a stored .docx, its open task, a sent
circular, a district's copy and its report), so the services themselves meet odd input.
Deterministic: Hypothesis is derandomized, has no example database, and a fixed number of
examples, so the same cases run on every machine and a run is never flaky."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from directives.models import FollowUpReport
from directory.models import Position, Unit
from letters.models import Channel
from letters.outgoing import outgoing_submit
from letters.services import LetterFacts, letter_intake
from tests.factories import AttachmentFactory, OfficialFactory
from tests.letters.out_helpers import draft

from .conftest import token_client
from .helpers import circular_sent, memo_in_review, open_task, rendered_version

pytestmark = pytest.mark.django_db

APP = get_wsgi_application()
SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
SCHEMA.app = APP  # as from_wsgi sets it: every request, the auth probes' too, goes in process
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BKK = dt.timezone(dt.timedelta(hours=7))
EXAMPLES = 5  # per operation and way: about 700 requests in all, well under a minute of CPU


def fuzz(strategy: Any, run: Callable[[Any], None], examples: int = EXAMPLES) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy)
    def test(case: Any) -> None:
        run(case)

    test()


@contextmanager
def keep_the_test_connection() -> Iterator[None]:
    """Requests go through the WSGI handler, which closes the database connection when a
    request ends; inside a test that connection holds the test's transaction. Django's own
    test client detaches the same handler around each of its requests (and attaches it
    again after, so this must wrap the fuzzing itself, after any test-client request)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(roles: Any, settings: Any) -> dict[str, Any]:
    """Real objects for the generated requests to meet, and the clerk's token."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/minute"}}
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 30, tzinfo=BKK), tick=False):
        directive, distribution = circular_sent(roles)
        memo = memo_in_review(roles)
    district = token_client(roles.district_clerk)
    district.post(f"/api/v1/distributions/{distribution.pk}/book-in/")
    district.post(f"/api/v1/distributions/{distribution.pk}/acknowledge/")
    report = {"project_name": "โครงการ", "started_on": "2026-11-16", "ended_on": "2026-11-20"}
    district.post(
        f"/api/v1/distributions/{distribution.pk}/reports/",
        {**report, "budget_used": "10.00", "outcome": "เสร็จ"},
        format="json",
    )
    # The clerk of the issuing unit: reads memos, registers, circulars, the follow-up.
    clerk = roles.clerk
    token = token_client(clerk)._credentials["HTTP_AUTHORIZATION"]
    OfficialFactory(unit_key="ops-hrd")  # a colleague, so the unit has more than one official
    # A letter from outside waiting in the clerk's unit to be booked in.
    letter, _created = letter_intake(
        unit=Unit.objects.get(key="ops-hrd"),
        channel=Channel.ECMS,
        source_ref="contract-1",
        facts=LetterFacts(sender_name="กรมบัญชีกลาง", their_number="กค ๐๔๐๒/๕", subject="ขอข้อมูล"),
    )
    return {
        "headers": {"Authorization": token},
        "ids": {
            "memos": memo.pk,
            "tasks": open_task(memo),
            "circulars": directive.pk,
            "distributions": distribution.pk,
            "reports": FollowUpReport.objects.get(distribution=distribution).pk,
            "positions": Position.objects.get(key="ops-hrd-head").pk,
            "units": Position.objects.get(key="ops-hrd-head").unit_id,
            "incoming": letter.pk,
            "outgoing": outgoing_submit(letter=draft(roles.clerk), user=roles.clerk).pk,
        },
        "version_id": rendered_version(memo).pk,
        "attachment_id": AttachmentFactory(memo=memo).pk,
    }


def real_path_parameters(path: str, world: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if "{id}" in path:
        resource = path.removeprefix("/api/v1/").split("/")[0]
        if resource in ("directory", "letters"):
            resource = path.removeprefix(f"/api/v1/{resource}/").split("/")[0]
        params["id"] = world["ids"][resource]
    if "{version_id}" in path:
        params["version_id"] = world["version_id"]
    if "{attachment_id}" in path:
        params["attachment_id"] = world["attachment_id"]
    if "{series}" in path:
        params.update(series="send", year=2569)
    return params


def test_every_operation_conforms_to_its_schema(world: dict[str, Any]) -> None:
    """One test over all operations: the objects they meet are made once (a circular sent
    to 87 units costs seconds), and every failing operation is named at the end."""
    headers = world["headers"]
    transport = {"app": APP, "headers": headers}

    def call(case: Any) -> None:
        response = case.call(app=APP, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers, transport_kwargs=transport)

    def call_with_auth_probe(case: Any) -> None:
        response = case.call(app=APP, headers=headers)
        checks = [*CHECKS, ignored_auth]
        case.validate_response(response, checks=checks, headers=headers, transport_kwargs=transport)

    failures: dict[str, str] = {}
    # Hundreds of expected 4xx would each log a warning; a 5xx still logs (and fails below).
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    with keep_the_test_connection():
        for label, operation in sorted(OPERATIONS.items()):
            real = real_path_parameters(operation.path, world)
            try:
                fuzz(operation.as_strategy(GenerationMode.POSITIVE), call)
                fuzz(operation.as_strategy(GenerationMode.NEGATIVE), call, examples=4)
                fuzz(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real), call_with_auth_probe)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together below
                failures[label] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    request_log.setLevel(level)
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())


def test_every_operation_is_covered() -> None:
    assert len(OPERATIONS) >= 50
    paths = {op.path for op in OPERATIONS.values()}
    for prefix in (
        "/api/v1/memos/",
        "/api/v1/tasks/",
        "/api/v1/circulars/",
        "/api/v1/registers/",
        "/api/v1/directory/",
        "/api/v1/letters/incoming/",
        "/api/v1/search/",
    ):
        assert any(p.startswith(prefix) for p in paths), prefix
