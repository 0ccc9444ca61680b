from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agencies.models import (
    Agency,
    House,
    ServiceDomain,
    ServiceRecord,
    ServiceType,
    StaffMembership,
)
from core.admin import JalaliDateAdminMixin
from core.jalali import format_date, format_datetime


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "house_name", "name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "short_name", "house_name", "slug"]


@admin.register(House)
class HouseAdmin(JalaliDateAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "agency", "neighbourhood", "manager_name", "opened", "is_active"]
    list_filter = ["agency", "is_active", "neighbourhood__city"]
    search_fields = ["neighbourhood__name", "neighbourhood__code", "manager_name", "address"]
    list_select_related = ["agency", "neighbourhood__city"]
    autocomplete_fields = ["neighbourhood"]

    @admin.display(description="تاریخ گشایش", ordering="opened_on")
    def opened(self, house):
        return format_date(house.opened_on)


class ServiceTypeInline(admin.TabularInline):
    model = ServiceType
    extra = 0
    prepopulated_fields = {}


@admin.register(ServiceDomain)
class ServiceDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    inlines = [ServiceTypeInline]


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "slug", "is_active"]
    list_filter = ["domain", "is_active"]
    search_fields = ["name", "slug"]
    list_select_related = ["domain"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(JalaliDateAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "service_type",
        "house",
        "delivered",
        "beneficiaries",
        "households",
        "cost_rials",
        "created_by",
        "is_deleted",
    ]
    list_filter = [
        "house__agency",
        "service_type__domain",
        "jalali_year",
        "house__neighbourhood__city",
        ("deleted_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["notes", "house__neighbourhood__name", "service_type__name"]
    list_select_related = [
        "service_type",
        "house__agency",
        "house__neighbourhood__city",
        "created_by",
    ]
    autocomplete_fields = ["house", "service_type"]
    readonly_fields = ["jalali", "created_by", "created_stamp", "version", "deleted_at"]

    @admin.display(description="تاریخ ارائه", ordering="delivered_on")
    def delivered(self, record):
        return format_date(record.delivered_on)

    @admin.display(description="تاریخ شمسی")
    def jalali(self, record):
        return format_date(record.delivered_on, "long")

    @admin.display(description="زمان ثبت")
    def created_stamp(self, record):
        return format_datetime(record.created_at)

    @admin.display(description="حذف‌شده", boolean=True)
    def is_deleted(self, record):
        return record.is_deleted

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        elif form.changed_data:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["cities"]
