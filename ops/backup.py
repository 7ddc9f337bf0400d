"""Backup and restore: the database and every stored file in one archive, with a manifest of
SHA-256 checksums; a restore checks every checksum before it touches anything.

The archive (a .tar.gz) holds
- `manifest.json`: format, when, which database engine, and the size and SHA-256 of every
  other member;
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the site runs) or
  `database.pgdump` (pg_dump's custom format, restored with pg_restore);
- `files/<name>` for every file in the default storage (attachments, document versions,
  reports), read through Django's storage API, so any storage backend works;
- `audit-checkpoint.json`: the head of every sound audit chain at backup time (the output of
  `verify_audit --write-checkpoint`), so that after a restore `verify_audit --checkpoint`
  shows the chains are whole and none was wound back behind the backup.

Why not django-dbbackup: it writes the database and the media into two separate archives
with no manifest across them, and its SQLite connector replays an SQL text dump into the
live file, which fails on existing tables; the online backup API and pg_dump/pg_restore are
a few lines each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
CHECKPOINT = "audit-checkpoint.json"
FILES = "files/"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Left out of a backup: the health check's probe files, written and deleted within a request.
SKIP_PREFIXES = ("health_check_storage_test/",)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Thai, for the operator."""


@dataclass
class Summary:
    archive: Path
    engine: str
    files: int = 0
    bytes: int = 0
    chains: int = 0
    kept_files: list[str] = field(default_factory=list)  # in storage but not in the backup (restore)


# --- Database -----------------------------------------------------------------------------


def engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in DUMPS:
        raise BackupError(f"สำรองข้อมูลได้เฉพาะฐานข้อมูล SQLite และ PostgreSQL (ฐานข้อมูลนี้เป็น {vendor})")
    return vendor


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connections["default"].settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # not on the command line, where `ps` shows it
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupError(f"ไม่พบโปรแกรม {command[0]} ที่ใช้{what} (ติดตั้งแพ็กเกจ postgresql-client)")
    done = subprocess.run([binary, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what}ไม่สำเร็จ ({command[0]} จบด้วยรหัส {done.returncode}): {done.stderr.strip()[-2000:]}")


def dump_database(target: Path) -> None:
    if engine() == "sqlite":
        source = sqlite3.connect(str(connections["default"].settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env, "สำรองฐานข้อมูล")


def load_database(dump: Path) -> None:
    """Replace the whole database with the dump. Django's own connections are closed first;
    the site and the workers must be stopped (docs/operations.md)."""
    connections.close_all()
    if engine() == "sqlite":
        source = sqlite3.connect(str(dump))
        live = sqlite3.connect(str(connections["default"].settings_dict["NAME"]), timeout=20)
        try:
            source.backup(live)
        finally:
            live.close()
            source.close()
    else:
        env, args = _pg_env_and_args()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(dump),
            ],
            env,
            "กู้คืนฐานข้อมูล",
        )


# --- Stored files ---------------------------------------------------------------------------


def stored_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file in the storage, as names the storage accepts, in a stable order."""
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        path = f"{directory}{name}"
        if not path.startswith(SKIP_PREFIXES):
            yield path
    for folder in sorted(folders):
        yield from stored_names(storage, f"{directory}{folder}/")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- Backup -------------------------------------------------------------------------------


def default_archive_path() -> Path:
    stamp = dt.datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"saraban-{stamp}.tar.gz"


def backup(archive: Path, *, storage: Storage | None = None) -> Summary:
    storage = storage or default_storage
    kind = engine()
    archive.parent.mkdir(parents=True, exist_ok=True)
    summary = Summary(archive=archive, engine=kind)
    members: dict[str, dict[str, Any]] = {}
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(dir=archive.parent) as work_dir:
        work = Path(work_dir)
        dump = work / DUMPS[kind]
        dump_database(dump)
        checkpoint = work / CHECKPOINT
        with contextlib.suppress(SystemExit):  # verify_audit exits 1 on a broken chain: still back up
            call_command("verify_audit", write_checkpoint=checkpoint, stdout=io.StringIO(), stderr=io.StringIO())
        summary.chains = len(json.loads(checkpoint.read_text(encoding="utf-8"))) if checkpoint.exists() else 0
        with tarfile.open(partial, "w:gz") as tar:
            for name, path in ((DUMPS[kind], dump), (CHECKPOINT, checkpoint)):
                if path.exists():
                    members[name] = {"size": path.stat().st_size, "sha256": _sha256_file(path)}
                    tar.add(path, arcname=name)
            for name in stored_names(storage):
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(FILES + name)
                info.size = len(data)
                info.mtime = int(dt.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
                members[FILES + name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                summary.files += 1
                summary.bytes += len(data)
            manifest = {
                "format": FORMAT,
                "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "engine": kind,
                "database": DUMPS[kind],
                "members": members,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(body))
    partial.replace(archive)  # never a half-written archive under the final name
    return summary


# --- Restore ------------------------------------------------------------------------------

CORRUPT = "ไฟล์สำรองข้อมูลเสียหายหรือไม่ใช่ไฟล์สำรองข้อมูลของระบบนี้ ไม่ได้กู้คืนสิ่งใด"


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def unpack_and_verify(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack into `into` and check every member against the manifest. Raises BackupError
    (in Thai) on anything amiss; nothing outside `into` is touched."""
    if not archive.is_file():
        raise BackupError(f"ไม่พบไฟล์สำรองข้อมูล {archive}")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            seen: dict[str, dict[str, Any]] = {}
            manifest_bytes = b""
            for info in tar:
                if not info.isfile() or not _safe_name(info.name):
                    raise BackupError(f"{CORRUPT} (มีรายการที่ไม่ใช่ไฟล์ปกติ: {info.name})")
                handle = tar.extractfile(info)
                assert handle is not None  # a regular file
                if info.name == MANIFEST:
                    manifest_bytes = handle.read()
                    continue
                target = into / info.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with target.open("wb") as out:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[info.name] = {"size": size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{CORRUPT} ({exc.__class__.__name__})") from exc
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        expected: dict[str, dict[str, Any]] = manifest["members"]
        kind = manifest["engine"]
        fmt = manifest["format"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{CORRUPT} (ไม่มีรายการตรวจสอบ {MANIFEST} หรืออ่านไม่ได้)") from exc
    if fmt != FORMAT:
        raise BackupError(f"ไฟล์สำรองข้อมูลรูปแบบที่ {fmt} ระบบนี้กู้คืนได้เฉพาะรูปแบบที่ {FORMAT}")
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    bad = sorted(name for name in set(expected) & set(seen) if expected[name] != seen[name])
    if missing or extra or bad:
        problems = [f"ไม่ตรงกับค่าตรวจสอบ: {', '.join(bad[:5])}"] if bad else []
        problems += [f"ขาดหายไป: {', '.join(missing[:5])}"] if missing else []
        problems += [f"ไม่อยู่ในรายการตรวจสอบ: {', '.join(extra[:5])}"] if extra else []
        raise BackupError(f"{CORRUPT} — {'; '.join(problems)}")
    if kind != engine():
        raise BackupError(f"ไฟล์สำรองข้อมูลนี้มาจากฐานข้อมูล {kind} แต่ระบบนี้ใช้ {engine()}: กู้คืนข้ามชนิดฐานข้อมูลไม่ได้")
    return dict(manifest)


def restore(archive: Path, *, storage: Storage | None = None) -> Summary:
    storage = storage or default_storage
    staging_parent = Path(settings.VAR_DIR) / "restore"
    staging_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging_parent) as work_dir:
        work = Path(work_dir)
        manifest = unpack_and_verify(archive, work)
        summary = Summary(archive=archive, engine=manifest["engine"])
        # Everything checked: from here on the database and the storage change.
        load_database(work / manifest["database"])
        names = sorted(name[len(FILES) :] for name in manifest["members"] if name.startswith(FILES))
        for name in names:
            path = work / (FILES + name)
            if storage.exists(name):
                storage.delete(name)
            with path.open("rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"ที่เก็บไฟล์บันทึก {name} เป็นชื่อ {saved}: ตรวจสอบที่เก็บไฟล์ก่อนกู้คืนอีกครั้ง")
            summary.files += 1
            summary.bytes += path.stat().st_size
        # Files stored after the backup are left where they are (nothing is lost); no
        # restored row points at them.
        wanted = set(names)
        summary.kept_files = [name for name in stored_names(storage) if name not in wanted]
        checkpoint = work / CHECKPOINT
        if checkpoint.exists():
            kept = staging_parent / f"{archive.name}.{CHECKPOINT}"
            shutil.copyfile(checkpoint, kept)
            summary.chains = len(json.loads(checkpoint.read_text(encoding="utf-8")))
    return summary


def checkpoint_of(archive: Path) -> Path:
    """Where restore() leaves the archive's audit checkpoint, for `verify_audit --checkpoint`."""
    return Path(settings.VAR_DIR) / "restore" / f"{archive.name}.{CHECKPOINT}"
