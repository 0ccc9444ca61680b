"""`manage.py flush_view_counts`: move the article views counted in the cache to the database.

A page view only counts in the cache (news/view_counts.py); run this every few minutes on one
node (a systemd timer or cron, e.g. ``*/5 * * * * cd /srv/mahalleh/app && .venv/bin/python
manage.py flush_view_counts``). Until it runs, pages still show the current total.
"""

from django.core.management.base import BaseCommand

from core.digits import format_number
from news import view_counts


class Command(BaseCommand):
    help = (
        "بازدیدهای خبرها را که در حافظهٔ نهان شمرده شده‌اند در پایگاه داده می‌نویسد. "
        "هر چند دقیقه یک بار روی یک گره اجرا شود."
    )

    def handle(self, *args, **options):
        written = view_counts.flush_all()
        self.stdout.write(f"{format_number(written)} بازدید در پایگاه داده نوشته شد.")
