"""`manage.py import_neighbourhoods FILE [--apply]`: the neighbourhood import from a shell.

It lives in the program layer, with the import pages, because loading the list also creates
each neighbourhood's houses (agencies/neighbourhood_import.py).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.access import SYSTEM
from agencies.neighbourhood_import import neighbourhood_list_import
from core.digits import to_persian_digits
from neighbourhoods.importer import MAX_FILE_BYTES, Action


class Command(BaseCommand):
    help = (
        "فهرست محله‌ها (و خانه‌های هر محله) را از فایل CSV یا XLSX می‌خواند و گزارش می‌دهد هر "
        "ردیف چه می‌شود؛ با --apply همهٔ ردیف‌ها با هم ذخیره می‌شوند (یا هیچ‌کدام)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="مسیر فایل CSV (UTF-8) یا XLSX")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="ذخیره کن؛ بدون آن فقط بررسی می‌شود و چیزی تغییر نمی‌کند.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"فایل «{path}» پیدا نشد.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError("حجم فایل بیش از حد مجاز است.")
        report = neighbourhood_list_import(
            data=path.read_bytes(), filename=path.name, apply=options["apply"], user=SYSTEM
        )
        for row in report.rows:
            self._write_row(row)
        if not report.is_valid:
            message = report.file_error or f"{report.summary()}."
            if "چیزی ذخیره نشد" not in message:
                message += " چیزی ذخیره نشد."
            raise CommandError(message)
        if report.applied and report.has_changes:
            self.stdout.write(self.style.SUCCESS(f"ذخیره شد: {report.summary()}."))
        elif report.applied:
            self.stdout.write(f"فهرست همین است؛ چیزی تغییر نکرد: {report.summary()}.")
        else:
            self.stdout.write(f"بررسی بدون ذخیره: {report.summary()}.")
            if report.has_changes:
                self.stdout.write("برای ذخیره، فرمان را با --apply دوباره اجرا کنید.")
        if report.demo_left:
            self.stdout.write(
                f"{to_persian_digits(report.demo_left)} محلهٔ نمایشی در این فایل نیامده "
                "و در سامانه می‌ماند."
            )

    def _write_row(self, row):
        cells = row.cells
        line = (
            f"ردیف {to_persian_digits(row.line)} | {row.action_label} | "
            f"{cells.get('code', '')} | {cells.get('name', '')} | {cells.get('city', '')}"
        )
        if row.action == Action.ERROR:
            self.stdout.write(self.style.ERROR(line))
            for error in row.errors:
                self.stdout.write(f"    - {error}")
            return
        self.stdout.write(line)
        for change in [*row.changes, *row.extra_changes]:
            self.stdout.write(f"    {change.label}: {change.old} ← {change.new}")
        if row.extra_created:
            self.stdout.write(f"    خانه‌های تازه: {'، '.join(row.extra_created)}")
