"""`manage.py rotate_identity_keys`: seal every national ID and name again with the newest
encryption key and compute every hash again with the current hash key (docs/privacy.md,
"Changing the keys"). `--new-key` prints a fresh encryption key and changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from agencies.household_services import households_rotate_keys
from core.crypto import new_encryption_key
from core.digits import format_number


class Command(BaseCommand):
    help = (
        "کدهای ملی و نام‌های خانوارها را با تازه‌ترین کلید رمزگذاری دوباره مهر می‌کند و درهم‌سازی "
        "کدها را با کلید کنونی از نو می‌سازد؛ با --new-key فقط یک کلید تازه چاپ می‌کند."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="یک کلید رمزگذاری تازه چاپ کن (برای آغاز فهرست DJANGO_IDENTITY_ENCRYPTION_KEYS).",
        )
        parser.add_argument("--batch", type=int, default=500, help="شمار ردیف‌ها در هر دسته")

    def handle(self, *args, **options):
        if options["new_key"]:
            self.stdout.write(new_encryption_key())
            return
        if options["batch"] < 1:
            raise CommandError("اندازهٔ دسته باید دست‌کم ۱ باشد.")

        def progress(done, total):
            self.stdout.write(f"{format_number(done)} از {format_number(total)}", ending="\r")

        report = households_rotate_keys(batch=options["batch"], progress=progress)
        self.stdout.write("")
        self.stdout.write(
            f"{format_number(report.households)} خانوار و {format_number(report.members)} کد ملی "
            "عضو با کلیدهای کنونی دوباره مهر شد."
        )
        if report.unreadable:
            raise CommandError(
                f"{format_number(report.unreadable)} مقدار با هیچ‌یک از کلیدهای کنونی باز نشد و "
                "دست نخورد؛ کلید قدیمی را به پایان DJANGO_IDENTITY_ENCRYPTION_KEYS برگردانید و "
                "دوباره اجرا کنید."
            )
