"""Log records carry the request id (django-guid): the id of the HTTP request being served,
or, in a Celery worker, of the request that enqueued the task (django-guid's Celery
integration sends it in the task's headers). Tasks started by beat get an id of their own.

settings.LOGGING formats records as text for people (`make run`) or as one JSON object a
line (python-json-logger) when LOG_FORMAT=json, for a log collector.
"""

from __future__ import annotations

import logging

from django_guid.log_filters import CorrelationId


class RequestIdFilter(CorrelationId):
    """django-guid's filter, under the name `request_id`, with "-" outside any request or
    task (in both formats), so a search for a missing id finds them."""

    def __init__(self) -> None:
        super().__init__(correlation_id_field="request_id")

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        if not record.request_id:  # type: ignore[attr-defined]
            record.request_id = "-"
        return True
