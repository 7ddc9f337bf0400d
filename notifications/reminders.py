"""Registry of reminder providers, run by the `send_reminders` beat task.

A provider is a function taking no arguments that finds what is overdue and calls
`notification_enqueue` itself, with a dedup_key naming the reminder period (for example
f"reminder:task:{task.pk}:{period_start:%Y-%m-%d}") so a rerun of the same period sends
nothing new. Register it where both the web and the worker processes import it, i.e. from
an AppConfig.ready():

    from notifications import reminders
    reminders.register(workflow.reminders.overdue_reviews)
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[], None]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (once, however often ready() runs); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)
