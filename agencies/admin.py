from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from agencies.access import ScopedAdminMixin, scope_for
from agencies.household_forms import ConsentDatesMixin
from agencies.household_services import household_erase_identity, household_update
from agencies.models import (
    Agency,
    CoordinationRules,
    House,
    Household,
    HouseholdAccess,
    ServiceDomain,
    ServiceRecord,
    ServiceType,
    StaffMembership,
)
from agencies.record_history import TRACKED_FIELDS
from agencies.services import (
    service_record_check,
    service_record_create,
    service_record_delete,
    service_record_restore,
    service_record_update,
    service_records_approve,
)
from core.admin import (
    JalaliDateAdminMixin,
    PersianAdminMixin,
    PersianHistoryAdmin,
    PersianModelAdmin,
    PublicContentAdminMixin,
    yes_no_icon,
)
from core.digits import to_persian_digits
from core.jalali import format_date, format_datetime


@admin.register(Agency)
class AgencyAdmin(PublicContentAdminMixin, PersianModelAdmin):
    list_display = ["short_name", "house_name", "name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "short_name", "house_name", "slug"]


@admin.register(House)
class HouseAdmin(PublicContentAdminMixin, JalaliDateAdminMixin, PersianHistoryAdmin):
    list_display = ["__str__", "agency", "neighbourhood", "manager_name", "opened", "is_active"]
    list_filter = ["agency", "is_active", "neighbourhood__city"]
    search_fields = ["neighbourhood__name", "neighbourhood__code", "manager_name", "address"]
    list_select_related = ["agency", "neighbourhood__city"]
    autocomplete_fields = ["neighbourhood"]

    @admin.display(description="تاریخ گشایش", ordering="opened_on")
    def opened(self, house):
        return format_date(house.opened_on)


class ServiceTypeInline(PersianAdminMixin, admin.TabularInline):
    model = ServiceType
    extra = 0
    prepopulated_fields = {}


@admin.register(ServiceDomain)
class ServiceDomainAdmin(PublicContentAdminMixin, PersianModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    inlines = [ServiceTypeInline]


@admin.register(ServiceType)
class ServiceTypeAdmin(PublicContentAdminMixin, PersianModelAdmin):
    list_display = ["name", "domain", "slug", "is_active"]
    list_filter = ["domain", "is_active"]
    search_fields = ["name", "slug"]
    list_select_related = ["domain"]


class ServiceRecordAdminForm(forms.ModelForm):
    """The admin's record form, held to the panel's rules: the house must be in the admin's
    scope and open, the date within the program, and an edit must start from the stored
    version, so a save from a stale page never overwrites someone's newer edit."""

    version = forms.IntegerField(label="نسخه", widget=forms.HiddenInput, required=False)

    class Meta:
        model = ServiceRecord
        fields = list(TRACKED_FIELDS)

    user = None  # the signed-in admin, set by ServiceRecordAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            stored = ServiceRecord.objects.filter(pk=self.instance.pk).first()
            if stored is not None and cleaned.get("version") != stored.version:
                raise ValidationError(STALE_MESSAGE)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                service_record_check(record=self.instance, user=self.user)
            except ValidationError as error:
                self._update_errors(error)


STALE_MESSAGE = (
    "ذخیره نشد: این خدمت پس از باز شدن این صفحه در جای دیگری ویرایش یا حذف شده است. "
    "صفحه را دوباره باز کنید تا مقدارهای تازه را ببینید، سپس دوباره ویرایش کنید."
)


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ScopedAdminMixin, JalaliDateAdminMixin, PersianHistoryAdmin):
    """Records in the admin go through the same services as the panel: version check, date
    rules and scope on save, and deleting is the panel's soft delete, undone by "restore"."""

    form = ServiceRecordAdminForm
    list_display = [
        "service_type",
        "house",
        "delivered",
        "beneficiaries",
        "households",
        "cost_rials",
        "created_by",
        "status",
        "is_deleted",
    ]
    list_filter = [
        "status",
        "house__agency",
        "service_type__domain",
        "delivered_on",  # today, this Jalali month, this Jalali year (core.admin)
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
    readonly_fields = [
        "jalali",
        "status",
        "return_reason",
        "reviewed_by",
        "reviewed_at",
        "created_by",
        "created_stamp",
        "deleted_at",
    ]
    actions = ["approve", "soft_delete", "restore"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A class per request, so the form knows whose scope to check without a shared state.
        return type(form.__name__, (form,), {"user": request.user})

    def get_fields(self, request, obj=None):
        return [*TRACKED_FIELDS, "version", *self.get_readonly_fields(request, obj)]

    def revert_disabled(self, request, obj=None):
        # Going back to an old version is an edit like any other: made in the form, checked.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return HttpResponseRedirect(
            reverse("admin:agencies_servicerecord_change", args=[object_id])
        )

    def has_delete_permission(self, request, obj=None):
        # Deleting is soft (the actions below); nothing in the admin removes a record for good.
        return False

    @admin.display(description="تاریخ ارائه", ordering="delivered_on")
    def delivered(self, record):
        return format_date(record.delivered_on)

    @admin.display(description="تاریخ شمسی")
    def jalali(self, record):
        return format_date(record.delivered_on, "long")

    @admin.display(description="زمان ثبت")
    def created_stamp(self, record):
        return format_datetime(record.created_at)

    @admin.display(description="حذف‌شده")
    def is_deleted(self, record):
        return yes_no_icon(record.is_deleted)

    def save_model(self, request, obj, form, change):
        if change:
            saved = service_record_update(
                record=obj, user=request.user, version=form.cleaned_data["version"]
            )
        else:
            saved = service_record_create(record=obj, user=request.user)
        obj.pk, obj.version = saved.pk, saved.version

    @admin.action(description="تأیید خدمت‌های ارسال‌شدهٔ انتخاب‌شده", permissions=["approve"])
    def approve(self, request, queryset):
        count = service_records_approve(records=queryset, user=request.user)
        self.message_user(request, f"{to_persian_digits(count)} خدمت تأیید شد.", messages.SUCCESS)

    def has_approve_permission(self, request):
        return scope_for(request.user).allows("approve")

    @admin.action(description="حذف خدمت‌های انتخاب‌شده (بازگرداندنی)", permissions=["change"])
    def soft_delete(self, request, queryset):
        count = 0
        for record in queryset.alive():
            service_record_delete(record=record, user=request.user)
            count += 1
        self.message_user(
            request,
            f"{to_persian_digits(count)} خدمت حذف شد؛ با «بازگرداندن» برمی‌گردند.",
            messages.SUCCESS,
        )

    @admin.action(description="بازگرداندن خدمت‌های حذف‌شدهٔ انتخاب‌شده", permissions=["restore"])
    def restore(self, request, queryset):
        count = 0
        for record in queryset.deleted():
            service_record_restore(record=record, user=request.user)
            count += 1
        self.message_user(
            request, f"{to_persian_digits(count)} خدمت بازگردانده شد.", messages.SUCCESS
        )

    def has_restore_permission(self, request):
        return scope_for(request.user).allows("restore")


@admin.register(StaffMembership)
class StaffMembershipAdmin(PersianModelAdmin):
    list_display = ["user", "role", "agency"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["cities"]


@admin.register(CoordinationRules)
class CoordinationRulesAdmin(PersianHistoryAdmin):
    """One row: the province's rules; it cannot be added twice nor deleted."""

    list_display = ["__str__", "window_days", "same_domain", "silent_lead_months"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CoordinationRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class HouseholdAdminForm(ConsentDatesMixin, forms.ModelForm):
    """Counts, flags and consent only: the identity is neither shown nor edited here, and a
    consent end in the past is refused (removing an identity is the action, logged)."""

    class Meta:
        model = Household
        fields = [
            "members",
            "female_headed",
            "has_disabled_member",
            "has_elderly_member",
            "consent_given_on",
            "consent_scope",
            "consent_until",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.is_identified:
            self.check_consent_dates(cleaned, ending_allowed=False)
            for name in ("consent_given_on", "consent_scope", "consent_until"):
                if name in self.fields and not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, "خانوار با نام، رضایت کامل لازم دارد.")
        return cleaned


class HouseholdIdentityFilter(admin.SimpleListFilter):
    title = "هویت"
    parameter_name = "identified"

    def lookups(self, request, model_admin):
        return [("yes", "با نام"), ("no", "بی‌نام")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.identified()
        if self.value() == "no":
            return queryset.filter(head_id_hash="")
        return queryset


@admin.register(Household)
class HouseholdAdmin(JalaliDateAdminMixin, PersianModelAdmin):
    """Households in the admin: the admin's own scope of households (``Scope.households``),
    named by their reference; no national ID, hash, sealed value or name on any page. New
    households are registered on the panel (consent, the duplicate check, the log); an edit
    goes through ``household_update``; nothing is deleted (records keep their links), and the
    identity is removed by the action, through ``household_erase_identity``, logged."""

    form = HouseholdAdminForm
    list_display = [
        "reference",
        "neighbourhood",
        "registered_by_agency",
        "members",
        "female_headed",
        "has_disabled_member",
        "has_elderly_member",
        "consent_scope",
        "consent_end",
        "identified",
    ]
    list_filter = [
        HouseholdIdentityFilter,
        "registered_by_agency",
        "consent_scope",
        "neighbourhood__city",
        "female_headed",
        "has_disabled_member",
        "has_elderly_member",
    ]
    search_fields = ["neighbourhood__name"]
    list_select_related = ["neighbourhood__city", "registered_by_agency"]
    fields = [
        "reference",
        "neighbourhood",
        "registered_by_agency",
        "registered_by",
        "registered_stamp",
        "identified",
        "members",
        "female_headed",
        "has_disabled_member",
        "has_elderly_member",
        "consent_given_on",
        "consent_scope",
        "consent_until",
        "consent_recorded_by",
        "identity_removed_stamp",
    ]
    readonly_fields = [
        "reference",
        "neighbourhood",
        "registered_by_agency",
        "registered_by",
        "registered_stamp",
        "identified",
        "consent_recorded_by",
        "identity_removed_stamp",
    ]
    actions = ["erase_identity"]

    def get_queryset(self, request):
        return scope_for(request.user).households(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None and not obj.is_identified:
            # Nothing identifies it any more: consent has nothing left to cover.
            readonly += ["consent_given_on", "consent_scope", "consent_until"]
        return readonly

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="خانوار", ordering="pk")
    def reference(self, household):
        return household.reference

    @admin.display(description="رضایت تا", ordering="consent_until")
    def consent_end(self, household):
        return format_date(household.consent_until) if household.consent_until else "—"

    @admin.display(description="با نام")
    def identified(self, household):
        return yes_no_icon(household.is_identified)

    @admin.display(description="زمان ثبت")
    def registered_stamp(self, household):
        return format_datetime(household.registered_at)

    @admin.display(description="زمان پاک شدن هویت")
    def identity_removed_stamp(self, household):
        return (
            format_datetime(household.identity_removed_at) if household.identity_removed_at else "—"
        )

    def save_model(self, request, obj, form, change):
        household_update(household=obj, user=request.user)

    @admin.action(description="پاک کردن نام و کد ملی خانوارهای انتخاب‌شده", permissions=["change"])
    def erase_identity(self, request, queryset):
        count = 0
        for household in queryset.identified():
            household_erase_identity(
                household=household, user=request.user, reason="پاک کردن هویت در مدیریت سامانه"
            )
            count += 1
        self.message_user(
            request,
            f"نام و کد ملی {to_persian_digits(count)} خانوار پاک شد؛ شمارها و خدمت‌ها می‌ماند.",
            messages.SUCCESS,
        )


@admin.register(HouseholdAccess)
class HouseholdAccessAdmin(PersianModelAdmin):
    """The access log, read only: nobody adds, changes or deletes a row, and only those who
    keep the province (coordinators' rights, superusers) read it."""

    list_display = [
        "stamp",
        "username",
        "agency",
        "action",
        "household_ref",
        "reason",
        "record_ref",
    ]
    list_filter = ["action", "agency", "at"]
    list_select_related = ["agency"]
    fields = ["stamp", "username", "agency", "action", "household", "reason", "record"]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not scope_for(request.user).manages_province:
            return queryset.none()
        return queryset

    @admin.display(description="زمان", ordering="at")
    def stamp(self, entry):
        return format_datetime(entry.at)

    @admin.display(description="خانوار", ordering="household_id")
    def household_ref(self, entry):
        if entry.household_id is None:
            return "—"
        return f"خانوار شمارهٔ {to_persian_digits(entry.household_id)}"

    @admin.display(description="خدمت", ordering="record_id")
    def record_ref(self, entry):
        return f"خدمت شمارهٔ {to_persian_digits(entry.record_id)}" if entry.record_id else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
