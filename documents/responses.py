"""Responses every app's document screens share: a safe file name, a .docx, a PDF preview."""

from __future__ import annotations

import io

from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import render

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
