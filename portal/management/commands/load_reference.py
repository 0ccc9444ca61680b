"""`manage.py load_reference`: the reference data every installation needs, loaded once.

The province, its counties and cities, the four agencies with their houses' names, the six
domains and their service types, and the news categories. Idempotent and in one transaction:
a second run creates nothing, and an interrupted run leaves nothing half-loaded. No
neighbourhood, record, article or user is made (the real neighbourhood list is imported; demo
data is `seed_demo`'s).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from agencies.reference import load_program
from core.caching import invalidate_public_pages
from core.digits import to_persian_digits
from neighbourhoods.reference import load_places
from news.reference import load_categories


class Command(BaseCommand):
    help = (
        "داده‌های پایهٔ هر نصب را بارگذاری می‌کند: استان، شهرستان‌ها و شهرها، چهار دستگاه، "
        "شش حوزه و انواع خدمت، دسته‌های خبر. اجرای دوباره چیزی را تغییر نمی‌دهد."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            created = load_places() | load_program() | load_categories()
        made = {label: count for label, count in created.items() if count}
        if not made:
            self.stdout.write("داده‌های پایه از پیش بارگذاری شده بود؛ چیزی تغییر نکرد.")
            return
        invalidate_public_pages()
        summary = "، ".join(f"{to_persian_digits(count)} {label}" for label, count in made.items())
        self.stdout.write(self.style.SUCCESS(f"ساخته شد: {summary}."))
