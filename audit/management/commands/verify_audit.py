"""`manage.py verify_audit`: every registered chain (memos, directives), each object's first
bad event, and a non-zero exit when anything is wrong.

`--write-checkpoint FILE` also writes every head as it stands to FILE: keep it outside the
database (another machine, the backup's manifest). `--checkpoint FILE` then checks that no
chain has been wound back behind it, which the database alone cannot show when events,
row and head were all restored from an older copy.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.chain import Checkpoint, chain_verify_all, kind_named, kinds


class Command(BaseCommand):
    help = "ตรวจสอบห่วงโซ่ประวัติของบันทึกข้อความและหนังสือเวียน และระบุเหตุการณ์แรกที่ถูกแก้ไขหรือลบ"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("memo_ids", nargs="*", type=int, help="ตรวจเฉพาะบันทึกข้อความเหล่านี้")
        parser.add_argument("--kind", choices=[k.name for k in kinds()], action="append", help="ตรวจเฉพาะประเภทนี้")
        parser.add_argument("--checkpoint", type=Path, help="ไฟล์จุดตรวจสอบที่เก็บไว้นอกฐานข้อมูล")
        parser.add_argument("--write-checkpoint", type=Path, help="เขียนหัวห่วงโซ่ปัจจุบันลงไฟล์นี้")

    def handle(self, *args: object, **options: Any) -> None:
        checkpoints = self._read(options["checkpoint"]) if options["checkpoint"] else {}
        chosen = [kind_named(name) for name in options["kind"] or []] or kinds()
        ids: list[int] | None = options["memo_ids"] or None
        if ids:
            chosen = [kind_named("memos")]
        heads: list[dict[str, Any]] = []
        failed = 0
        for kind in chosen:
            kept = checkpoints.get(kind.name, {})
            seen: set[int] = set()
            bad = 0
            for report in chain_verify_all(kind, ids, checkpoints=kept):
                seen.add(report.owner_id)
                if report.ok:
                    # Only sound heads go into a checkpoint: it must never vouch for a broken chain.
                    heads.append(
                        {"kind": kind.name, "id": report.owner_id, "seq": report.head_seq, "head": report.head}
                    )
                    continue
                bad += 1
                self.stderr.write(
                    f"{kind.label} #{report.owner_id}: เหตุการณ์ลำดับที่ {report.first_bad_seq} ไม่ถูกต้อง — {report.reason}"
                )
            gone = [owner_id for owner_id in kept if owner_id not in seen and (ids is None or owner_id in ids)]
            for owner_id in sorted(gone):
                bad += 1
                self.stderr.write(f"{kind.label} #{owner_id}: ถูกลบทั้งเรื่อง ทั้งที่มีอยู่ในจุดตรวจสอบที่เก็บไว้นอกฐานข้อมูล")
            self.stdout.write(f"{kind.label}: ตรวจแล้ว {len(seen)} {kind.counter} พบปัญหา {bad} {kind.counter}")
            failed += bad
        if options["write_checkpoint"]:
            options["write_checkpoint"].write_text(json.dumps(heads, ensure_ascii=False, indent=0), encoding="utf-8")
        if failed:
            sys.exit(1)

    def _read(self, path: Path) -> dict[str, dict[int, Checkpoint]]:
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"อ่านไฟล์จุดตรวจสอบ {path} ไม่ได้: {exc}") from exc
        out: dict[str, dict[int, Checkpoint]] = {}
        for row in rows:
            out.setdefault(row["kind"], {})[int(row["id"])] = Checkpoint(int(row["seq"]), str(row["head"]))
        return out
