"""Backups that restore: the database and every stored file, with a manifest to check a restore against.

A backup is a folder holding `database.dump` (PostgreSQL's custom format from pg_dump, or a copy of the SQLite
file), `files/` (every file of the default storage, read through Django's storage API, so an object store is
backed up the same way as a local folder) and `manifest.json` (the row count of every table, the size and SHA-256
of every file and of the dump, the migrations applied). `restore` puts both back and compares the result with the
manifest; `drill` backs up, wipes, restores and compares, the test the README's operators run before trusting it.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3

# pg_dump and pg_restore run with arguments from the settings, never from users.
import subprocess  # nosec B404
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore could not be made or does not match its manifest."""


@dataclass
class Comparison:
    """What a restored system differs in from a manifest (empty lists: it matches)."""

    tables: list = field(default_factory=list)  # (table, expected rows, found rows)
    files: list = field(default_factory=list)  # (path, problem)

    @property
    def ok(self) -> bool:
        return not self.tables and not self.files


def _sha256_of(fileobj) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def table_counts() -> dict:
    """Rows per table of the database, every table Django's introspection sees."""
    counts = {}
    with connection.cursor() as cur:
        for table in sorted(connection.introspection.table_names(cur)):
            cur.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            counts[table] = cur.fetchone()[0]
    return counts


def applied_migrations() -> dict:
    """The last applied migration of each app."""
    with connection.cursor() as cur:
        cur.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
        return dict(cur.fetchall())


def storage_files(storage=None, folder: str = "") -> list[str]:
    """Every file of the storage below folder, as storage names, sorted."""
    storage = storage or default_storage
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{f}" if folder else f for f in files]
    for d in dirs:
        names += storage_files(storage, f"{folder}/{d}" if folder else d)
    return sorted(names)


def _tool(name: str) -> str:
    """The absolute path of a PostgreSQL client program (Debian's postgresql-client)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return path


def _pg_env(settings_dict) -> tuple[list, dict]:
    args = [
        "--host",
        settings_dict.get("HOST") or "127.0.0.1",
        "--port",
        str(settings_dict.get("PORT") or 5432),
    ]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _dump_database(target: Path) -> None:
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(settings_dict)
        subprocess.run(  # noqa: S603  # nosec B603
            [
                _tool("pg_dump"),
                "--format",
                "custom",
                "--no-owner",
                "--file",
                str(target),
                *args,
                settings_dict["NAME"],
            ],
            check=True,
            env=env,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
    else:
        raise BackupError(f"No backup for the {connection.vendor} database.")


def backup(destination) -> Path:
    """Write a backup into a new folder below destination; return that folder."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(destination) / f"ce-portal-{stamp}"
    (folder / FILES).mkdir(parents=True, exist_ok=False)
    # The counts are read first and the dump taken right after; a backup of a busy portal may hold a few more
    # rows than the manifest says, which `compare` reports as more, never as fewer.
    counts = table_counts()
    _dump_database(folder / DUMP)
    files = {}
    for name in storage_files():
        target = folder / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out, CHUNK)
        with open(target, "rb") as fh:
            digest, size = _sha256_of(fh)
        files[name] = {"sha256": digest, "size": size}
    with open(folder / DUMP, "rb") as fh:
        dump_digest, dump_size = _sha256_of(fh)
    manifest = {
        "format": 1,
        "created_at": stamp,
        "database": {
            "vendor": connection.vendor,
            "dump_sha256": dump_digest,
            "dump_size": dump_size,
            "tables": counts,
            "migrations": applied_migrations(),
        },
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False))
    return folder


def read_manifest(folder) -> dict:
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} holds no readable {MANIFEST}.") from exc
    with open(folder / DUMP, "rb") as fh:
        digest, _size = _sha256_of(fh)
    if digest != manifest["database"]["dump_sha256"]:
        raise BackupError("The database dump does not match its manifest (damaged or replaced).")
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(
            f"The backup is of a {manifest['database']['vendor']} database, this portal uses {connection.vendor}."
        )
    return manifest


def wipe() -> None:
    """Remove every table and every stored file (the drill's disaster; never called by restore)."""
    for name in storage_files():
        default_storage.delete(name)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cur.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cur):
                cur.execute(f"DROP TABLE {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608


def _restore_database(dump: Path) -> None:
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_env(settings_dict)
        result = subprocess.run(  # noqa: S603  # nosec B603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                settings_dict["NAME"],
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError("pg_restore failed: " + result.stderr.strip()[-500:])
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)


def restore(folder, *, exact: bool = False) -> Comparison:
    """Put the database and the files of a backup back, then compare the result with its manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    _restore_database(folder / DUMP)
    for name in manifest["files"]:
        source = folder / FILES / name
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(source, "rb") as fh:
            saved = default_storage.save(name, ContentFile(fh.read()))
        if saved != name:
            raise BackupError(f"The storage renamed {name} to {saved} on restore.")
    return compare(manifest)


def compare(manifest, *, exact: bool = False) -> Comparison:
    """Compare the running database and storage with a manifest: every table's rows, every file's hash. A backup
    of a running portal may hold rows written after the count: only fewer rows are a difference, unless exact."""
    result = Comparison()
    counts = table_counts()
    for table, expected in sorted(manifest["database"]["tables"].items()):
        found = counts.get(table)
        if found is None or found < expected or (exact and found != expected):
            result.tables.append((table, expected, found))
    for name, meta in sorted(manifest["files"].items()):
        if not default_storage.exists(name):
            result.files.append((name, "missing"))
            continue
        with default_storage.open(name, "rb") as fh:
            digest, size = _sha256_of(fh)
        if digest != meta["sha256"] or size != meta["size"]:
            result.files.append((name, "content differs"))
    return result


def drill(destination) -> tuple[Path, dict, Comparison]:
    """Back up, wipe, restore and compare: return the backup folder, its manifest and what differs."""
    folder = backup(destination)
    manifest = read_manifest(folder)
    wipe()
    return folder, manifest, restore(folder, exact=True)
