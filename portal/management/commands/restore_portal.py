"""`manage.py restore_portal ARCHIVE [--yes] [--check]`: a backup back into an empty site.

Restores an archive of `backup_portal` into the configured database and media folders, which
must be empty (no table with a row, no file): nothing is ever written over live data. Every
checksum is checked before anything is written; afterwards the row count of every table is
compared with the archive's manifest. ``--check`` only checks the archive. How to empty the
database and the folders first: docs/operations.md, Backups.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from core.backups import (
    BackupError,
    created_label,
    human_seconds,
    human_size,
    restore_backup,
    verify_archive,
)
from core.caching import invalidate_public_pages
from core.digits import format_number

YES_ANSWERS = {"بله", "آری", "yes", "y"}


class Command(BaseCommand):
    help = (
        "نسخهٔ پشتیبان ساختهٔ backup_portal را در پایگاه دادهٔ خالی و پوشه‌های رسانهٔ خالی "
        "بازمی‌گرداند و شمار ردیف‌ها را با فهرست آن می‌سنجد. با --check فقط نسخه را می‌سنجد."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="مسیر فایل mahalleh-….tar")
        parser.add_argument(
            "--yes", action="store_true", help="بدون پرسیدن بازگردانی کن (برای اسکریپت‌ها)"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="فقط چکیده‌های نسخه را بسنج؛ چیزی نوشته نمی‌شود.",
        )

    def handle(self, *args, **options):
        progress = self._progress if options["verbosity"] >= 1 else _quiet
        try:
            if options["check"]:
                manifest = verify_archive(options["archive"], progress=progress)
                self.stdout.write(
                    self.style.SUCCESS(
                        "نسخهٔ پشتیبان سالم است: "
                        f"{format_number(sum(manifest['database']['tables'].values()))} ردیف، "
                        f"{format_number(len(manifest['files']))} فایل، ساخته‌شده در "
                        f"{created_label(manifest)}."
                    )
                )
                return
            confirm = None if options["yes"] else self._confirm
            result = restore_backup(options["archive"], progress=progress, confirm=confirm)
        except BackupError as error:
            raise CommandError(str(error)) from error
        try:
            invalidate_public_pages()  # pages cached before the restore must not be served
        except Exception as error:  # the data is back; a cache that is down is only a warning
            self.stderr.write(f"هشدار: صفحه‌های در حافظهٔ نهان کهنه نشدند ({error}).")
        if result.mismatches:
            raise CommandError(
                "بازگردانی انجام شد ولی با فهرست نمی‌خواند:\n"
                + "\n".join(f"  - {line}" for line in result.mismatches)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"بازگردانده شد: {format_number(result.rows)} ردیف در "
                f"{format_number(result.tables)} جدول و {format_number(result.files)} فایل "
                f"({human_size(result.bytes)}) در {human_seconds(result.seconds)}؛ شمار ردیف‌های "
                "همهٔ جدول‌ها و چکیدهٔ همهٔ فایل‌ها با فهرست می‌خواند."
            )
        )
        if result.pending_migrations:
            self.stdout.write(
                f"این کد {format_number(result.pending_migrations)} مهاجرت تازه‌تر از نسخهٔ "
                "پشتیبان دارد: اکنون manage.py migrate را اجرا کنید."
            )

    def _confirm(self, summary):
        if not sys.stdin.isatty():
            raise BackupError(
                "برای بازگردانی بی‌پرسش (در اسکریپت یا cron) --yes بدهید. چیزی تغییر نکرد."
            )
        self.stdout.write(summary)
        answer = input("ادامه می‌دهید؟ (بله/خیر) ").strip().lower()
        return answer in YES_ANSWERS

    def _progress(self, message):
        self.stderr.write(message, style_func=_plain)


def _plain(text):
    return text


def _quiet(message):
    pass
