"""Who turns a document version into .docx bytes. Documents know no memo or directive: each
domain app registers the renderer of its kinds in AppConfig.ready(), and the render worker
asks here."""

from __future__ import annotations

from collections.abc import Callable

from .models import DocumentVersion

Renderer = Callable[[DocumentVersion], bytes]

_renderers: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    _renderers[kind] = renderer


def render(version: DocumentVersion) -> bytes:
    try:
        renderer = _renderers[version.kind]
    except KeyError:
        raise ValueError(f"no renderer registered for document kind {version.kind!r}") from None
    return renderer(version)
