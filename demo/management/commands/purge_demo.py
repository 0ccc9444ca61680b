"""`manage.py purge_demo [--apply]`: remove everything seed_demo made, before going live."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.access import SYSTEM
from core.digits import format_number
from demo.purge import purge_demo_data


class Command(BaseCommand):
    help = (
        "دادهٔ نمایشی (هر آنچه seed_demo ساخته است) را با تاریخچه و پرونده‌های تصویرش پاک "
        "می‌کند و دادهٔ پایه و دادهٔ واقعی را نگه می‌دارد. بدون --apply فقط گزارش می‌دهد چه "
        "پاک خواهد شد."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply",
            action="store_true",
            help="پاک کن؛ بدون آن فقط بررسی می‌شود و چیزی تغییر نمی‌کند.",
        )

    def handle(self, *args, **options):
        apply = options["apply"]
        try:
            plan = purge_demo_data(user=SYSTEM, apply=apply)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        if plan.is_empty:
            self.stdout.write("دادهٔ نمایشی‌ای در سامانه نیست؛ چیزی برای پاک کردن نمانده است.")
            self._notes(plan)
            return
        if apply:
            self.stdout.write(self.style.SUCCESS("دادهٔ نمایشی پاک شد:"))
        else:
            self.stdout.write("بررسی بدون پاک کردن؛ چیزی تغییر نکرد. با --apply این‌ها پاک می‌شود:")
        for line in plan.summary_lines():
            self.stdout.write(f"  {line}")
        self._notes(plan)
        if plan.blockers:
            raise CommandError(plan.refusal())
        if apply:
            self.stdout.write("صفحه‌های عمومیِ ذخیره‌شده کهنه شدند و دوباره ساخته می‌شوند.")
            if not get_user_model().objects.filter(is_superuser=True, is_active=True).exists():
                self.stdout.write(
                    "مدیر کلی‌ای نمانده است؛ با «python manage.py createsuperuser» یکی بسازید."
                )
        else:
            self.stdout.write("برای پاک کردن: python manage.py purge_demo --apply")

    def _notes(self, plan):
        if plan.adopted_neighbourhoods:
            self.stdout.write(
                f"{format_number(plan.adopted_neighbourhoods)} محله‌ای که seed_demo ساخته بود "
                "با فهرست واقعی محله‌ها به‌روز شده و دیگر نمایشی نیست؛ این محله‌ها می‌مانند."
            )
        if plan.unmarked_demo_neighbourhoods:
            self.stdout.write(
                f"{format_number(plan.unmarked_demo_neighbourhoods)} محله نشان «نمایشی» دارد "
                "ولی seed_demo آن را نساخته است (یا پیش از نشان‌گذاری دادهٔ نمایشی ساخته شده)؛ "
                "purge_demo به آن دست نمی‌زند. اگر لازم نیست، در مدیریت سامانه حذفش کنید."
            )
