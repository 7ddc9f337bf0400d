"""What directives hand to the layers below at start-up (DirectivesConfig.ready): the
circular's renderer and the overdue-report reminder. Registered at start-up so that both the
web and the worker processes (which run the `send_reminders` beat task) know them."""

from __future__ import annotations

from documents import renderers
from documents.models import DocumentKind
from notifications import reminders

from .documents import directive_version_docx
from .reminders import overdue_distributions


def register() -> None:
    reminders.register(overdue_distributions)
    renderers.register(DocumentKind.DIRECTIVE, directive_version_docx)
