"""The one outbox engine (infrastructure, the lowest layer: it imports no app of the
project). An app describes its outbox model with an `Outbox` beside the Celery task that
works one row, and keeps only that work; see engine.py for the rules every outbox follows."""

from .engine import FAILED, LOST, RETRY, SKIPPED, Lease, LeaseLost, Outbox, positive_seconds, seconds_list

__all__ = [
    "FAILED",
    "LOST",
    "RETRY",
    "SKIPPED",
    "Lease",
    "LeaseLost",
    "Outbox",
    "positive_seconds",
    "seconds_list",
]
