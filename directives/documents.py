"""The circular's renderer for the document worker (registered in DirectivesConfig.ready)."""

from __future__ import annotations

from documents.models import DocumentVersion

from .models import Directive
from .selectors import directive_docx


def directive_version_docx(version: DocumentVersion) -> bytes:
    if version.directive_id is None:
        raise ValueError(f"document version {version.pk} has no circular")
    return directive_docx(Directive.objects.get(pk=version.directive_id))
