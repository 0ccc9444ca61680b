"""`manage.py erase_expired_consents`: remove the identity of every household whose consent has
ended. Run it once a day (cron or a systemd timer, docs/going-live.md); each removal is written
to the access log. The counts, flags and links of the households stay."""

from django.core.management.base import BaseCommand

from agencies.household_services import households_erase_expired
from core.digits import format_number


class Command(BaseCommand):
    help = (
        "نام و کد ملی خانوارهایی را که رضایتشان به پایان رسیده پاک می‌کند؛ شمار اعضا و "
        "خدمت‌های گرفته‌شده می‌ماند. هر روز یک بار اجرا شود."
    )

    def handle(self, *args, **options):
        erased = households_erase_expired()
        if erased:
            self.stdout.write(
                f"نام و کد ملی {format_number(erased)} خانوار پس از پایان رضایتشان پاک شد."
            )
        else:
            self.stdout.write("رضایت هیچ خانواری به پایان نرسیده است؛ چیزی پاک نشد.")
