"""Load the demo data of every app; running it twice changes nothing.

Every row it creates is marked as demo data (demo/models.py), so that `manage.py purge_demo`
can remove exactly those rows before the portal goes live.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.caching import invalidate_public_pages
from demo import division, exhibition, households, news, places, program, targets

# Order matters: later parts point at rows the earlier ones made.
PARTS = [
    ("neighbourhoods", places),
    ("agencies", program),
    ("households", households),
    ("division of labour", division),
    ("targets", targets),
    ("news", news),
    ("exhibition", exhibition),
]


class Command(BaseCommand):
    help = "داده‌های نمایشی را بارگذاری می‌کند (بدون تکرار در اجرای دوباره)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="کاربران نمایشی ساخته نشوند (در حالت تولید همیشه ساخته نمی‌شوند).",
        )

    def handle(self, *args, **options):
        with_users = settings.DEBUG and not options["no_users"]
        for label, part in PARTS:
            with transaction.atomic():
                report = part.seed(with_users=with_users, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"{label}: {report}"))
        # Demo rows are written in bulk, past the services: tell the page cache once.
        invalidate_public_pages()
