"""The one search: what a person typed, turned into index conditions, limited to what the
domain apps' access helpers let this person open, whole-word matches first.

Used by the results page and by the API alike. Access is a subquery on ids per kind (the
domain helper's own queryset), so search can never show more than the document pages would.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Q, QuerySet
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
# object_id) index. Above it (an administrator, a big office's secretariat) the access helper
# is asked for the candidate rows instead, as a semi-join per kind, by statements that stop at
# the count cap (bench 10).
VISIBLE_LIST_MAX = 50_000


@dataclass
class _Access:
    """Per kind: the ids `user` may open (listed), or the kinds asked row by row (broad)."""

    listed: dict[str, list[int]]
    broad: list[str]

    def parts(self, user: Any) -> list[Q]:
        """One condition per query part: every listed kind together (arrays, no subquery),
        then each broad kind alone, as a plain semi-join on its helper's ids that the database
        probes for the candidate rows. (OR-ed with other kinds, PostgreSQL built each helper's
        whole set before the first row: a scan of every memo, bench 10.)"""
        parts = []
        if self.listed:
            listed = Q(pk__in=[])
            for kind, ids in self.listed.items():
                listed |= Q(kind=kind) & Q(_object_id_in(ids))
            parts.append(listed)
        for kind in self.broad:
            parts.append(Q(kind=kind, object_id__in=SOURCES[kind].visible(user).order_by().values("pk")))
        return parts


def _object_id_in(ids: list[int]) -> RawSQL:
    """object_id among `ids`, as one parameter rather than one placeholder per id (SQLite
    refuses more than 32,766)."""
    param: Any
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


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _matching(qs: QuerySet[SearchDocument], terms: list[str], *, rows_first: bool = False) -> QuerySet[SearchDocument]:
    """Every term is found somewhere, as a character sequence (inside a compound too).

    `rows_first` (PostgreSQL): the text of the rows access allows is read, instead of asking
    the trigram index which documents hold the terms. Written as strpos(), which that index
    cannot answer, so the planner does not start from it: it cannot tell how many documents
    hold a word (LIKE on long text has no statistics; it guesses a handful), and a common
    word starting from the trigram index re-reads a third of every document (bench 10)."""
    long_terms = [t for t in terms if len(t) >= 3]
    if connection.vendor == "sqlite" and long_terms:
        expression = " AND ".join(_fts_phrase(t) for t in long_terms)
        qs = qs.filter(pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression]))
        rest = [t for t in terms if len(t) < 3]
    else:
        rest = terms
    for term in rest:
        if rows_first and connection.vendor == "postgresql":
            # The SQL is ours; the term goes in as a parameter.
            contains = RawSQL(f'strpos("{TABLE}"."haystack", %s) > 0', [term], output_field=BooleanField())  # noqa: S611
            qs = qs.filter(contains)
        else:
            # LIKE '%term%': answered from the pg_trgm GIN index for 3+ characters.
            qs = qs.filter(haystack__contains=term)
    return qs


# How common each word is, from PostgreSQL's own statistics of the word index (ANALYZE keeps
# the most common words and the share of documents holding each), read again every few minutes.
_WORD_STATS: dict[str, Any] = {"at": 0.0, "freqs": {}, "rows": 0.0}
WORD_STATS_SECONDS = 300


def _word_stats() -> dict[str, Any]:
    if time.monotonic() - _WORD_STATS["at"] < WORD_STATS_SECONDS:
        return _WORD_STATS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = %s AND attname = 'segmented_tsv'",
            [TABLE],
        )
        row = cursor.fetchone()
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [TABLE])
        rows = cursor.fetchone()
    words, freqs = row or (None, None)
    words, freqs = words or [], freqs or []
    _WORD_STATS.update(
        at=time.monotonic(),
        # zip stops at the words: the last three numbers are the least and greatest share and
        # the share of empty rows.
        freqs=dict(zip(words, freqs, strict=False)),
        rows=max(float(rows[0]) if rows else 0.0, 0.0),
    )
    return _WORD_STATS


def _documents_holding(terms: list[str]) -> float:
    """About how many documents hold every term somewhere: the share of the common words that
    contain the rarest term. A term inside none of them (a number, a rare word) is taken as
    rare: the least common word's share is a loose bound (5 % at 1,000,000 documents, bench
    10), and reading every listed row for a number cost 0.3 s where the trigram index takes
    milliseconds."""
    stats = _word_stats()
    share = 1.0
    for term in terms:
        share = min(share, sum(f for w, f in stats["freqs"].items() if term in w))
    return min(share, 1.0) * stats["rows"]


def _rows_first(access: _Access, terms: list[str]) -> bool:
    """Read the rows access lists rather than ask the trigram index, when they are fewer than
    the documents that index would hand back."""
    if connection.vendor != "postgresql" or access.broad or not access.listed:
        return False
    listed = sum(len(ids) for ids in access.listed.values())
    return listed < _documents_holding([t for t in terms if len(t) >= 3] or terms)


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
    # For these statements only (is_local: until the transaction ends; no savepoint, nothing is
    # written), as measured in bench 10:
    # - jit off: the access semi-joins make the planner's cost estimate large, which switches
    #   on JIT compilation, 3-5 s of compiling for a query that runs in 0.2 s;
    # - work_mem 16MB: the bitmap of a common word among 1,000,000 documents stays exact (at
    #   the default 4MB it turns lossy and every row on a lossy page is read again: 250 ms).
    # The views and the API call this outside any transaction (no ATOMIC_REQUESTS), so the
    # settings end with this block; a caller inside a transaction keeps them until it ends.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '16MB', true)")
        return _search(user=user, query=query, page=page, page_size=page_size)


def _bitmaps_only() -> None:
    """For an official's listed ids: the word index's bitmap ANDed with the ids' bitmap, rather
    than each listed row fetched and its words read. PostgreSQL costs the second lower, but at
    1,000,000 memos a clerk's common word took 240 ms that way and 85 ms the first (bench 10)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_indexscan', 'off', true)")


def _search(*, user: Any, query: SearchQuery, page: int = 1, page_size: int = PAGE_SIZE) -> SearchPage:
    """One page of what `user` may open that matches `query`: documents where every term is a
    whole word first, then those where a term is only part of a longer word; newest first
    within each.

    Whole-word and part-of-a-word matches are each read up to the count cap, as (date, id) in
    order, one statement per access part; the page is cut from those and its rows read by id.
    On PostgreSQL a whole-word match is answered by the word (tsvector) index alone; only the
    part-of-a-word matches read the text: through the trigram index, or for a common word
    straight from the rows access lists (_rows_first)."""
    result = SearchPage(query=query, page=max(page, 1), page_size=page_size)
    terms = query.terms
    if not terms:
        return result
    access = _access(user, [query.kind] if query.kind in SOURCES else list(SOURCES))
    if connection.vendor == "postgresql" and access.listed and not access.broad:
        _bitmaps_only()
    words = _whole_words(terms)
    rows_first = _rows_first(access, terms)
    whole_parts, partial_parts = [], []
    for part in access.parts(user):
        base = SearchDocument.objects.filter(part)
        if query.year:
            base = base.filter(year=query.year)
        if query.unit:
            base = base.filter(unit_id=query.unit)
        if query.state:
            base = base.filter(state=query.state)
        base = base.defer("haystack", "segmented").order_by("-dated", "-pk")
        # SQLite has no word index: its trigram table narrows the whole words' rows too.
        whole_base = base if connection.vendor == "postgresql" else _matching(base, terms)
        whole_parts.append(whole_base.filter(_whole_condition(words)))
        partial_parts.append(_matching(base, terms, rows_first=rows_first).filter(_whole_condition(words, negate=True)))

    # Each part's matches in order, as (date, id) up to the cap: what is counted is what is
    # paged, so a page never asks the database again for rows that may not be there (ordered
    # by date with a short LIMIT, PostgreSQL would walk the date index through the table).
    whole = _ranked(whole_parts, COUNT_CAP)
    partial = _ranked(partial_parts, COUNT_CAP - len(whole))
    result.count = len(whole) + len(partial)
    result.count_capped = result.count >= COUNT_CAP
    result.page = min(result.page, result.pages)
    start = (result.page - 1) * page_size
    shown = [(pk, True) for pk in whole] + [(pk, False) for pk in partial]
    shown = shown[start : start + page_size]
    docs = SearchDocument.objects.defer("haystack", "segmented").in_bulk([pk for pk, _whole in shown])
    result.hits = [_hit(docs[pk], is_whole, terms) for pk, is_whole in shown]
    return result


def _ranked(parts: list[QuerySet[SearchDocument]], cap: int) -> list[int]:
    """The ids of the parts' matches together, newest first, at most `cap`."""
    if cap <= 0:
        return []
    keys: list[tuple[Any, int]] = []
    for part in parts:
        keys.extend(part.values_list("dated", "pk")[:cap])
    if len(parts) > 1:
        # As the database orders "-dated": an undated row first (PostgreSQL puts NULL first).
        keys.sort(key=lambda k: (k[0] is None, k[0] or dt.date.min, k[1]), reverse=True)
    return [pk for _dated, pk in keys[:cap]]


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
