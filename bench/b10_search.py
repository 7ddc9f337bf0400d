"""10. Search at scale, on PostgreSQL: query time (p50, p95) for a document number, a common
Thai word and a rare word, as a unit's clerk and as an administrator, among N memos whose index
rows carry about 1.5 KB of attachments' text each; and how fast the index is built.

The memos and their index rows are generated in bulk SQL (INSERT ... SELECT generate_series),
not through the services: the text is drawn from a Thai vocabulary with a skewed frequency
(a few words in nearly every document, most words rare), the segmented column holds the same
words separated by spaces, as search.text.segment writes it. The index build is measured
separately, through search.indexer.rebuild on memos made by the services' own shape.

    BENCH_DB_NAME=saraban_search DATABASE_URL=postgres://postgres@127.0.0.1:5432/x \\
        .venv/bin/python -m bench.b10_search --memos 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    BENCH_DIR,
    machine_description,
    make_official,
    markdown_table,
    median,
    p95,
    prepare_environment,
    setup_django,
)

TARGET_P50_MS = 200.0
ROUNDS = 15
RARE_EVERY = 20_000  # the rare word is in one document of this many
WORDS_PER_DOC = 220  # about 1.5 KB of Thai text
CHUNK = 100_000
TEXT_INDEXES = ("search_haystack_trgm", "search_segmented_tsv")


def _vocabulary() -> list[str]:
    from pythainlp.corpus import thai_words

    words = sorted(w for w in thai_words() if 2 <= len(w) <= 8 and " " not in w)
    rng = random.Random(10)
    picked = rng.sample(words, 3000)
    # The most frequent words first: each of a document's words is drawn independently at
    # index floor(n * r^4), so the first few are in nearly every document and the tail is
    # rare. The common word searched for sits at rank COMMON_RANK: a whole word in about one
    # document in five (and inside the subject "ขออนุมัติโครงการ" of another fifth).
    top = ["การ", "ราชการ", "กรุงเทพมหานคร", "ดำเนินการ", "ฝึกอบรม", "งบประมาณ", "หน่วยงาน"]
    rest = [w for w in picked if w not in top and w not in (COMMON, RARE)]
    vocab = top + rest
    vocab.insert(COMMON_RANK, COMMON)
    return vocab


RARE = "ซ่อมแซมหลังคา"
COMMON = "โครงการ"
COMMON_RANK = 110


def _generate(n: int, clerk_unit: int) -> dict[str, Any]:
    from django.db import connection

    from memos import services
    from memos.models import Memo
    from memos.reference import reference_memo_input

    vocab = _vocabulary()
    timings: dict[str, Any] = {}
    template = services.memo_create(user=_generate.clerk, data=reference_memo_input())  # type: ignore[attr-defined]
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM memos_unit ORDER BY id")
        units = [r[0] for r in cur.fetchall()]
        cols = [f.column for f in Memo._meta.concrete_fields if f.column != "id"]
        override = {
            "subject": "'ขออนุมัติ' || (ARRAY['โครงการ','ฝึกอบรม','จัดซื้อ','ประชุม','เดินทาง'])[1 + g %% 5] || ' รุ่นที่ ' || g",
            "number": "'กท ' || lpad(((g %% 90) + 10)::text, 4, '0') || '/' || g",
            "unit_id": f"(ARRAY{units})[1 + g %% {len(units)}]",
            "secrecy": "CASE WHEN g %% 50 = 0 THEN 1 ELSE 0 END",
            "dated": "date '2026-11-30' - (g %% 3650)",
            "created_at": "timestamptz '2026-11-30' - (g %% 3650) * interval '1 day'",
            "updated_at": "timestamptz '2026-11-30' - (g %% 3650) * interval '1 day'",
            "process_id": "NULL",
            # Drafted by someone else: the clerk sees the memos of the unit, not every memo.
            "drafted_by_id": str(_generate.drafter.pk),  # type: ignore[attr-defined]
            "state": "(ARRAY['draft','in_review','approved','not_approved'])[1 + g %% 4]",
        }
        select = ", ".join(override.get(c, f"m0.{c}") for c in cols)
        t = time.perf_counter()
        cur.execute(
            f"INSERT INTO memos_memo ({', '.join(cols)}) SELECT {select} "  # noqa: S608 - bench SQL, no input
            f"FROM memos_memo m0 CROSS JOIN generate_series(1, %s) g WHERE m0.id = %s",
            [n, template.pk],
        )
        timings["memos inserted (s)"] = time.perf_counter() - t
        # The text indexes are built once after the rows are in (as a restore would), not
        # row by row: at 1,000,000 rows that is the difference between minutes and an hour.
        cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(TEXT_INDEXES)])
        definitions = [r[0] for r in cur.fetchall()]
        cur.execute("DROP INDEX IF EXISTS " + ", ".join(TEXT_INDEXES))
        cur.execute("SELECT min(id), max(id) FROM memos_memo WHERE id <> %s", [template.pk])
        low, high = cur.fetchone()
        t = time.perf_counter()
        for start in range(low, high + 1, CHUNK):
            cur.execute(
                f"""
                WITH docs AS (
                  SELECT m.id, m.subject, m.number, m.unit_id, m.state, m.secrecy, m.dated, m.updated_at,
                         -- random() in the select list: drawn again for every word (as a
                         -- join condition PostgreSQL drew it once per document).
                         ARRAY(SELECT (%s::text[])[1 + floor({len(vocab)} * power(random(), 4))::int]
                               FROM generate_series(1, {WORDS_PER_DOC}) k WHERE m.id > 0)
                         || CASE WHEN m.id %% {RARE_EVERY} = 7 THEN ARRAY['{RARE}'] ELSE ARRAY[]::text[] END AS ws
                  FROM memos_memo m WHERE m.id <> %s AND m.id BETWEEN %s AND %s
                )
                INSERT INTO search_searchdocument (kind, object_id, number, number_key, subject, people, content,
                  haystack, segmented, year, unit_id, unit_name, state, state_label, secrecy, dated,
                  source_updated_at, source_seq, indexed_at)
                SELECT 'memo', d.id, d.number, replace(d.number, ' ', ''), d.subject, u.name,
                       array_to_string(d.ws, ''),
                       replace(d.number, ' ', '') || ' ' || d.number || ' ' || d.subject || ' ' || u.name || ' '
                         || array_to_string(d.ws, ''),
                       ' ' || replace(d.number, ' ', ' ') || ' ' || d.subject || ' ' || array_to_string(d.ws, ' ') || ' ',
                       extract(year from d.dated)::int + 543, d.unit_id, u.name, d.state, d.state, d.secrecy, d.dated,
                       d.updated_at, 0, now()
                FROM docs d JOIN memos_unit u ON u.id = d.unit_id
                """,  # noqa: S608 - bench SQL, no input
                [vocab, template.pk, start, start + CHUNK - 1],
            )
            print(f"  index rows to id {min(start + CHUNK - 1, high):,}: {time.perf_counter() - t:.0f} s", flush=True)
        timings["index rows inserted (s)"] = time.perf_counter() - t
        t = time.perf_counter()
        cur.execute("SET maintenance_work_mem = '1GB'")
        for definition in definitions:
            cur.execute(definition)
        timings["text indexes built (s)"] = time.perf_counter() - t
        t = time.perf_counter()
        cur.execute("ANALYZE memos_memo; ANALYZE search_searchdocument")
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument'))")
        timings["index table size"] = cur.fetchone()[0]
        timings["analyze (s)"] = time.perf_counter() - t
    return timings


def _measure(user: Any, q: str, rounds: int) -> tuple[float, float, int]:
    from search.selectors import SearchQuery, search

    times = []
    count = 0
    for _ in range(rounds):
        t = time.perf_counter()
        page = search(user=user, query=SearchQuery(q=q))
        count = page.count
        times.append(time.perf_counter() - t)
    return median(times) * 1000, p95(times) * 1000, count


def _build_throughput(clerk: Any, count: int) -> tuple[float, float]:
    """Documents indexed per second by search.indexer.rebuild on memos with the reference
    memo's sections, proposals and events and a 1.5 KB attachment text (.docx)."""
    import io

    import docx
    from django.core.files.base import ContentFile

    from memos import services
    from memos.models import Attachment
    from memos.reference import reference_memo_input
    from search.indexer import rebuild
    from search.models import SearchDocument

    vocab = _vocabulary()
    rng = random.Random(3)
    made = []
    for _ in range(count):
        memo = services.memo_create(user=clerk, data=reference_memo_input())
        document = docx.Document()
        document.add_paragraph("".join(rng.choice(vocab[:400]) for _ in range(WORDS_PER_DOC)))
        buffer = io.BytesIO()
        document.save(buffer)
        Attachment.objects.create(
            memo=memo, title="เอกสารแนบ", file=ContentFile(buffer.getvalue(), name="a.docx"), size=1, uploaded_by=clerk
        )
        made.append(memo.pk)
    SearchDocument.objects.filter(kind="memo", object_id__in=made).delete()
    from memos.models import Memo

    # Only these memos: rebuild() walks every memo, so time the same code on a queryset of them.
    from search import sources

    src = sources.source("memo")
    original = src.objects
    src.objects = lambda: original().filter(pk__in=made)  # type: ignore[method-assign]
    from search.text import segment

    segment("อุ่นเครื่อง")  # the dictionary loads once per process, as in a worker
    try:
        t = time.perf_counter()
        done = rebuild(["memo"])["memo"]
        elapsed = time.perf_counter() - t
    finally:
        src.objects = original  # type: ignore[method-assign]
    assert Memo.objects.filter(pk__in=made).count() == done
    return done / elapsed, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memos", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--build", type=int, default=200, help="memos indexed through rebuild() for throughput")
    parser.add_argument("--write", default="", help="results file under bench/results/")
    parser.add_argument(
        "--reuse", action="store_true", help="measure on the memos a previous run generated (same --memos), if there"
    )
    args = parser.parse_args()
    out: list[str] = []
    for n in [args.memos]:
        prepare_environment(keep=args.reuse)
        setup_django()
        from django.contrib.auth import get_user_model
        from django.db import connection

        from search.models import SearchDocument

        assert connection.vendor == "postgresql", "bench 10 runs on PostgreSQL"
        users = get_user_model().objects
        if args.reuse and SearchDocument.objects.filter(kind="memo").count() >= n:
            clerk = users.get(username=f"search-clerk-{n}")
            admin = users.get(username=f"search-admin-{n}")
            timings: dict[str, Any] = {"generation": "reused from a previous run"}
        elif args.reuse and SearchDocument.objects.exists():
            raise SystemExit("bench 10: the kept database holds another run's memos; run once without --reuse")
        else:
            clerk = make_official(f"search-clerk-{n}", "ops-hrd", is_clerk=True)
            admin = users.create_superuser(f"search-admin-{n}", "a@bench.example.go.th", "pw")
            _generate.clerk = clerk  # type: ignore[attr-defined]
            _generate.drafter = make_official(f"search-drafter-{n}", "ops-secretariat")  # type: ignore[attr-defined]
            timings = _generate(n, clerk.official.unit_id)
        number = f"กท 00{10 + 12345 % 90}/12345"
        queries = [("เลขที่หนังสือ", number), ("คำที่พบบ่อย", COMMON), ("คำที่พบน้อย", RARE)]
        rows = []
        for who, user in (("เจ้าหน้าที่สารบรรณ (clerk)", clerk), ("ผู้ดูแลระบบ (admin)", admin)):
            for label, q in queries:
                _measure(user, q, 2)  # warm the cache and the plan
                p50, p95_, count = _measure(user, q, args.rounds)
                rows.append(
                    [
                        f"{n:,}",
                        who,
                        f"{label}: `{q}`",
                        f"{count:,}",
                        f"{p50:.1f}",
                        f"{p95_:.1f}",
                        "met" if p50 < TARGET_P50_MS else "not met",
                    ]
                )
        per_s, elapsed = _build_throughput(clerk, args.build) if args.build else (0.0, 0.0)
        table = markdown_table(
            ["memos", "as", "query", "found (cap 1,000)", "p50 ms", "p95 ms", f"p50 < {TARGET_P50_MS:.0f} ms"], rows
        )
        out.append(f"### {n:,} memos\n\n{table}\n")
        out.append(
            "Generation: "
            + ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in timings.items())
            + f".\n\nIndex build through `search.indexer.rebuild` (reference memo + 1.5 KB .docx each, "
            f"PyThaiNLP newmm, one process): {args.build} memos in {elapsed:.1f} s = **{per_s:.0f} memos/s**.\n"
        )
        print(out[-2])
        print(out[-1])
    if args.write:
        machine = markdown_table(["", ""], machine_description())
        path = BENCH_DIR / "results" / args.write
        head = "" if path.exists() else "# Search benchmark (bench/b10_search.py)\n\n"
        with path.open("a") as handle:
            handle.write(
                head
                + f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {args.rounds} rounds per query after 2 warm-up rounds.\n\n"
                + "\n".join(out)
                + "\n#### Machine\n\n"
                + machine
                + "\n\n"
            )
        print(f"written {path}")


if __name__ == "__main__":
    main()
