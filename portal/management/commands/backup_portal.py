"""`manage.py backup_portal DEST_DIR`: one archive of the database and the media.

Writes ``DEST_DIR/mahalleh-<UTC time>.tar`` (core/backups.py says what is inside and why it is
consistent). Progress goes to stderr, the result to stdout; with ``-v 0`` only failures are
printed, which suits cron. The identity keys are not in the archive (docs/privacy.md).
"""

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, create_backup, human_seconds, human_size
from core.digits import format_number


class Command(BaseCommand):
    help = (
        "از پایگاه داده و رسانه‌ها یک نسخهٔ پشتیبان سازگار در یک فایل می‌سازد "
        "(mahalleh-<زمان>.tar در پوشهٔ مقصد). کلیدهای شناسه در آن نیست."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest_dir", help="پوشه‌ای که فایل پشتیبان در آن نوشته می‌شود")

    def handle(self, *args, **options):
        verbose = options["verbosity"] >= 1
        try:
            result = create_backup(
                options["dest_dir"], progress=self._progress if verbose else _quiet
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for member in result.vanished:
            self.stderr.write(
                f"هشدار: «{member}» در میانهٔ کار پاک شد (ردیفش پس از برداشت پایگاه داده پاک یا "
                "جایگزین شده بود) و در نسخه نیست."
            )
        for note in result.notes:
            self.stderr.write(f"هشدار: {note}")
        for member in result.skipped:
            self.stderr.write(f"هشدار: «{member}» فایل معمولی نیست (پیوند نمادین) و کنار ماند.")
        if not verbose:
            return
        self.stdout.write(self.style.SUCCESS(f"نسخهٔ پشتیبان نوشته شد: {result.path}"))
        self.stdout.write(
            f"{format_number(result.rows)} ردیف در {format_number(result.tables)} جدول، "
            f"{format_number(result.files)} فایل رسانه؛ {human_size(result.size)} در "
            f"{human_seconds(result.seconds)}."
        )

    def _progress(self, message):
        self.stderr.write(message, style_func=_plain)


def _plain(text):
    return text


def _quiet(message):
    pass
