"""Load the demo data every app offers; running it twice changes nothing."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.caching import invalidate_public_pages

# Order matters: later apps point at rows the earlier ones made.
DEMO_APPS = ["neighbourhoods", "agencies", "news", "exhibition"]


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
        for label in DEMO_APPS:
            if not apps.is_installed(label):
                continue
            try:
                demo = import_module(f"{label}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{label}.demo":
                    raise
                continue
            with transaction.atomic():
                report = demo.seed(with_users=with_users, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"{label}: {report}"))
        # Demo rows are written in bulk, past the services: tell the page cache once.
        invalidate_public_pages()
