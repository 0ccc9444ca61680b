"""Backups: the database and the media in one archive, and the restore into an empty site.

``create_backup(dest_dir)`` writes ``mahalleh-<UTC time>.tar`` (mode 0600) holding:

- ``database/portal.pgdump`` (PostgreSQL: ``pg_dump --format=custom``) or
  ``database/portal.sqlite3`` (SQLite: a copy made with the online backup API);
- ``media/...`` and, when ``settings.PRIVATE_MEDIA_ROOT`` is set, ``private_media/...``: every
  file of those folders;
- ``manifest.json`` (written last): the format version, when it was made, the database vendor
  and server version, the latest applied migration of each app, the row count of every table,
  and the size and SHA-256 of the database file and of every media file.

Consistency. The database is one snapshot: on PostgreSQL a REPEATABLE READ transaction exports
its snapshot, ``pg_dump --snapshot`` dumps exactly that, and the row counts and migrations in the
manifest are read in the same transaction; on SQLite the backup API copies a consistent image
(it starts again if another connection writes meanwhile) and the counts are read from the copy.
The media are copied after the snapshot. Stored files never change (random names, a new name for
every replacement), are written before the row that names them commits and deleted only after the
row's deletion commits, so every file the snapshot names is still on disk unless its row was
deleted or replaced while the backup ran; such files are listed as ``vanished`` in the manifest
and reported. A file that moves between the public and the private tree meanwhile
(core/media.py) keeps its name and is taken from the tree it moved to; ``manage.py sort_media``
after a restore puts every file where the restored rows say. Files written after the snapshot
are copied too and are harmless orphans. When uploads go to object storage
(``STORAGES["default"]`` is not on this disk) the public media are left out with a warning: the
store's own versioning keeps them.

``restore_backup(archive)`` writes into an EMPTY database (no table with a row; a new database,
or one whose tables are all empty) and empty media folders only; anything else is refused and
nothing changes (the operator empties them first, docs/operations.md). It checks the archive
(format, vendor, migrations this code knows, every checksum) before it writes anything, restores
the database (``pg_restore --single-transaction``: all or nothing; SQLite: the backup API into
the configured database), then the files, and compares the row count of every table and every
file's checksum with the manifest.

The identity keys (``DJANGO_IDENTITY_*``) are not in the archive, on purpose (docs/privacy.md).
Every refusal and failure is a :class:`BackupError` with a Persian message for the operator.
Only Django and the standard library are used; pg_dump and pg_restore are found next to the
server's version (``DJANGO_PG_BIN_DIR``, ``/usr/lib/postgresql/<major>/bin``, then ``PATH``).
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.utils import load_backend
from django.utils.module_loading import import_string

from core.digits import format_number, to_persian_digits
from core.jalali import format_datetime

FORMAT = "mahalleh-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_MEMBERS = {
    "postgresql": "database/portal.pgdump",
    "sqlite": "database/portal.sqlite3",
}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# The archive's folder for each media tree, and the setting that names the tree on disk.
MEDIA_SETTINGS = {"media": "MEDIA_ROOT", "private_media": "PRIVATE_MEDIA_ROOT"}
PG_BIN_ENV = "DJANGO_PG_BIN_DIR"
CHUNK = 1024 * 1024
PROGRESS_SECONDS = 2.0

Progress = Callable[[str], None]


class BackupError(Exception):
    """A refusal or a failure, with a Persian message for the operator."""


def _silent(message: str) -> None:
    pass


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    seconds: float
    vanished: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.manifest["database"]["tables"].values())

    @property
    def tables(self) -> int:
        return len(self.manifest["database"]["tables"])

    @property
    def files(self) -> int:
        return len(self.manifest["files"])

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass
class RestoreResult:
    manifest: dict
    seconds: float
    tables: int
    rows: int
    files: int
    bytes: int
    mismatches: list[str]
    pending_migrations: int


# --- Where things are ---------------------------------------------------------------------


def configured_media_roots() -> dict[str, Path]:
    """The media trees of this installation, by their folder name in the archive."""
    roots = {}
    for name, setting in MEDIA_SETTINGS.items():
        value = getattr(settings, setting, None)
        if value:
            roots[name] = Path(value)
    return roots


def _local_default_storage() -> bool:
    """Whether uploads are stored on this machine's disk (under MEDIA_ROOT)."""
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    try:
        return issubclass(import_string(backend), FileSystemStorage)
    except ImportError:
        return False


def _database_label(connection) -> str:
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and name.startswith("file:"):
        return "SQLite (در حافظه)"
    return f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)} «{name}»"


def created_label(manifest: dict) -> str:
    """When the archive was made, in the local Jalali calendar: «۱۲ آذر ۱۴۰۵، ساعت ۱۰:۵۶»."""
    try:
        return format_datetime(datetime.datetime.fromisoformat(manifest["created_at"]))
    except (KeyError, TypeError, ValueError):
        return "زمانی نامعلوم"


def human_size(n: int) -> str:
    """``1536`` gives ``'۱٫۵ کیلوبایت'``."""
    units = ["بایت", "کیلوبایت", "مگابایت", "گیگابایت", "ترابایت"]
    value = float(n)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            if unit == units[0]:
                return f"{format_number(int(value))} {unit}"
            rounded = round(value, 1)
            return f"{format_number(int(rounded) if rounded.is_integer() else rounded)} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def human_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{format_number(round(seconds, 1))} ثانیه"
    minutes, rest = divmod(round(seconds), 60)
    return f"{format_number(minutes)} دقیقه و {format_number(rest)} ثانیه"


class _Ticker:
    """Calls *progress* at most every PROGRESS_SECONDS during a long loop."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.last = time.monotonic()

    def tick(self, message: Callable[[], str]) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_SECONDS:
            self.last = now
            self.progress(message())


class _HashingReader:
    """A file wrapper that hashes what is read through it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        return data


def _sha256_stream(stream) -> str:
    sha = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        sha.update(chunk)
    return sha.hexdigest()


def _quote(name: str) -> str:
    """An SQL identifier, quoted the same way on PostgreSQL and SQLite."""
    return '"' + name.replace('"', '""') + '"'


def _count_rows(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (quoted identifier)
        counts[table] = cursor.fetchone()[0]
    return counts


def _migration_state(cursor, tables) -> dict[str, str]:
    """The latest applied migration of each app, as recorded by ``migrate``."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
    return dict(cursor.fetchall())


def _user_tables(connection, cursor) -> list[str]:
    return [
        name
        for name in connection.introspection.table_names(cursor)
        if not name.startswith("sqlite_")
    ]


def _fresh_connection(connection):
    """A new connection with the same settings, independent of the caller's transaction."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, f"{connection.alias}-backup")


# --- PostgreSQL tools -----------------------------------------------------------------------


def _tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 (a PostgreSQL tool found by _pg_tool)
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except OSError:
        return None
    match = re.search(r"PostgreSQL\)\s*(\d+)", out)
    return int(match.group(1)) if match else None


def _pg_tool(name: str, server_major: int) -> Path:
    """``pg_dump`` or ``pg_restore`` of the server's major version or newer."""
    candidates = []
    if override := os.environ.get(PG_BIN_ENV):
        candidates.append(Path(override) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin/{name}"))
    if found := shutil.which(name):
        candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    seen = []
    for candidate in candidates:
        if not candidate.is_file() or not os.access(candidate, os.X_OK):
            continue
        major = _tool_major(candidate)
        if major is not None and major >= server_major:
            return candidate
        seen.append(f"{candidate} ({to_persian_digits(major) if major else 'نسخهٔ نامعلوم'})")
    found_text = f" آنچه پیدا شد قدیمی‌تر است: {'، '.join(seen)}." if seen else ""
    raise BackupError(
        f"برنامهٔ {name} با نسخهٔ {to_persian_digits(server_major)} یا تازه‌تر (هم‌نسخهٔ سرور "
        f"PostgreSQL) پیدا نشد.{found_text} بستهٔ postgresql-client-"
        f"{server_major} را نصب کنید یا پوشهٔ برنامه‌های آن را در متغیر {PG_BIN_ENV} بگذارید."
    )


def _pg_env(settings_dict) -> dict[str, str]:
    """libpq's environment for the configured database: the password never goes on a command
    line, where any user of the machine could read it."""
    env = dict(os.environ)
    for key, var in {
        "HOST": "PGHOST",
        "PORT": "PGPORT",
        "USER": "PGUSER",
        "PASSWORD": "PGPASSWORD",
        "NAME": "PGDATABASE",
    }.items():
        if value := settings_dict.get(key):
            env[var] = str(value)
    options = settings_dict.get("OPTIONS") or {}
    for option, var in {
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "passfile": "PGPASSFILE",
        "service": "PGSERVICE",
        "connect_timeout": "PGCONNECT_TIMEOUT",
    }.items():
        if value := options.get(option):
            env[var] = str(value)
    env["PGAPPNAME"] = "mahalleh-backup"
    return env


def _run_pg(tool: Path, args: list[str], settings_dict, progress: Progress, watch=None) -> None:
    """Run a PostgreSQL tool, reporting the size of *watch* while it writes."""
    ticker = _Ticker(progress)
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
                [str(tool), *args],
                env=_pg_env(settings_dict),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
        except OSError as error:
            raise BackupError(f"برنامهٔ {tool} اجرا نشد: {error.strerror}.") from error
        while process.poll() is None:
            time.sleep(0.1)
            if watch is not None:
                ticker.tick(
                    lambda: (
                        f"  {tool.name}: {human_size(watch.stat().st_size)} نوشته شد"
                        if watch.exists()
                        else f"  {tool.name} در کار است…"
                    )
                )
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace").strip()
    if process.returncode != 0:
        tail = "\n".join(text.splitlines()[-8:])
        raise BackupError(
            f"{tool.name} ناکام ماند (کد خروج {to_persian_digits(process.returncode)}):\n{tail}"
        )


# --- Backup ---------------------------------------------------------------------------------


def _dump_postgresql(connection, path: Path, progress: Progress) -> dict:
    fresh = _fresh_connection(connection)
    try:
        fresh.ensure_connection()
        server_major = fresh.pg_version // 10000
        tool = _pg_tool("pg_dump", server_major)
        progress(f"پایگاه داده با {tool} …")
        with fresh.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                _run_pg(
                    tool,
                    [
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={path}",
                        "--no-password",
                        f"--dbname={fresh.settings_dict['NAME']}",
                    ],
                    fresh.settings_dict,
                    progress,
                    watch=path,
                )
                tables = _user_tables(fresh, cursor)
                counts = _count_rows(cursor, tables)
                migrations = _migration_state(cursor, tables)
            finally:
                cursor.execute("ROLLBACK")
        server = fresh.pg_version
        version = f"{server // 10000}.{server % 10000}"
    finally:
        fresh.close()
    return {"tables": counts, "migrations": migrations, "server_version": version}


def _dump_sqlite(connection, path: Path, progress: Progress) -> dict:
    progress("پایگاه داده با رابط پشتیبان‌گیری SQLite …")
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as target:
        # One step: a consistent image under one read lock (in WAL mode writers go on).
        connection.connection.backup(target)
    with contextlib.closing(sqlite3.connect(path)) as copy_db:
        copy_db.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        cursor = copy_db.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = _count_rows(cursor, tables)
        migrations = _migration_state(cursor, tables)
    return {"tables": counts, "migrations": migrations, "server_version": sqlite3.sqlite_version}


def _walk(root: Path, exclude: set[Path], skipped: list[str], label: str) -> Iterator[Path]:
    """Every regular file under *root*, in a stable order; symbolic links are left out."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            sub = here / name
            if sub.is_symlink():
                skipped.append(f"{label}/{sub.relative_to(root).as_posix()}")
            elif sub.resolve() not in exclude:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = here / name
            if path.is_symlink() or not path.is_file():
                skipped.append(f"{label}/{path.relative_to(root).as_posix()}")
                continue
            yield path


def _add_file(tar: tarfile.TarFile, path: Path, member: str, mode: int = 0o644) -> dict:
    with open(path, "rb") as source:
        stat = os.fstat(source.fileno())
        info = tarfile.TarInfo(member)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = mode
        reader = _HashingReader(source)
        tar.addfile(info, reader)
    return {"path": member, "size": stat.st_size, "sha256": reader.sha.hexdigest()}


def _add_media(tar, roots: dict[str, Path], progress: Progress):
    resolved = {name: root.resolve() for name, root in roots.items()}
    plan, skipped, done = [], [], set()
    for name, root in roots.items():
        if resolved[name] in done:  # two settings naming one folder: copy it once
            continue
        done.add(resolved[name])
        # A tree inside another (media/private) belongs to its own folder in the archive.
        nested = {
            other for key, other in resolved.items() if key != name and other != resolved[name]
        }
        plan += [(name, root, path) for path in _walk(root, nested, skipped, name)]
    total = len(plan)
    progress(f"رسانه‌ها: {format_number(total)} فایل …")
    ticker = _Ticker(progress)
    entries, vanished, added = [], [], set()
    for index, (name, root, path) in enumerate(plan, 1):
        relative = path.relative_to(root)
        # A file keeps its name when it moves between the public and the private tree (a photo
        # hidden or shown meanwhile, core/media.py): look for it in the other trees too.
        for tree in [name, *(other for other in roots if other != name)]:
            member = f"{tree}/{relative.as_posix()}"
            if member in added:
                break
            try:
                entries.append(_add_file(tar, roots[tree] / relative, member))
            except FileNotFoundError:
                continue
            added.add(member)
            break
        else:
            vanished.append(f"{name}/{relative.as_posix()}")
        ticker.tick(lambda index=index: f"  {format_number(index)} از {format_number(total)} فایل")
    return entries, vanished, skipped


def _archive_name(dest: Path, created: datetime.datetime) -> Path:
    stem = f"mahalleh-{created:%Y%m%dT%H%M%SZ}"
    candidate, n = dest / f"{stem}.tar", 1
    while candidate.exists():
        n += 1
        candidate = dest / f"{stem}-{n}.tar"
    return candidate


def _check_destination(dest: Path, roots: dict[str, Path]) -> None:
    if not dest.is_dir():
        raise BackupError(f"پوشهٔ مقصد «{dest}» پیدا نشد؛ نخست آن را بسازید.")
    if not os.access(dest, os.W_OK):
        raise BackupError(f"در پوشهٔ مقصد «{dest}» نمی‌توان نوشت.")
    for root in roots.values():
        if dest.resolve().is_relative_to(root.resolve()):
            raise BackupError(
                f"پوشهٔ مقصد «{dest}» درون پوشهٔ رسانه‌ها («{root}») است؛ نسخهٔ پشتیبان نباید "
                "جایی باشد که وب‌سرور نشانش می‌دهد. پوشهٔ دیگری بدهید."
            )


def create_backup(
    dest_dir,
    *,
    connection=None,
    media_roots: dict[str, Path] | None = None,
    progress: Progress = _silent,
) -> BackupResult:
    """Write one archive of the database and the media into *dest_dir*; see the module doc."""
    started = time.monotonic()
    connection = connection or connections["default"]
    notes = []
    if media_roots is None:
        roots = configured_media_roots()
        if "media" in roots and not _local_default_storage():
            # Uploads go to object storage: MEDIA_ROOT on this disk is not where they are.
            del roots["media"]
            notes.append(
                "رسانه‌های عمومی در فضای ذخیرهٔ بیرونی (S3 یا مانند آن) است و در این نسخه "
                "نیست؛ از آن با ابزار همان فضا (نسخه‌بندی یا رونوشت سطل) پشتیبان بگیرید."
            )
    else:
        roots = dict(media_roots)
    dest = Path(dest_dir)
    _check_destination(dest, roots)
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(
            f"پشتیبان‌گیری از پایگاه دادهٔ {vendor} پشتیبانی نمی‌شود؛ فقط PostgreSQL و SQLite."
        )
    created = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    final = _archive_name(dest, created)
    partial = dest / f".{final.name}.partial"
    try:
        with tempfile.TemporaryDirectory(dir=dest, prefix=".mahalleh-backup-") as work:
            dump = Path(work) / "database"
            dumper = _dump_postgresql if vendor == "postgresql" else _dump_sqlite
            database = dumper(connection, dump, progress)
            progress(f"  پایگاه داده: {human_size(dump.stat().st_size)}")
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    entry = _add_file(tar, dump, DATABASE_MEMBERS[vendor], mode=0o600)
                    dump.unlink()
                    files, vanished, skipped = _add_media(tar, roots, progress)
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": created.isoformat().replace("+00:00", "Z"),
                        "django_version": django.get_version(),
                        "database": {
                            "vendor": vendor,
                            "member": entry["path"],
                            "size": entry["size"],
                            "sha256": entry["sha256"],
                            **database,
                        },
                        "media": {
                            name: {
                                "files": sum(1 for f in files if f["path"].startswith(f"{name}/")),
                                "bytes": sum(
                                    f["size"] for f in files if f["path"].startswith(f"{name}/")
                                ),
                            }
                            for name in roots
                        },
                        "files": files,
                        "vanished": vanished,
                    }
                    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    info = tarfile.TarInfo(MANIFEST_NAME)
                    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                    tar.addfile(info, _BytesReader(data))
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, final)
        _fsync_directory(dest)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(
            f"نوشتن نسخهٔ پشتیبان ناکام ماند ({error.strerror or error}"
            f"{f': {error.filename}' if error.filename else ''}); فایل ناتمام پاک شد."
        ) from error
    except (DatabaseError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"خواندن پایگاه داده ناکام ماند: {error}") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(
        path=final,
        manifest=manifest,
        seconds=time.monotonic() - started,
        vanished=vanished,
        skipped=skipped,
        notes=notes,
    )


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


def _fsync_directory(path: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# --- Reading and checking an archive --------------------------------------------------------


def _damaged(path) -> BackupError:
    return BackupError(
        f"«{path}» یک نسخهٔ پشتیبان سالم درگاه نیست (فایل tar آن خوانده نشد یا ناقص است). "
        "چیزی تغییر نکرد."
    )


def _safe_member(name: str) -> tuple[str, PurePosixPath]:
    """Split ``media/a/b.jpg`` into the tree and a relative path that cannot climb out."""
    path = PurePosixPath(name)
    parts = path.parts
    if (
        path.is_absolute()
        or len(parts) < 2
        or parts[0] not in MEDIA_SETTINGS
        or any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in parts)
    ):
        raise BackupError(f"نام فایل «{name}» در نسخهٔ پشتیبان پذیرفتنی نیست. چیزی تغییر نکرد.")
    return parts[0], PurePosixPath(*parts[1:])


@contextlib.contextmanager
def _open_archive(archive) -> Iterator[tuple[tarfile.TarFile, dict]]:
    path = Path(archive)
    if not path.is_file():
        raise BackupError(f"فایل پشتیبان «{path}» پیدا نشد.")
    try:
        tar = tarfile.open(path, mode="r:")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _damaged(path) from error
    with tar:
        try:
            member = tar.getmember(MANIFEST_NAME)
            manifest = json.loads(tar.extractfile(member).read())
        except KeyError as error:
            raise BackupError(
                f"«{path}» فهرست ({MANIFEST_NAME}) ندارد؛ نسخهٔ پشتیبان درگاه نیست. چیزی تغییر نکرد."
            ) from error
        except (tarfile.TarError, OSError, EOFError, ValueError, AttributeError) as error:
            raise _damaged(path) from error
        _check_manifest(manifest, path)
        yield tar, manifest


def _check_manifest(manifest, path) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"«{path}» نسخهٔ پشتیبان درگاه نیست. چیزی تغییر نکرد.")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"قالب این نسخهٔ پشتیبان ({to_persian_digits(version)}) را این نسخهٔ درگاه نمی‌شناسد "
            f"(قالب {to_persian_digits(FORMAT_VERSION)}). چیزی تغییر نکرد."
        )
    try:
        database = manifest["database"]
        assert database["vendor"] in DATABASE_MEMBERS  # noqa: S101 (caught just below)
        assert database["member"] == DATABASE_MEMBERS[database["vendor"]]  # noqa: S101
        assert all(isinstance(n, int) for n in database["tables"].values())  # noqa: S101
        for item in manifest["files"]:
            _safe_member(item["path"])
            assert isinstance(item["size"], int) and isinstance(item["sha256"], str)  # noqa: S101
        assert isinstance(manifest["media"], dict)  # noqa: S101
        assert set(manifest["media"]) <= set(MEDIA_SETTINGS)  # noqa: S101
        trees = {_safe_member(item["path"])[0] for item in manifest["files"]}
        assert trees <= set(manifest["media"])  # noqa: S101
    except (KeyError, TypeError, AttributeError, AssertionError) as error:
        raise BackupError(f"فهرست نسخهٔ پشتیبان «{path}» ناقص است. چیزی تغییر نکرد.") from error


def _expected(manifest) -> dict[str, tuple[int, str]]:
    database = manifest["database"]
    expected = {database["member"]: (database["size"], database["sha256"])}
    expected |= {item["path"]: (item["size"], item["sha256"]) for item in manifest["files"]}
    return expected


def _verify(tar: tarfile.TarFile, manifest: dict, path, progress: Progress) -> None:
    """Every member is listed with its size and checksum, and every listed one is there."""
    expected = _expected(manifest)
    total = len(expected)
    seen: set[str] = set()
    ticker = _Ticker(progress)
    progress(f"بررسی چکیدهٔ {format_number(total)} فایل نسخهٔ پشتیبان …")
    try:
        for member in tar.getmembers():
            if member.name == MANIFEST_NAME:
                continue
            if member.name not in expected or member.name in seen or not member.isfile():
                raise BackupError(
                    f"نسخهٔ پشتیبان دست‌خورده است: «{member.name}» در فهرست آن نیست. چیزی تغییر نکرد."
                )
            size, sha = expected[member.name]
            digest = _sha256_stream(tar.extractfile(member))
            if member.size != size or digest != sha:
                raise BackupError(
                    f"نسخهٔ پشتیبان دست‌خورده یا آسیب‌دیده است: چکیدهٔ «{member.name}» با فهرست "
                    "آن نمی‌خواند. چیزی تغییر نکرد."
                )
            seen.add(member.name)
            ticker.tick(lambda: f"  {format_number(len(seen))} از {format_number(total)} فایل")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _damaged(path) from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(
            f"نسخهٔ پشتیبان ناقص است: {format_number(len(missing))} فایل فهرست در آن نیست "
            f"(مانند «{missing[0]}»). چیزی تغییر نکرد."
        )


def verify_archive(archive, *, progress: Progress = _silent) -> dict:
    """Check an archive without restoring it; return its manifest."""
    with _open_archive(archive) as (tar, manifest):
        _verify(tar, manifest, archive, progress)
    return manifest


# --- Restore --------------------------------------------------------------------------------


def _check_code_knows(manifest) -> None:
    """Refuse an archive made by a newer portal: this code's migrations cannot handle it."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = set(loader.disk_migrations)
    apps_on_disk = {app for app, _name in on_disk}
    unknown = [
        f"{app}.{name}"
        for app, name in sorted(manifest["database"].get("migrations", {}).items())
        if app in apps_on_disk and (app, name) not in on_disk
    ]
    if unknown:
        raise BackupError(
            "این نسخهٔ پشتیبان را نسخهٔ تازه‌تری از درگاه ساخته است؛ مهاجرت "
            f"{'، '.join(unknown)} در این کد نیست. نخست همان نسخهٔ درگاه را نصب کنید. "
            "چیزی تغییر نکرد."
        )


def _check_target(manifest, connection, roots: dict[str, Path]) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"این نسخهٔ پشتیبان از پایگاه دادهٔ {VENDOR_NAMES[vendor]} است و پایگاه دادهٔ "
            f"پیکربندی‌شده {VENDOR_NAMES.get(connection.vendor, connection.vendor)} است؛ "
            "بازگردانی فقط در همان نوع پایگاه داده شدنی است. چیزی تغییر نکرد."
        )
    for name in manifest["media"]:
        if name not in roots:
            raise BackupError(
                f"این نسخهٔ پشتیبان پوشهٔ «{name}» دارد ولی {MEDIA_SETTINGS[name]} در تنظیمات "
                "این نصب نیامده است. آن را تنظیم کنید و دوباره بکوشید. چیزی تغییر نکرد."
            )
    try:
        with connection.cursor() as cursor:
            tables = _user_tables(connection, cursor)
            filled = []
            for table in tables:
                cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone() is not None:
                    filled.append(table)
    except DatabaseError as error:
        raise BackupError(
            f"به پایگاه دادهٔ {_database_label(connection)} وصل نشد: {error}. پایگاه داده باید "
            "پیش از بازگردانی ساخته شده و خالی باشد (docs/operations.md، بخش پشتیبان‌گیری). "
            "چیزی تغییر نکرد."
        ) from error
    if filled:
        raise BackupError(
            f"پایگاه دادهٔ {_database_label(connection)} خالی نیست: "
            f"{format_number(len(filled))} جدول ردیف دارد (مانند {filled[0]}). بازگردانی فقط در "
            "پایگاه دادهٔ خالی انجام می‌شود تا هیچ داده‌ای روی دادهٔ دیگر ننشیند؛ نخست پایگاه "
            "داده را خالی کنید (docs/operations.md، بخش پشتیبان‌گیری). چیزی تغییر نکرد."
        )
    for name in manifest["media"]:
        root = roots[name]
        if root.exists() and not root.is_dir():
            raise BackupError(f"«{root}» پوشه نیست. چیزی تغییر نکرد.")
        if root.is_dir() and any(p.is_file() or p.is_symlink() for p in root.rglob("*")):
            raise BackupError(
                f"پوشهٔ رسانه‌های «{root}» خالی نیست. بازگردانی فقط در پوشهٔ خالی انجام "
                "می‌شود؛ نخست آن را کنار بگذارید (docs/operations.md، بخش پشتیبان‌گیری). "
                "چیزی تغییر نکرد."
            )


def _extract_verified(tar, member: tarfile.TarInfo, target: Path, sha: str, exclusive: bool):
    """Copy one member to *target*, hashing it on the way; True if it matches the manifest."""
    with tar.extractfile(member) as source:
        reader = _HashingReader(source)
        with open(target, "xb" if exclusive else "wb") as out:
            while chunk := reader.read(CHUNK):
                out.write(chunk)
    return reader.sha.hexdigest() == sha


def _restore_database(tar, manifest, connection, progress: Progress) -> None:
    database = manifest["database"]
    member = tar.getmember(database["member"])
    with tempfile.TemporaryDirectory(prefix="mahalleh-restore-") as work:
        dump = Path(work) / "database"
        if not _extract_verified(tar, member, dump, database["sha256"], exclusive=True):
            raise BackupError(
                "نسخهٔ پشتیبان در میانهٔ کار تغییر کرد (چکیدهٔ پایگاه داده نمی‌خواند). چیزی تغییر نکرد."
            )
        if database["vendor"] == "postgresql":
            connection.ensure_connection()
            tool = _pg_tool("pg_restore", connection.pg_version // 10000)
            progress(f"بازگردانی پایگاه داده با {tool} …")
            connection.close()
            _run_pg(
                tool,
                [
                    "--no-owner",
                    "--no-privileges",
                    "--clean",
                    "--if-exists",
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-password",
                    f"--dbname={connection.settings_dict['NAME']}",
                    str(dump),
                ],
                connection.settings_dict,
                progress,
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            progress("بازگردانی پایگاه داده با رابط پشتیبان‌گیری SQLite …")
            connection.ensure_connection()
            try:
                with contextlib.closing(sqlite3.connect(dump)) as source:
                    source.backup(connection.connection)
            except sqlite3.Error as error:
                raise BackupError(f"بازگردانی پایگاه دادهٔ SQLite ناکام ماند: {error}") from error


def _restore_files(tar, manifest, roots, progress: Progress) -> tuple[int, int, list[str]]:
    wanted = {item["path"]: item for item in manifest["files"]}
    total, done, size, bad = len(wanted), 0, 0, []
    for name in manifest["media"]:
        roots[name].mkdir(parents=True, exist_ok=True)
    progress(f"بازگردانی {format_number(total)} فایل رسانه …")
    ticker = _Ticker(progress)
    for member in tar.getmembers():
        item = wanted.get(member.name)
        if item is None:
            continue
        tree, relative = _safe_member(member.name)
        root = roots[tree].resolve()
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.resolve().is_relative_to(root):
            raise BackupError(f"نام فایل «{member.name}» بیرون از پوشهٔ رسانه‌ها می‌رود.")
        if not _extract_verified(tar, member, target, item["sha256"], exclusive=True):
            bad.append(member.name)
        os.utime(target, (member.mtime, member.mtime))
        done += 1
        size += member.size
        ticker.tick(lambda done=done: f"  {format_number(done)} از {format_number(total)} فایل")
    return done, size, bad


def _pending_migrations(connection) -> int:
    """How many of this code's migrations the restored database has not applied (raw SQL: the
    connection need not be one of settings.DATABASES)."""
    with connection.cursor() as cursor:
        applied = set()
        if "django_migrations" in _user_tables(connection, cursor):
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = {tuple(row) for row in cursor.fetchall()}
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return sum(
        1
        for key, migration in graph.nodes.items()
        if key not in applied
        and not (migration.replaces and all(tuple(r) in applied for r in migration.replaces))
    )


def restore_backup(
    archive,
    *,
    connection=None,
    media_roots: dict[str, Path] | None = None,
    progress: Progress = _silent,
    confirm: Callable[[str], bool] | None = None,
) -> RestoreResult:
    """Restore *archive* into the (empty) database *connection* and the (empty) media roots.

    Everything is checked before anything is written; *confirm* (given a Persian summary) may
    still say no. Raises :class:`BackupError`; a failure after the checks says what to empty.
    """
    started = time.monotonic()
    connection = connection or connections["default"]
    roots = configured_media_roots() if media_roots is None else dict(media_roots)
    with _open_archive(archive) as (tar, manifest):
        _check_target(manifest, connection, roots)
        _check_code_knows(manifest)
        _verify(tar, manifest, archive, progress)
        database = manifest["database"]
        rows = sum(database["tables"].values())
        summary = (
            f"نسخهٔ ساخته‌شده در {created_label(manifest)} "
            f"({format_number(rows)} ردیف در {format_number(len(database['tables']))} جدول، "
            f"{format_number(len(manifest['files']))} فایل) در پایگاه دادهٔ "
            f"{_database_label(connection)} و پوشه‌های "
            f"{'، '.join(f'«{roots[name]}»' for name in manifest['media']) or '-'} "
            "بازگردانده می‌شود."
        )
        if confirm is not None and not confirm(summary):
            raise BackupError("بازگردانی لغو شد. چیزی تغییر نکرد.")
        try:
            _restore_database(tar, manifest, connection, progress)
        except (OSError, DatabaseError) as error:
            raise BackupError(
                f"بازگردانی پایگاه داده ناکام ماند: {error}. پیش از کوشش دوباره پایگاه داده را "
                "خالی کنید."
            ) from error
        try:
            files, size, bad = _restore_files(tar, manifest, roots, progress)
        except (OSError, tarfile.TarError) as error:
            raise BackupError(
                f"بازگردانی فایل‌ها ناکام ماند: {error}. پایگاه داده بازگردانده شده است؛ پیش از "
                "کوشش دوباره پایگاه داده و پوشه‌های رسانه را خالی کنید."
            ) from error
    progress("سنجش شمار ردیف‌ها با فهرست …")
    mismatches = [f"فایل {name}: چکیده نمی‌خواند" for name in bad]
    with connection.cursor() as cursor:
        present = set(_user_tables(connection, cursor))
        for table, expected in sorted(database["tables"].items()):
            if table not in present:
                mismatches.append(f"جدول {table}: نیامد")
                continue
            got = _count_rows(cursor, [table])[table]
            if got != expected:
                mismatches.append(
                    f"جدول {table}: {format_number(got)} ردیف، در فهرست {format_number(expected)}"
                )
    pending = _pending_migrations(connection)
    return RestoreResult(
        manifest=manifest,
        seconds=time.monotonic() - started,
        tables=len(database["tables"]),
        rows=rows,
        files=files,
        bytes=size,
        mismatches=mismatches,
        pending_migrations=pending,
    )
