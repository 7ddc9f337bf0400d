"""7. Fault trial: a Celery worker killed with SIGKILL in the middle of a circular's e-mail
fan-out, on the production recipe (PostgreSQL, Redis, 2 workers, beat; tools/prod_recipe.py),
against a local SMTP server that counts messages by Message-ID.

Each trial: the acting director of the institute signs a circular to the 87 units of the ten
reference groups (each unit's clerk and official mailbox: 2 e-mails a unit); once between
10 % and 70 % of its e-mails have reached the SMTP server, one of the two workers (chosen at
random) is killed with `kill -9` together with its pool processes, and started again at once,
as systemd's Restart=always would. Measured per trial: the time from the commit until every
notification has reached the server and its row is marked sent; duplicates, i.e. a
notification received twice, told apart by whether the second copy carries the same
Message-ID (the receiving side recognises it and drops it) or a new one (a real duplicate).

    .venv/bin/python bench/b7_fault.py [--trials 10]       # or `bench/run_all.py --only 7`

Needs PostgreSQL and Redis (B7_DATABASE_URL, default saraban_bench_fault on 127.0.0.1;
B7_REDIS_URL, default redis://127.0.0.1:6379/12).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "tools"))
sys.path.insert(0, str(BASE_DIR))

from prod_recipe import Recipe, running_recipe, services_answer, wait_for  # noqa: E402

DATABASE_URL = os.environ.get("B7_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saraban_bench_fault")
REDIS_URL = os.environ.get("B7_REDIS_URL", "redis://127.0.0.1:6379/12")
TRIALS = 10
DELIVERY_TARGET_S = 120.0
DELIVERY_TIMEOUT_S = 300.0
# As docs/deploy.md: --concurrency = the 2 cores, so a kill takes two deliveries in flight.
WORKER_CONCURRENCY = 2
# How often each worker has been started (its log shows one "ready." per start).
STARTS: dict[str, int] = {}
MESSAGE_ID = re.compile(r"<notification\.(\d+)\.")

# Run in the recipe's environment (manage.py shell): one clerk with an address per recipient
# unit of the reference groups, and each unit's official mailbox.
SETUP = r"""
from django.contrib.auth import get_user_model
from directory.models import Official, RecipientGroup, Unit
from directory.selectors import recipient_group_units
issuer = Unit.objects.get(key="ops-hrd")
units = recipient_group_units(groups=RecipientGroup.objects.all(), exclude_unit=issuer)
User = get_user_model()
for unit in units:
    if not unit.mailbox:
        Unit.objects.filter(pk=unit.pk).update(mailbox=f"saraban-{unit.pk}@units.example.go.th")
    if not Official.objects.filter(unit=unit, is_clerk=True).exists():
        user = User.objects.create_user(f"clerk-{unit.pk}", f"clerk-{unit.pk}@units.example.go.th", None)
        Official.objects.create(user=user, prefix="นาย", first_name="สารบรรณ", last_name=str(unit.pk), unit=unit, is_clerk=True)
print("UNITS", len(units))
"""

# One trial's circular: drafted, decided (state set directly: the route is not what is
# measured), then signed and sent by the acting director through the service, which commits
# the distributions and the outbox rows and hands them to Celery after commit.
TRIAL = r"""
import json, time
from django.contrib.auth import get_user_model
from directives import selectors, services as directive_services
from memos import services
from memos.models import Memo
from memos.reference import reference_memo_input
from notifications.models import Notification
User = get_user_model()
clerk, director = User.objects.get(username="inst_clerk"), User.objects.get(username="inst_director")
memo = services.memo_create(user=clerk, data=reference_memo_input())
Memo.objects.filter(pk=memo.pk).update(state="approved", number="กท ๐๔๐๑/๙๙๙")
memo = Memo.objects.get(pk=memo.pk)
initial = selectors.directive_initial(memo)
directive = directive_services.directive_create(user=clerk, memo=memo, data=initial)
directive_services.directive_submit(user=clerk, directive=directive)
directive = directive_services.directive_sign_and_send(user=director, directive=directive)
committed = time.time()
ids = list(Notification.objects.filter(dedup_key=f"directive:{directive.pk}:sent", channel="email").values_list("pk", flat=True))
print("TRIAL " + json.dumps({"directive": directive.pk, "committed": committed, "ids": ids}))
"""


def shell(recipe: Recipe, code: str, marker: str) -> Any:
    out = recipe.manage("shell", "-c", code)
    for line in out.splitlines():
        if line.startswith(marker + " "):
            return line[len(marker) + 1 :]
    raise AssertionError(f"no {marker} line in:\n{out[-2000:]}")


def pending_count(recipe: Recipe, ids: list[int]) -> int:
    import psycopg

    with psycopg.connect(recipe.database_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM notifications_notification WHERE id = ANY(%s) AND status <> 'sent'", [ids]
        ).fetchone()
        return int(row[0]) if row else len(ids)


def trial(recipe: Recipe, number: int, rng: random.Random) -> dict[str, Any]:
    for name in ("worker-1", "worker-2"):
        process = recipe.processes[name]
        # A restarted worker appends to the same log: wait for its own "ready".
        wait_for(
            lambda p=process: p.log().count(" ready.") >= STARTS.get(p.name, 1),  # type: ignore[misc]
            timeout=60,
            what=f"{name} ready",
        )
    start_index = len(recipe.mail.snapshot())
    kill_fraction = rng.uniform(0.10, 0.70)
    victim_name = rng.choice(["worker-1", "worker-2"])
    driver = subprocess.Popen(
        [str(BASE_DIR / ".venv/bin/python"), "manage.py", "shell", "-c", TRIAL],
        cwd=BASE_DIR,
        env=recipe.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def received() -> list[Any]:
        return recipe.mail.snapshot()[start_index:]

    # The kill comes when enough of this trial's mail has arrived; the driver's output (the
    # ids) comes only when its process ends, so count what arrives meanwhile.
    expected_total = 2 * 87
    threshold = max(1, int(kill_fraction * expected_total))
    wait_for(lambda: len(received()) >= threshold, timeout=120, what=f"trial {number}: {threshold} mails", every=0.005)
    victim = recipe.processes[victim_name]
    killed_at = time.time()
    victim.signal_group(signal.SIGKILL)
    victim.popen.wait(timeout=10)
    received_at_kill = len(received())
    STARTS[victim_name] = STARTS.get(victim_name, 1) + 1
    recipe.start_worker(int(victim_name.split("-")[1]), WORKER_CONCURRENCY)
    out, err = driver.communicate(timeout=120)
    if driver.returncode != 0:
        raise AssertionError(f"trial driver failed:\n{err[-3000:]}")
    info = json.loads(next(line[6:] for line in out.splitlines() if line.startswith("TRIAL ")))
    ids = set(info["ids"])

    def all_delivered() -> bool:
        got = {int(m.group(1)) for mail in received() if (m := MESSAGE_ID.search(mail.message_id))}
        return ids <= got and pending_count(recipe, sorted(ids)) == 0

    t0 = time.monotonic()
    delivered = True
    try:
        wait_for(all_delivered, timeout=DELIVERY_TIMEOUT_S, what=f"trial {number}: full delivery", every=0.2)
    except AssertionError:
        delivered = False
    done_at = time.time() if delivered else float("nan")
    mails = [m for m in received() if (match := MESSAGE_ID.search(m.message_id)) and int(match.group(1)) in ids]
    per_row = Counter(int(MESSAGE_ID.search(m.message_id).group(1)) for m in mails)  # type: ignore[union-attr]
    ids_per_row: dict[int, set[str]] = {}
    for m in mails:
        row = int(MESSAGE_ID.search(m.message_id).group(1))  # type: ignore[union-attr]
        ids_per_row.setdefault(row, set()).add(m.message_id)
    same_id_resends = sum(count - len(ids_per_row[row]) for row, count in per_row.items())
    new_id_duplicates = sum(len(message_ids) - 1 for message_ids in ids_per_row.values())
    result = {
        "trial": number,
        "emails": len(ids),
        "killed": victim_name,
        "killed_after": received_at_kill,
        "delivered": delivered,
        "full_delivery_s": done_at - info["committed"],
        "after_kill_s": done_at - killed_at,
        "missing": len(ids - set(per_row)),
        "same_id_resends": same_id_resends,
        "duplicates": new_id_duplicates,
        "waited_s": time.monotonic() - t0,
    }
    print(
        f"  trial {number}: {len(ids)} e-mails, {victim_name} killed after {received_at_kill} had arrived; "
        f"all delivered {result['full_delivery_s']:.1f} s after the commit "
        f"({result['after_kill_s']:.1f} s after the kill); resent with the same Message-ID: {same_id_resends}; "
        f"duplicates under a new Message-ID: {new_id_duplicates}; missing: {result['missing']}",
        flush=True,
    )
    return result


def run_trials(trials: int, *, var_dir: Path, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    results = []
    with running_recipe(
        var_dir=var_dir,
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        web=False,
        workers=2,
        worker_concurrency=WORKER_CONCURRENCY,
    ) as recipe:
        print("  " + shell(recipe, SETUP, "UNITS") + " recipient units, each with a clerk and a mailbox", flush=True)
        for number in range(1, trials + 1):
            results.append(trial(recipe, number, rng))
    return results


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| trial | e-mails | worker killed after (mails arrived) | all delivered after commit (s) | after the kill (s) "
        "| resent, same Message-ID | duplicates, new Message-ID | missing |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['trial']} | {r['emails']} | {r['killed']} after {r['killed_after']} | {r['full_delivery_s']:.1f} "
            f"| {r['after_kill_s']:.1f} | {r['same_id_resends']} | {r['duplicates']} | {r['missing']} |"
        )
    return "\n".join(lines)


def run() -> Any:
    """For bench/run_all.py: the trials as a Section."""
    from bench.common import BENCH_VAR, Section, Target

    started = time.monotonic()
    section = Section(7, "Fault trial: kill -9 of a worker mid fan-out")
    why = services_answer(DATABASE_URL, REDIS_URL)
    if why:
        section.targets.append(Target("fault trial", None, why))
        return section
    results = run_trials(TRIALS, var_dir=BENCH_VAR / "b7")
    section.extra.append(markdown(results))
    worst = max(r["full_delivery_s"] for r in results)
    section.targets.append(
        Target(
            f"0 duplicates in {TRIALS} trials",
            all(r["duplicates"] == 0 and r["missing"] == 0 for r in results),
            f"{sum(r['duplicates'] for r in results)} duplicates under a new Message-ID, "
            f"{sum(r['same_id_resends'] for r in results)} resent with the same Message-ID",
        )
    )
    section.targets.append(
        Target(
            f"all delivered within {DELIVERY_TARGET_S:.0f} s",
            all(r["delivered"] for r in results) and worst <= DELIVERY_TARGET_S,
            f"slowest trial {worst:.1f} s",
        )
    )
    section.seconds = time.monotonic() - started
    return section


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=TRIALS)
    parser.add_argument("--dir", default=str(BASE_DIR / "var" / "bench" / "b7"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    why = services_answer(DATABASE_URL, REDIS_URL)
    if why:
        print(f"b7: skipped: {why}")
        return 0
    results = run_trials(args.trials, var_dir=Path(args.dir), seed=args.seed)
    print(markdown(results))
    slowest = max(r["full_delivery_s"] for r in results)
    duplicates = sum(r["duplicates"] for r in results)
    resends = sum(r["same_id_resends"] for r in results)
    print(
        f"\nslowest full delivery {slowest:.1f} s; duplicates {duplicates}; resent with the same Message-ID {resends}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
