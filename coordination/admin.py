from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coordination.models import FindingReview, Responsibility, Target
from core.admin import PublicContentAdminMixin


@admin.register(Responsibility)
class ResponsibilityAdmin(PublicContentAdminMixin, SimpleHistoryAdmin):
    """Who leads each domain in each neighbourhood; the public neighbourhood page shows it."""

    list_display = ["neighbourhood", "domain", "lead"]
    list_filter = ["domain", "lead", "neighbourhood__city"]
    list_select_related = ["neighbourhood__city", "domain", "lead"]
    search_fields = ["neighbourhood__name", "neighbourhood__code"]
    filter_horizontal = ["supporters"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "neighbourhood", "domain", "agency", "measure", "value"]
    list_filter = ["year", "domain", "measure", "agency"]
    list_select_related = ["neighbourhood__city", "domain", "agency"]
    search_fields = ["neighbourhood__name", "neighbourhood__code"]


@admin.register(FindingReview)
class FindingReviewAdmin(SimpleHistoryAdmin):
    list_display = ["key", "kind", "verdict", "reviewed_by", "reviewed_at"]
    list_filter = ["kind", "verdict"]
    readonly_fields = ["reviewed_at"]
