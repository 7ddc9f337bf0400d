"""What memos hand to the layers below at start-up (MemosConfig.ready): the renderer of a
memo's document, and the route templates that come with the BMA directory."""

from __future__ import annotations

from directory.loader import directory_loaded
from documents import renderers
from documents.models import DocumentKind

from .documents import memo_version_docx
from .routes import institute_route_template


def register() -> None:
    directory_loaded.connect(institute_route_template, dispatch_uid="memos.institute_route_template")
    renderers.register(DocumentKind.MEMO, memo_version_docx)
