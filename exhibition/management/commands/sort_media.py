"""`manage.py sort_media`: put every exhibition file in the media tree its row calls for.

Once after upgrading to the private media tree (files stored before it all lie in MEDIA_ROOT),
and whenever a move may have been interrupted; running it again moves nothing.  See
core/media.py and exhibition/media.py.
"""

from django.core.management.base import BaseCommand, CommandError

from core.digits import format_number
from core.media import Placement, private_root
from exhibition.media import sort_everything

LABELS = {"photos": "عکس‌های آثار", "covers": "جلد نمایشگاه‌ها"}


class Command(BaseCommand):
    help = (
        "پرونده‌های عکس‌ها و جلدهای نمایشگاه را به پوشهٔ درستشان می‌برد: آنچه بازدیدکننده "
        "می‌بیند به پوشهٔ عمومی، و عکسِ بی‌رضایت یا منتشرنشده به پوشهٔ خصوصی. تکرارش چیزی را "
        "جابه‌جا نمی‌کند."
    )

    def handle(self, *args, **options):
        results = sort_everything()
        total = sum(results.values(), Placement())
        self.stdout.write(f"پوشهٔ خصوصی: {private_root()}")
        for key, result in results.items():
            self.stdout.write(
                f"  {LABELS[key]}: {format_number(result.made_private)} پرونده به پوشهٔ خصوصی، "
                f"{format_number(result.made_public)} به پوشهٔ عمومی، "
                f"{format_number(result.in_place)} از پیش در جای خود، "
                f"{format_number(result.missing)} پیدا نشد"
            )
        if total.missing:
            self.stdout.write(
                self.style.WARNING(
                    f"{format_number(total.missing)} پرونده در هیچ‌یک از دو پوشه نیست؛ "
                    "پشتیبان پوشهٔ رسانه را بررسی کنید."
                )
            )
        if total.moved:
            self.stdout.write(self.style.SUCCESS(f"{format_number(total.moved)} پرونده جابه‌جا شد."))
        elif not total.failed:
            self.stdout.write("همهٔ پرونده‌ها در جای درستشان بودند؛ چیزی جابه‌جا نشد.")
        if total.failed:
            raise CommandError(
                f"{format_number(total.failed)} پرونده جابه‌جا نشد (گزارش خطا را ببینید: "
                "دسترسی پوشه یا فضای دیسک)؛ پس از رفع آن دوباره اجرا کنید."
            )
