"""Backup and restore: the database (pg_dump custom format, or a consistent copy of the SQLite file) and the media
files, in one .tar with a manifest of row counts so a restore can be checked.

    dutydesk backup [--output DIR]            → DIR/dutydesk-backup-YYYYMMDD-HHMMSS.tar
    dutydesk restore FILE.tar [--yes]         → replaces the database and the media files

Restore replaces everything: stop the web server, workers and the scheduler first.
"""
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

from dutydesk.core import clock

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (the manifest; compared after a restore)."""
    counts = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in existing and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _pg_env(db: Mapping[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: Mapping[str, Any]) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def _run(command: Sequence[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup_create(*, output_dir: str | Path) -> Path:
    """Write one backup archive into ``output_dir`` and return its path."""
    db = connections["default"].settings_dict
    vendor = connection.vendor
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"dutydesk-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        manifest = {"format": 1, "vendor": vendor, "created_at": clock.now().isoformat(), "rows": row_counts()}
        if vendor == "postgresql":
            dump = work / "database.dump"
            _run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), *_pg_args(db), db["NAME"]], env=_pg_env(db))
        elif vendor == "sqlite":
            dump = work / "database.sqlite3"
            source = sqlite3.connect(db["NAME"])
            copy = sqlite3.connect(dump)
            with copy:
                source.backup(copy)  # consistent even while the server writes (SQLite online backup API)
            copy.close()
            source.close()
        else:
            raise BackupError(f"no backup for database vendor {vendor}")
        with tarfile.open(target, "w") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                archive.add(media, arcname="media")
    return target


def read_manifest(path: str | Path) -> dict[str, Any]:
    with tarfile.open(path) as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:  # a folder or a link of that name, not the manifest
            raise KeyError(MANIFEST)
        return json.load(member)


def backup_restore(*, path: str | Path) -> dict[str, Any]:
    """Replace the database and the media files with the backup's; returns its manifest."""
    db = connections["default"].settings_dict
    vendor = connection.vendor
    manifest = read_manifest(path)
    if manifest.get("vendor") != vendor:
        raise BackupError(f"the backup is of a {manifest.get('vendor')} database, this one is {vendor}")
    with tempfile.TemporaryDirectory() as temporary, tarfile.open(path) as archive:
        work = Path(temporary)
        archive.extractall(work, filter="data")
        connections.close_all()
        if vendor == "postgresql":
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", db["NAME"],
                  *_pg_args(db), str(work / "database.dump")], env=_pg_env(db))
        else:
            restored = sqlite3.connect(work / "database.sqlite3")
            target = sqlite3.connect(db["NAME"])
            with target:
                restored.backup(target)
            target.close()
            restored.close()
        media = Path(settings.MEDIA_ROOT)
        if (work / "media").exists():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(work / "media", media)
    return manifest
