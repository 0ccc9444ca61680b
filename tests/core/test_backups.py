"""core/backups.py and `backup_portal` / `restore_portal`: a backup brings every row and file
back into an empty site, and a restore never writes over data or trusts a changed archive.

The tests that back up are transactional: pg_dump runs in another session and sees only
committed rows. The restore goes into a second database of the suite's vendor (a temporary
SQLite file, or ``<test database>_restore`` on PostgreSQL, dropped afterwards) and empty
temporary media folders.
"""

import copy
import hashlib
import io
import os
import re
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import load_backend

from agencies.access import SYSTEM
from core import backups as backups_module
from core.backups import MANIFEST_NAME, BackupError, create_backup, restore_backup
from news.services import article_save
from tests.factories import (
    make_article,
    make_comment,
    make_household,
    make_photo,
    make_record,
    make_user,
    small_image,
)

ROOT = Path(__file__).resolve().parents[2]
backs_up = pytest.mark.django_db(transaction=True)


# --- What is compared -----------------------------------------------------------------------


def quoted(db, name):
    return db.ops.quote_name(name)


def table_counts(db) -> dict[str, int]:
    """The row count of every table of *db*."""
    counts = {}
    with db.cursor() as cursor:
        for table in db.introspection.table_names(cursor):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {quoted(db, table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def sample_keys(db) -> dict[tuple[str, str], list]:
    """The first, a middle and the last primary key of every model table that has rows."""
    keys = {}
    with db.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(f"SELECT {quoted(db, pk)} FROM {quoted(db, table)} ORDER BY 1")  # noqa: S608
            values = [row[0] for row in cursor.fetchall()]
            if values:
                keys[(table, pk)] = sorted({values[0], values[len(values) // 2], values[-1]})
    return keys


def sample_rows(db, keys) -> dict[str, list[dict]]:
    """Every column of the rows *keys* name."""
    rows = {}
    with db.cursor() as cursor:
        for (table, pk), values in keys.items():
            marks = ", ".join(["%s"] * len(values))
            cursor.execute(
                f"SELECT * FROM {quoted(db, table)} WHERE {quoted(db, pk)} IN ({marks}) "  # noqa: S608
                f"ORDER BY {quoted(db, pk)}",
                values,
            )
            columns = [column[0] for column in cursor.description]
            rows[table] = [
                {
                    name: bytes(v) if isinstance(v, memoryview) else v
                    for name, v in zip(columns, r, strict=True)
                }
                for r in cursor.fetchall()
            ]
    return rows


def checksums(roots) -> dict[str, str]:
    """SHA-256 of every file under the media roots, by ``<root>/<relative path>``."""
    return {
        f"{name}/{path.relative_to(root).as_posix()}": hashlib.sha256(path.read_bytes()).hexdigest()
        for name, root in roots.items()
        if root.exists()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def media_roots(settings, media_root, tmp_path):
    """The public media root of this test and a private one beside it."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return {"media": Path(media_root), "private_media": Path(settings.PRIVATE_MEDIA_ROOT)}


@pytest.fixture
def site(media_roots):
    """Rows of the main kinds (a record and its places, an article with an image and a comment,
    an exhibition photo, a household with sealed identity, a user) and their files."""
    record = make_record()
    article = article_save(article=make_article(), user=SYSTEM, image=small_image())
    make_comment(article=article)
    make_photo()
    make_household(neighbourhood=record.house.neighbourhood)
    make_user()
    hidden = media_roots["private_media"] / "images" / "2025" / "11" / "hidden.jpg"
    hidden.parent.mkdir(parents=True)
    hidden.write_bytes(small_image().content)
    return media_roots


@pytest.fixture
def backups(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder


@pytest.fixture
def empty_roots(tmp_path, media_roots):
    return {name: tmp_path / "restored" / name for name in media_roots}


def _pg_admin(settings_dict, statement):
    import psycopg2
    from psycopg2 import sql

    params = {
        "dbname": "postgres",
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
    }
    admin = psycopg2.connect(**{key: value for key, value in params.items() if value})
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL(statement).format(sql.Identifier(settings_dict["NAME"])))
    finally:
        admin.close()


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the suite's vendor (no tables at all)."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "postgresql":
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restore"
        _pg_admin(settings_dict, "DROP DATABASE IF EXISTS {}")
        _pg_admin(settings_dict, "CREATE DATABASE {}")
    else:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    target = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "restore")
    yield target
    target.close()
    if connection.vendor == "postgresql":
        _pg_admin(settings_dict, "DROP DATABASE IF EXISTS {} WITH (FORCE)")


def rewritten(archive: Path, into: Path, change) -> Path:
    """A copy of *archive* with the first member *change* picks altered by one byte."""
    changed = None
    with tarfile.open(archive) as source, tarfile.open(into, "w", format=tarfile.PAX_FORMAT) as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if changed is None and change(member.name):
                data = bytes([data[0] ^ 0xFF]) + data[1:]
                changed = member.name
            out.addfile(member, io.BytesIO(data))
    assert changed is not None
    return into


# --- The round trip -------------------------------------------------------------------------


@backs_up
def test_round_trip_brings_back_every_row_and_file(site, backups, empty_database, empty_roots):
    counts = table_counts(connection)
    keys = sample_keys(connection)
    rows = sample_rows(connection, keys)
    files = checksums(site)
    assert {"news_article", "exhibition_photo", "agencies_household"} <= {t for t, _ in keys}
    for folder in ("media/news/", "media/exhibition/photos/"):  # an original and renditions
        assert sum(name.startswith(folder) for name in files) >= 2
    assert "private_media/images/2025/11/hidden.jpg" in files

    result = create_backup(backups)

    assert re.fullmatch(r"mahalleh-\d{8}T\d{6}Z\.tar", result.path.name)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert os.listdir(backups) == [result.path.name]  # no partial file or work folder left
    assert result.manifest["database"]["tables"] == counts
    assert result.manifest["database"]["vendor"] == connection.vendor
    assert result.manifest["database"]["migrations"]["news"]
    assert {f["path"]: f["sha256"] for f in result.manifest["files"]} == files

    restored = restore_backup(result.path, connection=empty_database, media_roots=empty_roots)

    assert restored.mismatches == []
    assert table_counts(empty_database) == counts
    assert sample_rows(empty_database, keys) == rows
    assert checksums(empty_roots) == files
    assert (restored.files, restored.pending_migrations) == (len(files), 0)


@backs_up
def test_commands_back_up_and_check_an_archive(site, backups):
    out, err = io.StringIO(), io.StringIO()
    call_command("backup_portal", str(backups), stdout=out, stderr=err)

    (archive,) = backups.iterdir()
    assert f"نسخهٔ پشتیبان نوشته شد: {archive}" in out.getvalue()
    assert "رسانه‌ها" in err.getvalue()  # progress goes to stderr
    checked = io.StringIO()
    call_command("restore_portal", str(archive), "--check", stdout=checked)
    assert "نسخهٔ پشتیبان سالم است" in checked.getvalue()


@backs_up
def test_a_file_moved_to_the_private_tree_meanwhile_is_taken_from_there(site, backups, monkeypatch):
    moved = []

    def add_file_after_a_move(tar, path, member, mode=0o644):
        if member.startswith("media/exhibition/photos/") and not moved:
            # The photo's consent is withdrawn between the listing and the copy.
            relative = path.relative_to(site["media"])
            target = site["private_media"] / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            moved.append(relative.as_posix())
        return add_file(tar, path, member, mode)

    add_file = backups_module._add_file
    monkeypatch.setattr(backups_module, "_add_file", add_file_after_a_move)

    result = create_backup(backups)

    names = {f["path"] for f in result.manifest["files"]}
    assert f"private_media/{moved[0]}" in names
    assert f"media/{moved[0]}" not in names
    assert result.vanished == []


@backs_up
def test_media_in_object_storage_are_left_out_with_a_warning(site, backups, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }

    result = create_backup(backups)

    assert "فضای ذخیرهٔ بیرونی" in result.notes[0]
    assert {f["path"].split("/")[0] for f in result.manifest["files"]} == {"private_media"}


# --- Refusals: nothing changes --------------------------------------------------------------


@backs_up
def test_restore_refuses_a_database_with_rows_and_changes_nothing(site, backups):
    archive = create_backup(backups).path
    counts, files = table_counts(connection), checksums(site)

    with pytest.raises(CommandError) as refused:
        call_command("restore_portal", str(archive), "--yes")

    message = str(refused.value)
    assert "خالی نیست" in message and "چیزی تغییر نکرد" in message
    assert message.startswith(
        f"پایگاه دادهٔ {'PostgreSQL' if connection.vendor == 'postgresql' else 'SQLite'}"
    )
    assert table_counts(connection) == counts
    assert checksums(site) == files


@backs_up
def test_restore_refuses_media_folders_with_files(site, backups, empty_database, empty_roots):
    archive = create_backup(backups).path
    left = empty_roots["media"] / "left-over.txt"
    left.parent.mkdir(parents=True)
    left.write_text("x")

    with pytest.raises(BackupError, match=r"پوشهٔ رسانه‌های .* خالی نیست"):
        restore_backup(archive, connection=empty_database, media_roots=empty_roots)

    assert table_counts(empty_database) == {}
    assert list(checksums(empty_roots)) == ["media/left-over.txt"]


@backs_up
def test_a_restore_the_operator_declines_changes_nothing(
    site, backups, empty_database, empty_roots
):
    archive = create_backup(backups).path
    asked = []

    with pytest.raises(BackupError, match="لغو شد"):
        restore_backup(
            archive,
            connection=empty_database,
            media_roots=empty_roots,
            confirm=lambda summary: asked.append(summary) or False,
        )

    assert "بازگردانده می‌شود" in asked[0]
    assert table_counts(empty_database) == {}
    assert checksums(empty_roots) == {}


@backs_up
@pytest.mark.parametrize("part", ["media/", "database/"])
def test_a_changed_file_is_refused_by_its_checksum(
    part, site, backups, empty_database, empty_roots, tmp_path
):
    archive = create_backup(backups).path
    tampered = rewritten(archive, tmp_path / "tampered.tar", lambda name: name.startswith(part))

    with pytest.raises(BackupError, match=r"چکیدهٔ .* نمی‌خواند"):
        restore_backup(tampered, connection=empty_database, media_roots=empty_roots)
    with pytest.raises(CommandError, match="دست‌خورده"):
        call_command("restore_portal", str(tampered), "--check")

    assert table_counts(empty_database) == {}
    assert checksums(empty_roots) == {}


@backs_up
def test_a_file_added_to_the_archive_is_refused(site, backups, tmp_path):
    archive = create_backup(backups).path
    extra = tmp_path / "extra.tar"
    with tarfile.open(archive) as source, tarfile.open(extra, "w") as out:
        for member in source.getmembers():
            out.addfile(member, source.extractfile(member))
        planted = tarfile.TarInfo("media/planted.html")
        planted.size = 4
        out.addfile(planted, io.BytesIO(b"<p/>"))

    with pytest.raises(CommandError, match="در فهرست آن نیست"):
        call_command("restore_portal", str(extra), "--check")


def test_missing_or_foreign_paths_are_persian_command_errors(tmp_path, media_root):
    with pytest.raises(CommandError, match=r"پوشهٔ مقصد .* پیدا نشد"):
        call_command("backup_portal", str(tmp_path / "nowhere"))
    inside_media = media_root / "backups"
    inside_media.mkdir(parents=True)
    with pytest.raises(CommandError, match="درون پوشهٔ رسانه‌ها"):
        call_command("backup_portal", str(inside_media))
    with pytest.raises(CommandError, match=r"فایل پشتیبان .* پیدا نشد"):
        call_command("restore_portal", str(tmp_path / "none.tar"), "--yes")
    not_tar = tmp_path / "notes.tar"
    not_tar.write_text("یادداشت")
    with pytest.raises(CommandError, match="نسخهٔ پشتیبان سالم درگاه نیست"):
        call_command("restore_portal", str(not_tar), "--yes")
    no_manifest = tmp_path / "other.tar"
    with tarfile.open(no_manifest, "w") as out:
        out.addfile(tarfile.TarInfo("readme.txt"), io.BytesIO())
    with pytest.raises(CommandError, match=f"فهرست \\({MANIFEST_NAME}\\) ندارد"):
        call_command("restore_portal", str(no_manifest), "--check")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args", [["backup_portal", "nowhere"], ["restore_portal", "none.tar", "--yes"]]
)
def test_a_missing_path_from_the_shell_is_one_persian_line(args, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env |= {
        "DJANGO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    command, path, *rest = args
    result = subprocess.run(
        [sys.executable, "manage.py", command, str(tmp_path / path), *rest],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("CommandError: ") and "پیدا نشد" in result.stderr
