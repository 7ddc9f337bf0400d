"""The one search: what a person typed, turned into index conditions, limited to what the
domain apps' access helpers let this person open, whole-word matches first.

Used by the results page and by the API alike. Access is a subquery on ids per kind (the
domain helper's own queryset), so search can never show more than the document pages would.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from . import text
from .models import SearchDocument
from .sources import SOURCES

# Past this many matches a result count says "more than": counting every match of a word
# found in most documents would cost more than the page itself.
COUNT_CAP = 1000
PAGE_SIZE = 20
SNIPPET_RADIUS = 70
TABLE = SearchDocument._meta.db_table


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    kind: str = ""
    year: int | None = None
    unit: int | None = None
    state: str = ""

    @property
    def terms(self) -> list[str]:
        return text.query_terms(self.q)

    @property
    def is_empty(self) -> bool:
        return not self.terms


@dataclass
class Hit:
    doc: SearchDocument
    kind_label: str
    url: str
    whole_word: bool
    snippet: SafeString
    subject_html: SafeString


@dataclass
class SearchPage:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    count: int = 0
    count_capped: bool = False
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# A person who may open at most this many documents of a kind (a unit's clerk, an official:
# about 10,000 memos at 1,000,000) has them listed by id, read one way in at a time by the
# domain helper: the text is then checked on those rows only, found through the (kind,
# object_id) index, and every match is ranked in one statement. Above it (an administrator,
# a big office's secretariat) the access helper is asked per candidate row instead, by
# statements that stop at the first page and the count cap (bench 10).
VISIBLE_LIST_MAX = 50_000


@dataclass
class _Access:
    """Per kind: the ids `user` may open (listed), or the kinds asked row by row (broad)."""

    listed: dict[str, list[int]]
    broad: list[str]

    def condition(self, user: Any) -> Q:
        allowed = Q(pk__in=[])
        for kind, ids in self.listed.items():
            allowed |= Q(kind=kind) & Q(_object_id_in(ids))
        for kind in self.broad:
            visible = SOURCES[kind].visible(user)
            allowed |= Q(kind=kind) & Q(Exists(visible.filter(pk=OuterRef("object_id"))))
        return allowed


def _object_id_in(ids: list[int]) -> RawSQL:
    """object_id among `ids`, as one parameter rather than one placeholder per id (SQLite
    refuses more than 32,766)."""
    if connection.vendor == "postgresql":
        sql, param = f'"{TABLE}"."object_id" = ANY(%s)', ids
    else:
        sql, param = f'"{TABLE}"."object_id" IN (SELECT value FROM json_each(%s))', json.dumps(ids)  # noqa: S608
    # The SQL is ours; the ids are integers read from the database, passed as a parameter.
    return RawSQL(sql, [param], output_field=BooleanField())  # noqa: S611


def _access(user: Any, kinds: Sequence[str]) -> _Access:
    access = _Access(listed={}, broad=[])
    for kind in kinds:
        ids = SOURCES[kind].visible_ids(user, VISIBLE_LIST_MAX)
        if ids is None:
            access.broad.append(kind)
        elif ids:
            access.listed[kind] = ids
    return access


def visible_documents(user: Any, kinds: Sequence[str] | None = None) -> QuerySet[SearchDocument]:
    """Index rows of the documents `user` may open, per kind through the domain access
    helper: as the list of ids when it is short, or as a correlated EXISTS that the database
    probes for the candidate rows only (an administrator's whole set is never built)."""
    return SearchDocument.objects.filter(_access(user, kinds or list(SOURCES)).condition(user))


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _matching(qs: QuerySet[SearchDocument], terms: list[str]) -> QuerySet[SearchDocument]:
    """Every term is found somewhere, as a character sequence (inside a compound too)."""
    long_terms = [t for t in terms if len(t) >= 3]
    if connection.vendor == "sqlite" and long_terms:
        expression = " AND ".join(_fts_phrase(t) for t in long_terms)
        qs = qs.filter(pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression]))
        rest = [t for t in terms if len(t) < 3]
    else:
        # PostgreSQL: LIKE '%term%' is answered from the pg_trgm GIN index for 3+ characters.
        rest = terms
    for term in rest:
        qs = qs.filter(haystack__contains=term)
    return qs


def _whole_words(terms: list[str]) -> list[str]:
    return [w for w in (text.segment(t).strip() for t in terms) if w]


def _whole_condition(words: list[str], *, negate: bool = False) -> RawSQL:
    """Every term is found as whole words of the segmented text."""
    if connection.vendor == "postgresql":
        part = (
            # segmented_tsv: a stored generated column, on PostgreSQL only (migration 0002).
            f'"{TABLE}"."segmented_tsv" @@ phraseto_tsquery(\'simple\'::regconfig, %s)'
        )
        params: list[str] = list(words)
    else:
        part = f'"{TABLE}"."segmented" LIKE %s ESCAPE \'\\\''
        params = ["%" + " " + _like_escape(w) + " " + "%" for w in words]
    sql = " AND ".join([part] * len(words)) or "1=1"
    if negate:
        sql = f"NOT ({sql})"
    # The SQL is ours; what the person typed goes in as parameters only.
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(*, user: Any, query: SearchQuery, page: int = 1, page_size: int = PAGE_SIZE) -> SearchPage:
    if connection.vendor != "postgresql":
        return _search(user=user, query=query, page=page, page_size=page_size)
    # The access EXISTS per kind make the planner's cost estimate large, which switches on JIT
    # compilation: 3-5 s of compiling for a query that runs in 0.2 s (bench 10). Off for these
    # statements only (SET LOCAL: until the transaction ends; no savepoint, nothing is written).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        return _search(user=user, query=query, page=page, page_size=page_size)


def _search(*, user: Any, query: SearchQuery, page: int = 1, page_size: int = PAGE_SIZE) -> SearchPage:
    """One page of what `user` may open that matches `query`: documents where every term is a
    whole word first, then those where a term is only part of a longer word; newest first
    within each."""
    result = SearchPage(query=query, page=max(page, 1), page_size=page_size)
    terms = query.terms
    if not terms:
        return result
    access = _access(user, [query.kind] if query.kind in SOURCES else list(SOURCES))
    base = SearchDocument.objects.filter(access.condition(user))
    if query.year:
        base = base.filter(year=query.year)
    if query.unit:
        base = base.filter(unit_id=query.unit)
    if query.state:
        base = base.filter(state=query.state)
    base = _matching(base, terms)
    words = _whole_words(terms)
    if access.broad:
        rows = _broad_page(base, words, result)
    else:
        rows = _listed_page(base, words, result)
    result.hits = [_hit(doc, is_whole, terms) for doc, is_whole in rows]
    return result


def _listed_page(
    base: QuerySet[SearchDocument], words: list[str], result: SearchPage
) -> list[tuple[SearchDocument, bool]]:
    """Every match among the listed documents, ranked in one statement (whole words first,
    then newest), up to the count cap; then the page's rows."""
    ranked = list(
        base.annotate(whole=_whole_condition(words))
        .order_by("-whole", "-dated", "-pk")
        .values_list("pk", "whole")[:COUNT_CAP]
    )
    result.count = len(ranked)
    result.count_capped = result.count >= COUNT_CAP
    result.page = min(result.page, result.pages)
    start = (result.page - 1) * result.page_size
    shown = ranked[start : start + result.page_size]
    docs = SearchDocument.objects.defer("haystack", "segmented").in_bulk([pk for pk, _whole in shown])
    return [(docs[pk], bool(whole)) for pk, whole in shown]


def _broad_page(
    base: QuerySet[SearchDocument], words: list[str], result: SearchPage
) -> list[tuple[SearchDocument, bool]]:
    """Whole-word matches, then partial ones, each counted up to the cap and paged by its own
    statement, so that a common word among a million documents stops at what is shown."""
    base = base.defer("haystack", "segmented")
    whole = base.filter(_whole_condition(words)).order_by("-dated", "-pk")
    partial = base.filter(_whole_condition(words, negate=True)).order_by("-dated", "-pk")
    whole_count = whole[:COUNT_CAP].count()
    partial_count = partial[: COUNT_CAP - whole_count].count() if whole_count < COUNT_CAP else 0
    result.count = whole_count + partial_count
    result.count_capped = result.count >= COUNT_CAP
    result.page = min(result.page, result.pages)
    start = (result.page - 1) * result.page_size
    page_size = result.page_size
    rows: list[tuple[SearchDocument, bool]] = []
    if start < whole_count:
        rows.extend((d, True) for d in whole[start : start + page_size])
    if len(rows) < page_size:
        offset = max(start - whole_count, 0)
        rows.extend((d, False) for d in partial[offset : offset + page_size - len(rows)])
    return rows


# --- Showing a hit ------------------------------------------------------------------------


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    parts = [text.digit_pattern(t) for t in sorted(terms, key=len, reverse=True)]
    parts = [p for p in parts if p]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _marked(value: str, pattern: re.Pattern[str] | None) -> SafeString:
    if pattern is None:
        return mark_safe(html.escape(value))  # noqa: S308 - escaped just here
    out, last = [], 0
    for match in pattern.finditer(value):
        out.append(html.escape(value[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(value[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def snippet(content: str, terms: list[str], radius: int = SNIPPET_RADIUS) -> SafeString:
    """A short passage around the first match, the matches marked; the beginning if the match
    is only in the subject or number."""
    pattern = _pattern(terms)
    flat = " ".join(content.split())
    match = pattern.search(flat) if pattern else None
    if match is None:
        piece = flat[: radius * 2]
        return _marked(piece + ("…" if len(flat) > len(piece) else ""), None)
    start = max(match.start() - radius, 0)
    end = min(match.end() + radius, len(flat))
    piece = flat[start:end]
    marked = _marked(piece, pattern)
    return mark_safe(("…" if start else "") + marked + ("…" if end < len(flat) else ""))  # noqa: S308


def _hit(doc: SearchDocument, whole: bool, terms: list[str]) -> Hit:
    src = SOURCES.get(doc.kind)
    return Hit(
        doc=doc,
        kind_label=src.label if src else doc.kind,
        url=src.url(doc.object_id) if src else "",
        whole_word=whole,
        snippet=snippet(doc.content or doc.people, terms),
        subject_html=_marked(doc.subject, _pattern(terms)),
    )
