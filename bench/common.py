"""What every benchmark shares: the separate bench database, the people, timing and tables.

Import order matters: `prepare_environment()` must run before Django is set up, because it
decides which database and which settings the whole run (and every subprocess) uses.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "bench"
BENCH_VAR = BASE_DIR / "var" / "bench"
# Overridable so that two people sharing a PostgreSQL server do not drop each other's run.
BENCH_DB_NAME = os.environ.get("BENCH_DB_NAME", "saraban_bench")
# SQLite: the settings' own SQLite database under VAR_DIR (no DATABASE_URL), so the run has
# the production SQLite options (IMMEDIATE transactions, WAL, busy timeout), which a
# DATABASE_URL of sqlite:// does not carry.
BENCH_SQLITE = BENCH_VAR / "var" / "db.sqlite3"
# A Redis database of its own, so nothing published here reaches a development worker.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
APPOINTED_FROM = dt.date(2020, 10, 1)


# --- Environment and database --------------------------------------------------------------


def bench_database_url() -> str:
    """The bench database: `saraban_bench` on the PostgreSQL server DATABASE_URL names (its
    database name is replaced, so the development database is never touched), or a SQLite
    file under var/bench/ when DATABASE_URL is not set (or names SQLite)."""
    raw = os.environ.get("DATABASE_URL", "")
    if raw.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(raw)
        return urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB_NAME}", parts.query, ""))
    if raw and not raw.startswith("sqlite"):
        raise SystemExit(f"bench: DATABASE_URL must be PostgreSQL or SQLite, got {raw.split(':')[0]}")
    return f"sqlite:///{BENCH_SQLITE}"


def _recreate_postgres(url: str, *, keep: bool = False) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        if keep:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB_NAME]).fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB_NAME)))
            return
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [BENCH_DB_NAME],
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(BENCH_DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB_NAME)))


def prepare_environment(*, keep: bool = False) -> str:
    """Point this process (and the servers and workers it starts) at a fresh bench database
    and production-like settings (`keep`: the PostgreSQL database a previous run generated,
    as it is). Returns the DATABASE_URL in force."""
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    url = bench_database_url()
    if url.startswith("sqlite"):
        BENCH_SQLITE.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(BENCH_SQLITE) + suffix).unlink(missing_ok=True)
        os.environ.pop("DATABASE_URL", None)
    else:
        _recreate_postgres(url, keep=keep)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **({} if url.startswith("sqlite") else {"DATABASE_URL": url}),
            # Production-like: no debug toolbar of queries kept per request, real templates.
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-key-not-secret-" + "x" * 40,
            # DEBUG off needs the audit chain's key (settings refuse to start without it); the
            # gunicorn server (6) and the numbering processes (5) inherit it, so every chain
            # written in the run verifies with it.
            "AUDIT_HMAC_KEY": os.environ.get("AUDIT_HMAC_KEY") or "bench-only-audit-key-not-secret-" + "y" * 32,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "VAR_DIR": str(BENCH_VAR / "var"),
            # In this process, after-commit hand-offs go to an in-memory broker: the broker is
            # measured where it matters (fan-out with real workers, HTTP load on Redis).
            "CELERY_BROKER_URL": "memory://localhost/",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
    )
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    return url


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from directory.loader import load_bma_directory

    load_bma_directory()


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def is_postgres() -> bool:
    return vendor() == "postgresql"


# --- People ----------------------------------------------------------------------------------


def make_official(
    username: str,
    unit_key: str,
    *,
    is_clerk: bool = False,
    posts: Sequence[tuple[str, str]] = (),
    first: str = "ทดสอบ",
    last: str = "สมรรถนะ",
) -> Any:
    """A login with an official and appointments, as tests/conftest.py makes them."""
    from django.contrib.auth import get_user_model

    from directory.models import Official, Position, Unit
    from directory.services import appointment_create

    user = get_user_model().objects.create_user(username, f"{username}@bench.example.go.th", "pw-" + username)
    official = Official.objects.create(
        user=user,
        prefix="นาย",
        first_name=first,
        last_name=last,
        unit=Unit.objects.get(key=unit_key),
        is_clerk=is_clerk,
    )
    for key, capacity in posts:
        appointment_create(
            official=official, position=Position.objects.get(key=key), capacity=capacity, valid_from=APPOINTED_FROM
        )
    return user


def make_posts(prefix: str, count: int, unit_key: str = "ops-hrd") -> list[Any]:
    """`count` new posts in a unit, in bulk."""
    from directory.models import Position, Unit

    unit = Unit.objects.get(key=unit_key)
    Position.objects.bulk_create(
        Position(key=f"{prefix}-{i}", title=f"ตำแหน่งทดสอบ {prefix} {i}", unit=unit, sort_order=90_000 + i)
        for i in range(count)
    )
    by_key = {p.key: p for p in Position.objects.filter(key__startswith=f"{prefix}-")}
    return [by_key[f"{prefix}-{i}"] for i in range(count)]


# --- Timing and statistics -------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(0.95 * len(ordered))) - 1))]


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def interleave(
    sides: dict[str, Callable[[int], Any]], *, rounds: int, budget_s: float, warmup: int = 3
) -> dict[str, list[float]]:
    """Run each side once per round, alternating which goes first, for at most `rounds`
    rounds or `budget_s` seconds; return each side's timings (warm-up rounds dropped)."""
    names = list(sides)
    times: dict[str, list[float]] = {name: [] for name in names}
    deadline = time.monotonic() + budget_s
    for i in range(rounds + warmup):
        order = names if i % 2 == 0 else list(reversed(names))
        for name in order:
            start = time.perf_counter()
            sides[name](i)
            elapsed = time.perf_counter() - start
            if i >= warmup:
                times[name].append(elapsed)
        if time.monotonic() > deadline and i >= warmup + 5:
            break
    return times


# --- Results ---------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    met: bool | None  # None: not measured here (skipped), with the reason in `detail`
    detail: str

    @property
    def mark(self) -> str:
        return {True: "met", False: "NOT met", None: "skipped"}[self.met]


@dataclass
class Section:
    number: int
    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # further markdown blocks (profiles, plans)
    seconds: float = 0.0

    def table(self) -> str:
        return markdown_table(self.headers, self.rows)


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    rows = [list(map(str, r)) for r in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join([line, rule, *body])


def machine_description() -> list[tuple[str, str]]:
    from django import get_version
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]} (127.0.0.1, database {connection.settings_dict['NAME']})"
        else:
            cursor.execute("select sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True, check=False
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                "memos",
                "workflow",
                "documents",
                "directives",
            ],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if dirty:
            commit += " (plus uncommitted changes in the app code)"
    except OSError:
        commit = "unknown"
    return [
        ("CPU", cpu),
        ("cores", str(os.cpu_count())),
        ("memory", mem),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Django", get_version()),
        ("database", db),
        ("code", commit),
    ]
