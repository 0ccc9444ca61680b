"""The admins of Django's accounts and of django-axes's login records, in Persian like the
other admins: Jalali times, Persian digits and the Jalali date filter.

Users and groups: the permissions listed by what they allow in Persian (Django stores the
default ones' names in English), the account's dates shown in Jalali rather than typed in
Gregorian. axes: its Gregorian drill-down by year and month (``date_hierarchy``) is left out;
the Jalali filter on the attempt time does that job. The words axes's Persian catalogue lacks
(«Locked Out», «Attempt Remaining») are written here."""

from axes.admin import (
    AccessAttemptAdmin,
    AccessFailureLogAdmin,
    AccessLogAdmin,
    IsLockedOutFilter,
)
from axes.conf import settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from core.admin import PersianAdminMixin, permission_label
from core.digits import to_persian_digits
from core.jalali import format_datetime


class PermissionLabelsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_label
        return field


class PersianUserAdmin(PermissionLabelsMixin, PersianAdminMixin, UserAdmin):
    fieldsets = [
        *UserAdmin.fieldsets[:-1],
        (UserAdmin.fieldsets[-1][0], {"fields": ["last_login_shown", "date_joined_shown"]}),
    ]
    readonly_fields = ["last_login_shown", "date_joined_shown"]

    @admin.display(description="آخرین ورود")
    def last_login_shown(self, user):
        return format_datetime(user.last_login) if user.last_login else "هنوز وارد نشده"

    @admin.display(description="تاریخ ساخت حساب")
    def date_joined_shown(self, user):
        return format_datetime(user.date_joined)


class PersianGroupAdmin(PermissionLabelsMixin, PersianAdminMixin, GroupAdmin):
    pass


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
    (User, PersianUserAdmin),
    (Group, PersianGroupAdmin),
    (AccessAttempt, PersianAccessAttemptAdmin),
    (AccessLog, PersianAccessLogAdmin),
    (AccessFailureLog, PersianAccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):  # AXES_ENABLE_ADMIN may keep axes's out
        admin.site.unregister(model)
        admin.site.register(model, persian_admin)
