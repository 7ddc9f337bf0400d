"""2. Inbox and unit queue at scale: holders with 10, 1,000 and 100,000 open tasks (and the
clerks of their units) among 1,000,000 memos, through the Django test client in-process.

The data is generated in bulk (PostgreSQL: INSERT ... SELECT generate_series; SQLite:
executemany in large batches) by cloning one real process/task made by MemoFlow, so the
rows are what viewflow itself writes.
"""

from __future__ import annotations

import time
from typing import Any

from .common import Section, Target, make_official, make_posts, median, ms, p95

MEMOS = 1_000_000
SIZES = (10, 1_000, 100_000)
OTHER_OPEN = 100_000  # open tasks of other posts
CLOSED = 200_000  # done tasks (closed links), some of them of the measured posts
TARGET_MS = 150.0


def _plan() -> dict[str, int]:
    open_ours = sum(SIZES)
    return {"open_ours": open_ours, "tasks": open_ours + OTHER_OPEN + CLOSED}


def _template(drafter: Any, signing_post: Any) -> tuple[Any, Any]:
    """One memo sent through MemoFlow: its process and task rows are cloned below."""
    from memos import services
    from memos.reference import reference_memo_input
    from workflow import services as workflow_services
    from workflow.models import TaskLink

    data = reference_memo_input()
    data.signing_position_id = signing_post.pk
    memo = services.memo_create(user=drafter, data=data)
    workflow_services.memo_submit(memo=memo, user=drafter)
    task = TaskLink.objects.select_related("task__process").get(memo=memo, is_open=True).task
    return task.process, task


def _generate_postgres(ctx: dict[str, Any]) -> None:
    from django.db import connection, transaction

    plan = _plan()
    a, b, c = SIZES
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM memos_memo")
        m0 = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM viewflow_process")
        p0 = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM viewflow_task")
        t0 = cur.fetchone()[0]
        nt = plan["tasks"]
        posts = ctx["posts"]  # [PA, PB, PC]
        others = ctx["other_posts"]
        units = ctx["units"]
        params = {
            "m0": m0, "p0": p0, "t0": t0, "nt": nt, "memos": MEMOS, "a": a, "ab": a + b, "abc": a + b + c,
            "open_end": a + b + c + OTHER_OPEN, "pa": posts[0], "pb": posts[1], "pc": posts[2],
            "ua": ctx["owners"][0], "ub": ctx["owners"][1], "uc": ctx["owners"][2], "others": others,
            "units": units, "tpl_p": ctx["tpl_process"], "tpl_t": ctx["tpl_task"], "drafter": ctx["drafter"],
            "addressee": ctx["addressee"], "signer": ctx["signing_post"], "home": ctx["home_unit"],
        }  # fmt: skip
        cur.execute(
            """
            INSERT INTO viewflow_process (id, flow_class, status, created, finished, data)
            SELECT %(p0)s + g, t.flow_class, t.status, now() - make_interval(secs => g), NULL, t.data
            FROM viewflow_process t, generate_series(1, %(nt)s) g WHERE t.id = %(tpl_p)s
            """,
            params,
        )
        # Tasks 1..abc belong to the three measured posts; then other posts' open tasks; then
        # closed ones (a third of them on the measured posts, so closed rows are in the way).
        cur.execute(
            """
            INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created, token, process_id, data,
                                       owner_id, assigned, finished)
            SELECT %(t0)s + g, t.flow_task, t.flow_task_type,
                   CASE WHEN g <= %(open_end)s THEN t.status ELSE 'DONE' END,
                   now() - make_interval(secs => g), t.token, %(p0)s + g, t.data,
                   CASE WHEN g <= %(a)s THEN %(ua)s WHEN g <= %(ab)s THEN %(ub)s WHEN g <= %(abc)s THEN %(uc)s
                        ELSE NULL END,
                   CASE WHEN g <= %(abc)s THEN now() END,
                   CASE WHEN g > %(open_end)s THEN now() END
            FROM viewflow_task t, generate_series(1, %(nt)s) g WHERE t.id = %(tpl_t)s
            """,
            params,
        )
        cur.execute(
            """
            INSERT INTO memos_memo (id, phone, subject, urgency, secrecy, authority, state, number, dated,
                                    current_step, version, created_at, updated_at, decided_at, addressee_id,
                                    drafted_by_id, process_id, signing_position_id, unit_id, chain_seq,
                                    chain_head, last_document_version)
            SELECT %(m0)s + g, '', 'เรื่องทดสอบปริมาณงาน ลำดับที่ ' || g, g %% 4, CASE WHEN g %% 20 = 0 THEN 1 ELSE 0 END,
                   '', CASE WHEN g <= %(open_end)s THEN 'in_review' ELSE 'approved' END, 'กท ๙๐๐๐/' || g,
                   current_date, 0, 1, now() - make_interval(secs => g), now(), NULL, %(addressee)s, %(drafter)s,
                   CASE WHEN g <= %(nt)s THEN %(p0)s + g END, %(signer)s,
                   CASE WHEN g <= %(abc)s THEN %(home)s ELSE (%(units)s::bigint[])[1 + g %% cardinality(%(units)s::bigint[])] END,
                   0, '', 0
            FROM generate_series(1, %(memos)s) g
            """,
            params,
        )
        cur.execute(
            """
            INSERT INTO workflow_tasklink (task_id, kind, step, is_open, urgency, created_at, memo_id,
                                           secrecy, owner_id, position_id)
            SELECT %(t0)s + g, 'review', 0, g <= %(open_end)s, g %% 4, now() - make_interval(secs => g), %(m0)s + g,
                   CASE WHEN g %% 20 = 0 THEN 1 ELSE 0 END,
                   CASE WHEN g <= %(a)s THEN %(ua)s WHEN g <= %(ab)s THEN %(ub)s WHEN g <= %(abc)s THEN %(uc)s
                        ELSE NULL END,
                   CASE WHEN g <= %(a)s THEN %(pa)s WHEN g <= %(ab)s THEN %(pb)s WHEN g <= %(abc)s THEN %(pc)s
                        WHEN g > %(open_end)s AND g %% 3 = 0 THEN (ARRAY[%(pa)s, %(pb)s, %(pc)s])[1 + g %% 3 + (g / 3) %% 3]
                        ELSE (%(others)s::bigint[])[1 + g %% cardinality(%(others)s::bigint[])] END
            FROM generate_series(1, %(nt)s) g
            """,
            params,
        )
        # The office that books each task in, as workflow.flows.task_created records it.
        cur.execute(
            """
            UPDATE workflow_tasklink l SET registering_unit_id = COALESCE(p.receiving_unit_id, p.unit_id)
            FROM memos_position p WHERE p.id = l.position_id
            """
        )
        for table in ("memos_memo", "viewflow_process", "viewflow_task"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _generate_sqlite(ctx: dict[str, Any]) -> None:
    from django.db import connection, transaction

    plan = _plan()
    a, b, c = SIZES
    ab, abc, open_end, nt = a + b, a + b + c, a + b + c + OTHER_OPEN, plan["tasks"]
    posts, others, units = ctx["posts"], ctx["other_posts"], ctx["units"]
    owners = ctx["owners"]
    batch = 50_000
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM memos_memo")
        m0 = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM viewflow_process")
        p0 = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM viewflow_task")
        t0 = cur.fetchone()[0]
        cur.execute("SELECT flow_class, status, data FROM viewflow_process WHERE id = %s", [ctx["tpl_process"]])
        p_class, p_status, p_data = cur.fetchone()
        cur.execute("SELECT flow_task, flow_task_type, status, token, data FROM viewflow_task WHERE id = %s",
                    [ctx["tpl_task"]])  # fmt: skip
        f_task, f_type, t_status, token, t_data = cur.fetchone()
        cur.execute("SELECT datetime('now')")
        now = cur.fetchone()[0]

        def chunks(n: int, make: Any) -> Any:
            for start in range(1, n + 1, batch):
                yield [make(g) for g in range(start, min(n, start + batch - 1) + 1)]

        for rows in chunks(nt, lambda g: (p0 + g, p_class, p_status, now, p_data)):
            cur.executemany(
                "INSERT INTO viewflow_process (id, flow_class, status, created, data) VALUES (%s, %s, %s, %s, %s)", rows
            )

        def owner(g: int) -> Any:
            return owners[0] if g <= a else owners[1] if g <= ab else owners[2] if g <= abc else None

        for rows in chunks(nt, lambda g: (t0 + g, f_task, f_type, t_status if g <= open_end else "DONE", now, token,
                                          p0 + g, t_data, owner(g))):  # fmt: skip
            cur.executemany(
                "INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created, token, process_id, data,"
                " owner_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )

        def memo(g: int) -> tuple[Any, ...]:
            return (m0 + g, "", f"เรื่องทดสอบปริมาณงาน ลำดับที่ {g}", g % 4, 1 if g % 20 == 0 else 0, "",
                    "in_review" if g <= open_end else "approved", f"กท ๙๐๐๐/{g}", 0, 1, now, now,
                    ctx["addressee"], ctx["drafter"], p0 + g if g <= nt else None, ctx["signing_post"],
                    ctx["home_unit"] if g <= abc else units[g % len(units)])  # fmt: skip

        for rows in chunks(MEMOS, memo):
            cur.executemany(
                "INSERT INTO memos_memo (id, phone, subject, urgency, secrecy, authority, state, number, current_step,"
                " version, created_at, updated_at, addressee_id, drafted_by_id, process_id, signing_position_id,"
                " unit_id, chain_seq, chain_head, last_document_version)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, '', 0)",
                rows,
            )

        def position(g: int) -> int:
            if g <= a:
                return posts[0]
            if g <= ab:
                return posts[1]
            if g <= abc:
                return posts[2]
            if g > open_end and g % 3 == 0:
                return posts[(g % 3 + (g // 3) % 3) % 3]
            return others[g % len(others)]

        for rows in chunks(
            nt,
            lambda g: (
                t0 + g,
                "review",
                0,
                g <= open_end,
                g % 4,
                now,
                m0 + g,
                1 if g % 20 == 0 else 0,
                owner(g),
                position(g),
            ),
        ):
            cur.executemany(
                "INSERT INTO workflow_tasklink (task_id, kind, step, is_open, urgency, created_at, memo_id,"
                " secrecy, owner_id, position_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        cur.execute(
            "UPDATE workflow_tasklink SET registering_unit_id = (SELECT COALESCE(p.receiving_unit_id, p.unit_id)"
            " FROM memos_position p WHERE p.id = workflow_tasklink.position_id)"
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        lines = [r[0] for r in cur.fetchall()]
    return "\n".join(lines[:25])


def run(budget_s: float = 150.0) -> Section:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from directory.models import Capacity, Position, Unit, UnitKind

    started = time.monotonic()
    section = Section(2, "Inbox and unit queue at scale (1,000,000 memos)")
    bma = Unit.objects.get(key="bma")
    units, holders, clerks, posts = [], [], [], []
    for size in SIZES:
        unit = Unit.objects.create(key=f"b2-unit-{size}", name=f"หน่วยทดสอบกล่องงาน {size}", kind=UnitKind.OFFICE,
                                   parent=bma, doc_code="กท ๙๐๐๐")  # fmt: skip
        post = Position.objects.create(key=f"b2-post-{size}", title=f"ผู้อำนวยการหน่วยทดสอบ {size}", unit=unit)
        holders.append(make_official(f"b2-holder-{size}", unit.key, posts=[(post.key, Capacity.HOLDER)]))
        clerks.append(make_official(f"b2-clerk-{size}", unit.key, is_clerk=True))
        units.append(unit)
        posts.append(post)
    sign = make_posts("b2-sign", 1)[0]
    drafter = make_official("b2-drafter", "ops-hrd", posts=[(sign.key, Capacity.HOLDER)])
    process, task = _template(drafter, sign)
    directory_posts = list(
        Position.objects.exclude(key__startswith="b2-").exclude(key__startswith="b1-").values_list("pk", flat=True)
    )
    directory_units = list(Unit.objects.exclude(key__startswith="b2-").values_list("pk", flat=True))
    ctx = {
        "posts": [p.pk for p in posts], "other_posts": directory_posts, "units": directory_units,
        "owners": [u.pk for u in holders], "tpl_process": process.pk, "tpl_task": task.pk, "drafter": drafter.pk,
        "addressee": Position.objects.get(key="permanent-secretary").pk, "signing_post": sign.pk,
        "home_unit": Unit.objects.get(key="ops-hrd").pk,
    }  # fmt: skip
    t_gen = time.monotonic()
    (_generate_postgres if connection.vendor == "postgresql" else _generate_sqlite)(ctx)
    gen_s = time.monotonic() - t_gen
    print(f"  generated {MEMOS:,} memos, {_plan()['tasks']:,} tasks in {gen_s:.0f} s", flush=True)

    url = reverse("memos:inbox")
    clients = {}
    for size, holder, clerk in zip(SIZES, holders, clerks, strict=True):
        for role, user in (("holder inbox", holder), ("clerk unit queue", clerk)):
            client = Client()
            client.force_login(user)
            clients[(size, role)] = client

    info: dict[tuple[int, str], dict[str, Any]] = {}
    for key, client in clients.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"inbox for {key} answered {response.status_code}")
        info[key] = {"queries": len(captured.captured_queries), "bytes": len(response.content),
                     "sql": [q["sql"] for q in captured.captured_queries]}  # fmt: skip
        client.get(url)  # warm-up

    times: dict[tuple[int, str], list[float]] = {k: [] for k in clients}
    keys = list(clients)
    deadline = time.monotonic() + min(60.0, budget_s * 0.4)
    for i in range(40):
        order = keys if i % 2 == 0 else list(reversed(keys))
        for key in order:
            t0 = time.perf_counter()
            clients[key].get(url)
            times[key].append(time.perf_counter() - t0)
        if time.monotonic() > deadline and i >= 10:
            break

    # The last page at 100,000 (OFFSET pagination reads past every earlier row).
    big = SIZES[-1]
    last_page = -(-big // 50)
    deep: list[float] = []
    for _ in range(10):
        t0 = time.perf_counter()
        response = clients[(big, "holder inbox")].get(url, {"page": last_page})
        deep.append(time.perf_counter() - t0)

    section.headers = ["open tasks", "page", "SQL queries", "median ms", "p95 ms", "page KB", "runs"]
    for key in keys:
        size, role = key
        section.rows.append([f"{size:,}", role, str(info[key]["queries"]), ms(median(times[key])),
                             ms(p95(times[key])), f"{info[key]['bytes'] / 1024:.0f}", str(len(times[key]))])  # fmt: skip
    section.rows.append([f"{big:,}", f"holder inbox, last page ({last_page})", "", ms(median(deep)), ms(p95(deep)),
                         f"{len(response.content) / 1024:.0f}", str(len(deep))])  # fmt: skip
    constant = all(
        len({info[(s, role)]["queries"] for s in SIZES}) == 1 for role in ("holder inbox", "clerk unit queue")
    )
    section.notes.append(
        f"Data: {MEMOS:,} memos, {_plan()['tasks']:,} viewflow tasks with their links ({sum(SIZES):,} open on the "
        f"three measured posts, {OTHER_OPEN:,} open on {len(directory_posts)} other posts, {CLOSED:,} closed), "
        f"generated in {gen_s:.0f} s by cloning a real MemoFlow process/task. Each measured user is the holder of "
        "the post, or the clerk of its unit (whose page shows the unit queue). GET /memos/inbox/ through the "
        "test client in-process (middleware, session, template rendering included), sizes interleaved."
    )
    section.targets.append(Target("SQL queries constant in the number of tasks", constant,
                                  ", ".join(f"{k[1]} {k[0]:,}: {v['queries']}" for k, v in info.items())))  # fmt: skip
    big_median = median(times[(big, "holder inbox")]) * 1000
    queue_median = median(times[(big, "clerk unit queue")]) * 1000
    if connection.vendor == "postgresql":
        section.targets.append(Target(f"inbox < {TARGET_MS:.0f} ms median at 100,000 (PostgreSQL)",
                                      big_median < TARGET_MS and queue_median < TARGET_MS,
                                      f"holder {big_median:.0f} ms, clerk queue {queue_median:.0f} ms"))  # fmt: skip
        for key in ((big, "holder inbox"), (big, "clerk unit queue")):
            wanted = "receiving_unit_id" if key[1] == "clerk unit queue" else "owner_id"
            for sql in [s for s in info[key]["sql"] if "workflow_tasklink" in s and wanted in s]:
                kind = "count" if "COUNT(" in sql.upper() else "page"
                section.extra.append(
                    f"EXPLAIN ANALYZE, {key[1]} at {key[0]:,} ({kind} query):\n\n```\n{_explain(sql)}\n```"
                )
    else:
        section.targets.append(Target(f"inbox < {TARGET_MS:.0f} ms median at 100,000 (PostgreSQL)", None,
                                      f"SQLite run: holder {big_median:.0f} ms"))  # fmt: skip
    section.seconds = time.monotonic() - started
    return section
