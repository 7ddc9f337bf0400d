"""9. Mixed read/write HTTP load of 50 users on the production recipe (tools/prod_recipe.py:
gunicorn 2 workers × 4 threads, 2 Celery workers and beat, PostgreSQL, Redis, DEBUG off,
static files by whitenoise).

The 50 users, each a thread with its own session and keep-alive connection, for DURATION_S:

- 30 officials in a signing chain (as in benchmark 6): each opens the inbox, the first task,
  signs / writes a note and forwards / decides, then opens the memo page; every few rounds
  the list of their own memos;
- 20 clerks who draft: the new-memo form, save (POST), send for signature (POST), the memo
  page, the list of their memos, the inbox, the incoming circulars, the send register.

Between two requests a user thinks for THINK_S (uniform); the load is closed-loop. Measured:
errors (any 4xx/5xx, a refused connection, a POST that does not redirect), median and p95
per page, and the slowest pages.

    .venv/bin/python bench/b9_load.py [--duration 60]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "tools"))
sys.path.insert(0, str(BASE_DIR))

from prod_recipe import Recipe, running_recipe, services_answer  # noqa: E402
from prod_smoke import Browser, form_fields  # noqa: E402

DATABASE_URL = os.environ.get("B9_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saraban_bench_load")
REDIS_URL = os.environ.get("B9_REDIS_URL", "redis://127.0.0.1:6379/11")
OFFICIALS = 30
CLERKS = 20
MEMOS_PER_OFFICIAL = 6
DURATION_S = 60.0
THINK_S = (0.5, 1.5)
NOTE = "เพื่อโปรดพิจารณา เห็นควรอนุมัติตามเสนอ"
TASK_LINK = re.compile(r'href="(/[^"]*?/execute/)"')

SETUP = r"""
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from bench.common import make_official, make_posts
from directory.models import Capacity
from memos import services
from memos.reference import reference_memo_input
from workflow import services as workflow_services

def cookie(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

posts = make_posts("b9-post", {officials})
officials = [make_official(f"b9-official-{{i}}", "ops-hrd", posts=[(p.key, Capacity.HOLDER)]) for i, p in enumerate(posts)]
template = reference_memo_input()
for i, user in enumerate(officials):
    route = [posts[(i + 1) % {officials}], posts[(i + 2) % {officials}]]
    template.signing_position_id = posts[i].pk
    template.route_position_ids = [p.pk for p in route]
    template.addressee_id = route[-1].pk
    for _ in range({memos}):
        memo = services.memo_create(user=user, data=template)
        workflow_services.memo_submit(memo=memo, user=user)
clerks = [make_official(f"b9-clerk-{{i}}", "ops-hrd", is_clerk=True) for i in range({clerks})]
print("SESSIONS " + json.dumps({{"name": settings.SESSION_COOKIE_NAME,
      "officials": [cookie(u) for u in officials], "clerks": [cookie(u) for u in clerks]}}))
"""

CLERK_FORM = {
    "h-subject": "ขออนุมัติจัดฝึกอบรมหลักสูตรการเขียนหนังสือราชการ",
    "s-0-items": "สถาบันฯ มีแผนจัดฝึกอบรมหลักสูตรการเขียนหนังสือราชการ",
    "s-1-intro": "สถาบันฯ ได้ดำเนินการ ดังนี้",
    "s-1-items": "จัดทำโครงการและประมาณการค่าใช้จ่าย",
    "s-2-intro": "สถาบันฯ พิจารณาแล้ว เห็นควรดำเนินการ ดังนี้",
    "p-0-text": "อนุมัติโครงการฝึกอบรมหลักสูตรการเขียนหนังสือราชการ",
    "p-0-ask": "approve",
}


class User(threading.Thread):
    def __init__(self, role: str, browser: Browser, deadline: float, log: list[tuple[str, int, float]], seed: int):
        super().__init__(daemon=True)
        self.role, self.browser, self.deadline, self.log = role, browser, deadline, log
        self.rng = random.Random(seed)
        self.errors: list[str] = []

    def hit(self, page: str, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        time.sleep(self.rng.uniform(*THINK_S))
        t0 = time.perf_counter()
        try:
            status, headers, data = self.browser.request(method, path, form)
        except Exception as exc:  # a refused or dropped connection is an error the user sees
            self.log.append((page, 0, time.perf_counter() - t0))
            self.errors.append(f"{page}: {type(exc).__name__}: {exc}")
            return 0, "", ""
        self.log.append((page, status, time.perf_counter() - t0))
        if status >= 400 or (method == "POST" and status != 302):
            self.errors.append(f"{page} {method} {path}: HTTP {status}")
        return status, data.decode("utf-8", errors="replace"), headers.get("location", "")

    def official_round(self, n: int) -> None:
        status, page, _ = self.hit("inbox", "GET", "/memos/inbox/")
        links = TASK_LINK.findall(page) if status == 200 else []
        if links:
            status, form, _ = self.hit("task page", "GET", links[0])
            if status == 200:
                if 'name="ruling_1"' in form:
                    count = len(set(re.findall(r'name="ruling_(\d+)"', form)))
                    body, kind = (
                        {"action": "decide", **{f"ruling_{i}": "approve" for i in range(1, count + 1)}},
                        "decide",
                    )
                elif 'name="note"' in form:
                    body, kind = {"action": "forward", "note": NOTE}, "forward"
                else:
                    body, kind = {"action": "sign"}, "sign"
                status, _, location = self.hit(f"{kind} POST", "POST", links[0], body)
                if status == 302 and location:
                    self.hit("memo page", "GET", location.split("?")[0].replace("http://127.0.0.1", ""))
        if n % 3 == 2:
            self.hit("my memos", "GET", "/memos/memos/")

    def clerk_round(self, n: int) -> None:
        status, page, _ = self.hit("new memo form", "GET", "/memos/memos/new/")
        if status == 200:
            fields = form_fields(page, "memo-form") | CLERK_FORM
            status, _, location = self.hit("save draft POST", "POST", "/memos/memos/new/", fields)
            match = re.search(r"/memos/memos/(\d+)/", location)
            if status == 302 and match:
                memo = match.group(1)
                self.hit("submit POST", "POST", f"/memos/memos/{memo}/submit/", {})
                self.hit("memo page", "GET", f"/memos/memos/{memo}/")
        self.hit("my memos", "GET", "/memos/memos/")
        self.hit("inbox", "GET", "/memos/inbox/")
        if n % 2 == 1:
            self.hit("incoming circulars", "GET", "/memos/directives/incoming/")
            # Registers are the clerks' (an official gets 404).
            self.hit("send register", "GET", "/memos/registers/send/2569/")

    def run(self) -> None:
        n = 0
        while time.monotonic() < self.deadline:
            (self.official_round if self.role == "official" else self.clerk_round)(n)
            n += 1
        self.browser.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]


def load(recipe: Recipe, duration: float) -> dict[str, Any]:
    sessions = json.loads(
        next(
            line[9:]
            for line in recipe.manage(
                "shell", "-c", SETUP.format(officials=OFFICIALS, clerks=CLERKS, memos=MEMOS_PER_OFFICIAL)
            ).splitlines()
            if line.startswith("SESSIONS ")
        )
    )
    log: list[tuple[str, int, float]] = []
    deadline = time.monotonic() + duration
    users = []
    for i, key in enumerate(sessions["officials"]):
        browser = Browser(recipe.base_url, f"official {i}")
        browser.cookies[sessions["name"]] = key
        users.append(User("official", browser, deadline, log, seed=i))
    for i, key in enumerate(sessions["clerks"]):
        browser = Browser(recipe.base_url, f"clerk {i}")
        browser.cookies[sessions["name"]] = key
        browser.cookies["csrftoken"] = "b9" + "x" * 30
        users.append(User("clerk", browser, deadline, log, seed=1000 + i))
    for user in users:
        user.browser.cookies.setdefault("csrftoken", "b9" + "x" * 30)
    t0 = time.monotonic()
    for user in users:
        user.start()
    for user in users:
        user.join(timeout=duration + 120)
    wall = time.monotonic() - t0
    pages: dict[str, list[float]] = defaultdict(list)
    for page, _status, elapsed in log:
        pages[page].append(elapsed)
    rows = sorted(
        (
            {"page": page, "count": len(v), "p50_ms": percentile(v, 0.5) * 1000, "p95_ms": percentile(v, 0.95) * 1000}
            for page, v in pages.items()
        ),
        key=lambda r: -r["p95_ms"],
    )
    errors = [e for u in users for e in u.errors]
    every = [e for _p, _s, e in log]
    return {
        "requests": len(log),
        "wall_s": wall,
        "req_per_s": len(log) / wall,
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:10],
        "p50_ms": percentile(every, 0.5) * 1000,
        "p95_ms": percentile(every, 0.95) * 1000,
        "pages": rows,
    }


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"{result['requests']} requests in {result['wall_s']:.0f} s ({result['req_per_s']:.1f}/s), "
        f"{result['errors']} errors; all requests p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms.",
        "",
        "| page (slowest p95 first) | requests | p50 ms | p95 ms |",
        "|---|---|---|---|",
    ]
    for r in result["pages"]:
        lines.append(f"| {r['page']} | {r['count']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} |")
    if result["error_samples"]:
        lines += ["", "Errors: " + "; ".join(result["error_samples"])]
    return "\n".join(lines)


def run_load(duration: float, var_dir: Path) -> dict[str, Any]:
    with running_recipe(var_dir=var_dir, database_url=DATABASE_URL, redis_url=REDIS_URL) as recipe:
        return load(recipe, duration)


def run() -> Any:
    from bench.common import BENCH_VAR, Section, Target

    started = time.monotonic()
    section = Section(9, f"Mixed HTTP load of {OFFICIALS + CLERKS} users on the production recipe")
    why = services_answer(DATABASE_URL, REDIS_URL)
    if why:
        section.targets.append(Target("HTTP load", None, why))
        return section
    result = run_load(DURATION_S, BENCH_VAR / "b9")
    section.extra.append(markdown(result))
    section.targets.append(Target("0 errors", result["errors"] == 0, f"{result['errors']} in {result['requests']}"))
    section.seconds = time.monotonic() - started
    return section


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=DURATION_S)
    parser.add_argument("--dir", default=str(BASE_DIR / "var" / "bench" / "b9"))
    args = parser.parse_args()
    why = services_answer(DATABASE_URL, REDIS_URL)
    if why:
        print(f"b9: skipped: {why}")
        return 0
    result = run_load(args.duration, Path(args.dir))
    print(markdown(result))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
