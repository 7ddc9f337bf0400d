"""A real Celery worker for integration tests.

`celery_worker_process` starts `celery -A config worker` once per session on the local
Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379/15), connected to the same test
database as the tests (which must therefore use `django_db(transaction=True)`, or the
worker cannot see their rows), with file-based mail in a temporary directory. Each session
uses its own queue, so a stale message from an earlier run, or another run sharing the
Redis database, never reaches this worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings

from tests.conftest import REDIS_URL, service_available

from .celery_support import CeleryWorker, database_url, redis_host_port, start_worker


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CeleryWorker]:
    host, port = redis_host_port(REDIS_URL)
    if not service_available(host, port):
        pytest.skip(
            f"Redis does not answer at {host}:{port}: the real-worker tests need it (start Redis or set TEST_REDIS_URL)"
        )
    from django.db import connection

    queue = f"test-{uuid.uuid4().hex[:12]}"
    worker = start_worker(
        base_dir=settings.BASE_DIR,
        # After django_db_setup the connection names the test database ("test_<name>" on
        # PostgreSQL, settings.DATABASES["default"]["TEST"]["NAME"] on SQLite).
        database_url=database_url(connection.settings_dict),
        broker_url=REDIS_URL,
        queue=queue,
        var_dir=tmp_path_factory.mktemp("celery-worker") / "var",
        extra_env={"SITE_URL": settings.SITE_URL},
    )
    try:
        yield worker
    finally:
        # Stop before pytest-django drops the test database: PostgreSQL refuses to drop a
        # database that still has connections.
        worker.stop()
        _forget_queue(queue)


def _forget_queue(queue: str) -> None:
    """Remove the session queue's keys so repeated runs do not pile them up in Redis. kombu
    names the exchange of an auto-created queue after the queue."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    except redis.RedisError:
        pass  # cleanup only: a leftover empty binding does no harm
