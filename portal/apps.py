from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from taggit.apps import TaggitAppConfig

from core.jalali import format_datetime


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "درگاه محله"


# The libraries' apps under Persian names: the admin's index heads each app's models with its
# name, and «AXES» and «TAGGIT» were the only Latin words there.
class AxesConfig(AxesAppConfig):
    verbose_name = "ورودهای ناموفق و قفل حساب‌ها"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # axes's rows name themselves in English, with a Gregorian UTC time («Access Log for
        # admin @ 2026-12-04 18:45:09.873577+00:00»), wherever the admin names a row: its
        # title, breadcrumbs, the box a screen reader announces in the list, the delete page
        # and the admin's own log of what was deleted. Named here once, in Persian.
        AccessAttempt.__str__ = _attempt_name
        AccessLog.__str__ = _log_name
        AccessFailureLog.__str__ = _failure_name


def _attempt_name(row) -> str:
    return f"تلاش‌های ورود «{row.username}» از {format_datetime(row.attempt_time)}"


def _log_name(row) -> str:
    return f"ورود «{row.username}» در {format_datetime(row.attempt_time)}"


def _failure_name(row) -> str:
    return f"ورود ناموفق «{row.username}» در {format_datetime(row.attempt_time)}"


class TaggitConfig(TaggitAppConfig):
    verbose_name = "برچسب‌ها"
