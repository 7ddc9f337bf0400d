"""Responses every app's document screens share: a safe file name, a .docx, a PDF preview."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.http import content_disposition_header

from .preview import PreviewError, render_pdf

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def safe_filename(text: str) -> str:
    # "กท ๐๔๐๑/๑๒๕๕" names a file: path separators and characters Windows refuses go.
    return "".join("-" if ch in '/\\:*?"<>|' else ch for ch in text).strip()


def pdf_response(request: HttpRequest, docx: bytes, filename: str, *, docx_url: str) -> HttpResponseBase:
    try:
        pdf = render_pdf(docx)
    except PreviewError as exc:
        # 503: the document exists, only the preview service is unavailable; the page
        # says so in Thai and still offers the .docx.
        return render(request, "documents/preview_error.html", {"message": str(exc), "docx_url": docx_url}, status=503)
    # Inline: the browser's own PDF viewer opens it in the tab.
    return FileResponse(io.BytesIO(pdf), as_attachment=False, filename=filename, content_type="application/pdf")


def stored_file_response(file: File, filename: str, *, content_type: str | None = None) -> HttpResponseBase:
    """A stored file, for a request that has passed its access check: the only way a stored
    file leaves the system (there is no public media URL).

    Behind nginx (FILES_X_ACCEL_PREFIX set, e.g. "/_protected/" mapped `internal` to
    MEDIA_ROOT) the web server sends the bytes; otherwise they are streamed from storage.
    Either way the browser gets the original Thai name (RFC 5987 filename*).
    """
    prefix = getattr(settings, "FILES_X_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type or "application/octet-stream")
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{file.name}"
        response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
        return response
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


class StoredFileView:
    """A view that hands out a stored file (or a document made from one): an anonymous request
    gets 404, as another unit's does, not the sign-in page: nothing answers differently for a
    file that exists, and a link to a file leads nowhere without a session. Put it first among
    the view's bases; the view itself still asks the access helper for the object."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
