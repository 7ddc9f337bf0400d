"""The Content-Security-Policy middleware: django-csp's, plus what viewflow's own pages need.

Our templates carry no inline script or style (tests/test_csp.py keeps it so). viewflow's
operator pages (the process dashboard and lists, a process's and a task's detail, the
profile page) are drawn from viewflow's package templates, which write fixed style="…"
attributes for their layout (`style="width:100%"`, `style="display:none"`). Rather than
copy those templates, or admit any inline style with 'unsafe-inline', such a page's policy
also names the SHA-256 of each of those fixed values ('unsafe-hashes' lets hashes apply to
attributes): exactly the values viewflow's templates contain, read from the installed
package at start-up, so they follow an upgrade; a style attribute with any other value is
still refused. The same goes for the <style> of viewflow's flow chart (an SVG drawn from a
template). Handler attributes (onclick=…) are never admitted: the few viewflow pages that
use them (task assignment, import/export) are not routed in this product.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

import viewflow
from csp import constants as csp
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.http import HttpRequest, HttpResponseBase

VIEWFLOW_TEMPLATES = Path(viewflow.__file__).parent / "templates"
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"{}]*)"')
STYLE_ELEMENT = re.compile(r"<style[^>]*>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</style>", re.S)


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@cache
def viewflow_inline_styles() -> tuple[list[str], list[str]]:
    """The hashes of the fixed style attribute values and <style> contents in viewflow's
    templates (attributes, elements). Values holding template code are left out: their
    rendered text is not known here, and they are refused."""
    attributes: set[str] = set()
    elements: set[str] = set()
    for path in sorted(VIEWFLOW_TEMPLATES.rglob("*")):
        if path.suffix not in {".html", ".svg"}:
            continue
        text = path.read_text(encoding="utf-8")
        attributes.update(csp_hash(value) for value in STYLE_ATTRIBUTE.findall(text))
        elements.update(csp_hash(body) for body in STYLE_ELEMENT.findall(text) if "{{" not in body and "{%" not in body)
    return sorted(attributes), sorted(elements)


def is_viewflow_page(request: HttpRequest) -> bool:
    """A view of viewflow's own (its class, or a class it extends, is in the viewflow
    package: the process dashboard and lists, which workflow.apps_site extends only to read
    their rows in fewer queries and draws from viewflow's templates), not one of ours."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    view = getattr(match.func, "view_class", match.func)
    classes = getattr(view, "__mro__", (view,))
    return any(str(getattr(c, "__module__", "")).startswith("viewflow.") for c in classes)


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        # An inline PDF (the document preview) goes without the page policy: Chrome shows it in
        # a page of its own viewer that the PDF's policy breaks (object-src 'none' blocks the
        # viewer's <embed>, crbug.com/271452). A PDF is no HTML document, and `nosniff` keeps
        # a browser from reading it as one.
        if response.get("Content-Type", "").startswith("application/pdf"):
            # (what django-csp's @csp_exempt sets)
            response._csp_exempt = True  # type: ignore[attr-defined]
            response._csp_exempt_ro = True  # type: ignore[attr-defined]
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_viewflow_page(request):
            attributes, elements = viewflow_inline_styles()
            update = dict(parts.update or {})
            update["style-src-attr"] = ["'unsafe-hashes'", *attributes]
            # For <style> elements this replaces style-src: our files and Turbo's nonce stay admitted.
            update["style-src-elem"] = [csp.SELF, csp.NONCE, *elements]
            parts.update = update
        return parts
