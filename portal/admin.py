"""django-axes's login records in the admin, in Persian like the other admins: Jalali times,
Persian digits and the Jalali date filter. Its Gregorian drill-down by year and month
(``date_hierarchy``) is left out; the Jalali filter on the attempt time does that job. The
words axes's Persian catalogue lacks («Locked Out», «Attempt Remaining») are written here."""

from axes.admin import (
    AccessAttemptAdmin,
    AccessFailureLogAdmin,
    AccessLogAdmin,
    IsLockedOutFilter,
)
from axes.conf import settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from core.admin import PersianAdminMixin
from core.digits import to_persian_digits


class LockedOutFilter(IsLockedOutFilter):
    title = "قفل شدن"


class PersianAccessAttemptAdmin(PersianAdminMixin, AccessAttemptAdmin):
    date_hierarchy = None
    list_filter = [
        LockedOutFilter if entry is IsLockedOutFilter else entry
        for entry in AccessAttemptAdmin.list_filter
    ]

    @admin.display(description="وضعیت")
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"{to_persian_digits(left)} تلاش مانده" if left > 0 else "قفل‌شده"


class PersianAccessLogAdmin(PersianAdminMixin, AccessLogAdmin):
    date_hierarchy = None


class PersianAccessFailureLogAdmin(PersianAdminMixin, AccessFailureLogAdmin):
    date_hierarchy = None


for model, persian_admin in [
    (AccessAttempt, PersianAccessAttemptAdmin),
    (AccessLog, PersianAccessLogAdmin),
    (AccessFailureLog, PersianAccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):  # AXES_ENABLE_ADMIN may keep them out
        admin.site.unregister(model)
        admin.site.register(model, persian_admin)
