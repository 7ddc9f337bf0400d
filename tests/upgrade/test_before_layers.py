"""A database made before the directory and registers moved out of memos/ upgrades with
nothing lost: every unit, official, appointment, memo, event and register entry is still
there and readable through the new apps, and every memo's audit chain still verifies.

The database (before_layers.sql.gz) was made by the code of commit c526732 with
build_fixture.py: the demo directory and people, the reference memo decided through the
screens, one waiting at the deputy and one returned to its drafter.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).with_name("before_layers.sql.gz")
ROOT = Path(__file__).resolve().parents[2]
TABLES = [
    "memos_unit",
    "memos_position",
    "memos_official",
    "memos_appointment",
    "memos_recipientgroup",
    "memos_recipientgroup_positions",
    "memos_memo",
    "memos_memoevent",
    "memos_registercounter",
    "memos_registerentry",
    "workflow_tasklink",
]

READ_BACK = """
import json
from directory.models import Appointment, Official, Position, RecipientGroup, Unit
from memos.audit import chain_verify
from memos.models import Memo, MemoEvent
from registers.models import RegisterCounter, RegisterEntry
from workflow.models import TaskLink
from django.contrib.contenttypes.models import ContentType
print(json.dumps({
    "memos_unit": Unit.objects.count(),
    "memos_position": Position.objects.count(),
    "memos_official": Official.objects.count(),
    "memos_appointment": Appointment.objects.count(),
    "memos_recipientgroup": RecipientGroup.objects.count(),
    "memos_recipientgroup_positions": RecipientGroup.positions.through.objects.count(),
    "memos_memo": Memo.objects.count(),
    "memos_memoevent": MemoEvent.objects.count(),
    "memos_registercounter": RegisterCounter.objects.count(),
    "memos_registerentry": RegisterEntry.objects.count(),
    "workflow_tasklink": TaskLink.objects.count(),
    "chains": {m.pk: chain_verify(memo_id=m.pk).ok for m in Memo.objects.all()},
    "numbers": sorted(m.number for m in Memo.objects.all()),
    "states": sorted(m.state for m in Memo.objects.all()),
    "receipts": sorted(
        (e.unit.short_name or e.unit.name, e.number, e.position.title if e.position else "", e.memo.number)
        for e in RegisterEntry.objects.filter(series="receive").select_related("unit", "position", "memo")
    ),
    "signer": Official.objects.get(user__username="inst_director").appointments.count(),
    "content_types": sorted(ContentType.objects.filter(model__in=["unit", "registerentry"]).values_list("app_label", "model")),
}, ensure_ascii=False))
"""


def test_database_from_before_the_split_upgrades_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "before.sqlite3"
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as dump, sqlite3.connect(path) as db:
        db.executescript(dump.read())
        before = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}  # noqa: S608 (names from TABLES)
    assert before["memos_memo"] == 3 and before["memos_memoevent"] > 10 and before["memos_unit"] > 80

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "VAR_DIR": str(tmp_path / "var")}
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrated = subprocess.run([*manage, "migrate", "--no-input"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr
    assert "directory.0001_initial... OK" in migrated.stdout and "registers.0001_initial... OK" in migrated.stdout

    read = subprocess.run([*manage, "shell", "-c", READ_BACK], env=env, cwd=ROOT, capture_output=True, text=True)
    assert read.returncode == 0, read.stderr
    after = json.loads(read.stdout.strip().splitlines()[-1])
    for table, count in before.items():
        assert after[table] == count, table
    assert all(after["chains"].values()) and len(after["chains"]) == 3
    assert after["states"] == ["approved", "in_review", "returned"]
    assert after["numbers"] == ["กท ๐๔๐๑/๑", "กท ๐๔๐๑/๒", "กท ๐๔๐๑/๓"]
    assert ["ส.ส.ป.", 1, "ปลัดกรุงเทพมหานคร", "กท ๐๔๐๑/๑"] in after["receipts"]
    assert after["signer"] == 2  # holder of one post, acting in the institute director's
    # Permissions and admin history follow the moved models.
    assert after["content_types"] == [["directory", "unit"], ["registers", "registerentry"]]

    verified = subprocess.run([*manage, "verify_audit"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr
    assert "ตรวจแล้ว 3 เรื่อง พบปัญหา 0 เรื่อง" in verified.stdout
