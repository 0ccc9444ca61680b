"""The forms of the household registry's staff pages: registering a household, editing its
counts and consent, finding one by its exact national ID, removing its identity, and the
filters of the list and of the access log.

No field offers a search by a name or by part of a national ID: a household is found by the
whole ID or not at all. Messages never repeat a national ID or a name.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils import timezone

from agencies.access import scope_for
from agencies.filters import UrlFilters
from agencies.forms import GroupedModelChoiceField
from agencies.household_services import (
    NAME_MAX,
    REASON_MAX,
    household_name,
    national_ids_in,
    registration_neighbourhood_ids,
)
from agencies.models import Agency, ConsentScope, Household, HouseholdAccess
from core.digits import format_number, to_latin_digits
from core.forms import JalaliDateField, PersianIntegerField
from core.national_id import validate_national_id
from core.text import strip_direction_controls
from neighbourhoods.models import Neighbourhood

MEMBERS_MIN, MEMBERS_MAX = 1, 30
MEMBER_IDS_MAX = 30
FLAG_FIELDS = ("female_headed", "has_disabled_member", "has_elderly_member")
CONSENT_FIELDS = ("consent_given_on", "consent_scope", "consent_until")
# Ten digits in a row in a free-text reason: most likely a national ID typed where it would be
# kept in clear (the access log). Refused, so the log holds none.
_DIGIT_RUN = re.compile(r"[0-9]{10}")
REASON_HAS_ID = "دلیل را بدون کد ملی بنویسید؛ این متن در دفتر دسترسی بی‌رمز می‌ماند."
ERASE_NOT_BY_EDIT = (
    "پایان رضایت نمی‌تواند گذشته باشد. اگر رضایت خانوار به پایان رسیده یا آن را پس گرفته، "
    "از «پاک کردن هویت» استفاده کنید."
)


def _label(name):
    return Household._meta.get_field(name).verbose_name


def clean_reason(value) -> str:
    """A typed reason as the log keeps it: one line, no direction controls, no national ID."""
    text = " ".join(strip_direction_controls(value or "").split())
    if _DIGIT_RUN.search(to_latin_digits(text).replace(" ", "")):
        raise forms.ValidationError(REASON_HAS_ID, code="has_id")
    return text


def reason_field(label, help_text):
    return forms.CharField(
        label=label,
        max_length=REASON_MAX,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "دلیل را بنویسید؛ در دفتر دسترسی می‌ماند."},
    )


def national_id_field(**kwargs):
    """A text input for a national ID: digits left to right, a digit keypad on phones, and
    nothing remembered by the browser."""
    return forms.CharField(
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


class ConsentDatesMixin:
    """The checks of the consent dates both forms share (the service checks them again)."""

    def check_consent_dates(self, cleaned, *, ending_allowed: bool) -> None:
        today = timezone.localdate()
        given, until = cleaned.get("consent_given_on"), cleaned.get("consent_until")
        if given and given > today:
            self.add_error("consent_given_on", "تاریخ رضایت نمی‌تواند در آینده باشد.")
        if until and until < today and not ending_allowed:
            self.add_error("consent_until", ERASE_NOT_BY_EDIT)
        elif given and until and until < given:
            self.add_error("consent_until", "پایان رضایت نمی‌تواند پیش از تاریخ رضایت باشد.")


class HouseholdRegisterForm(ConsentDatesMixin, forms.ModelForm):
    """A new household: where, how many, the program's flags and, with consent, who.

    Without the consent section only the counts and flags are kept (an anonymous household).
    The neighbourhoods offered are those where the user's agency keeps an open house; the
    agency is chosen only by province-wide users.
    """

    neighbourhood = GroupedModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        group_label=lambda neighbourhood: neighbourhood.city.name,
        label=_label("neighbourhood"),
        empty_label="محله را برگزینید",
        error_messages={
            "invalid_choice": "این محله در فهرست محله‌هایی که در آن خانوار ثبت می‌کنید نیست."
        },
    )
    registered_by_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="دستگاه ثبت‌کننده",
        empty_label="دستگاه را برگزینید",
        help_text="دستگاهی که خانوار را ثبت می‌کند و باید در این محله خانهٔ فعال داشته باشد.",
    )
    members = PersianIntegerField(
        label=_label("members"),
        min_value=MEMBERS_MIN,
        max_value=MEMBERS_MAX,
        widget=forms.TextInput(attrs={"placeholder": "۴"}),
    )
    national_id = national_id_field(label="کد ملی سرپرست", required=False)
    head_name = forms.CharField(
        label="نام و نام خانوادگی سرپرست",
        required=False,
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    member_ids = forms.CharField(
        label="کد ملی اعضای دیگر",
        required=False,
        max_length=12 * MEMBER_IDS_MAX,
        widget=forms.Textarea(
            attrs={"rows": 3, "dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
        ),
        help_text="هر سطر یک کد ملی (اختیاری)؛ با آن، خانوار با کد ملی هر عضو هم یافته می‌شود.",
    )
    consent_given_on = JalaliDateField(label=_label("consent_given_on"), required=False)
    consent_scope = forms.ChoiceField(
        label=_label("consent_scope"),
        required=False,
        choices=[("", "—"), *ConsentScope.choices],
    )
    consent_until = JalaliDateField(
        label=_label("consent_until"),
        required=False,
        help_text="آخرین روز رضایت؛ پس از آن نام و کد ملی خودکار پاک می‌شود و شمارها می‌ماند.",
    )

    class Meta:
        model = Household
        fields = ["neighbourhood", "registered_by_agency", "members", *FLAG_FIELDS, *CONSENT_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = registration_neighbourhood_ids(user)
        self.fields["neighbourhood"].queryset = (
            Neighbourhood.objects.filter(pk__in=ids)
            .select_related("city")
            .order_by("city__name", "name")
        )
        if scope_for(user).is_one_agency:
            del self.fields["registered_by_agency"]  # the clerk's own agency
        else:
            self.fields["registered_by_agency"].queryset = Agency.objects.filter(
                houses__is_active=True, houses__neighbourhood_id__in=ids
            ).distinct()
        self.helper = self._helper()

    def clean_national_id(self):
        value = self.cleaned_data.get("national_id", "")
        return validate_national_id(value) if value.strip() else ""

    def clean_head_name(self):
        return household_name(self.cleaned_data.get("head_name", ""))

    def clean_member_ids(self):
        found = [value for _line, value in national_ids_in(self.cleaned_data.get("member_ids"))]
        if len(found) > MEMBER_IDS_MAX:
            raise forms.ValidationError(
                f"حداکثر {format_number(MEMBER_IDS_MAX)} کد ملی عضو را می‌توان نوشت."
            )
        return tuple(found)

    def clean(self):
        cleaned = super().clean()
        self.check_consent_dates(cleaned, ending_allowed=True)
        national_id = cleaned.get("national_id")
        members = cleaned.get("member_ids") or ()
        if national_id and national_id in members:
            self.add_error("member_ids", "کد ملی سرپرست را در فهرست اعضا تکرار نکنید.")
        return cleaned

    @property
    def identity_values(self) -> dict:
        return {
            "national_id": self.cleaned_data.get("national_id", ""),
            "name": self.cleaned_data.get("head_name", ""),
            "member_ids": self.cleaned_data.get("member_ids", ()),
        }

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        place = ["neighbourhood"]
        if "registered_by_agency" in self.fields:
            place.append("registered_by_agency")
        helper.layout = Layout(
            Fieldset("محل", *place),
            Fieldset(
                "شمار و ویژگی‌ها",
                Row(Column("members", css_class="col-6 col-md-3")),
                *FLAG_FIELDS,
            ),
            Fieldset(
                "هویت و رضایت (اختیاری)",
                Row(
                    Column("national_id", css_class="col-12 col-md-5"),
                    Column("head_name", css_class="col-12 col-md-7"),
                ),
                "member_ids",
                Row(
                    Column("consent_given_on", css_class="col-6 col-md-4"),
                    Column("consent_until", css_class="col-6 col-md-4"),
                    Column("consent_scope", css_class="col-12 col-md-4"),
                ),
            ),
        )
        return helper


class HouseholdEditForm(ConsentDatesMixin, forms.ModelForm):
    """A household's counts, flags and, while it is identified, its consent and a corrected
    name. The national ID is not edited (another ID is another household), and the name is
    not shown: typing one replaces it, leaving the field blank keeps it."""

    members = PersianIntegerField(
        label=_label("members"), min_value=MEMBERS_MIN, max_value=MEMBERS_MAX
    )
    consent_given_on = JalaliDateField(label=_label("consent_given_on"))
    consent_scope = forms.ChoiceField(label=_label("consent_scope"), choices=ConsentScope.choices)
    consent_until = JalaliDateField(label=_label("consent_until"))
    head_name = forms.CharField(
        label="نام درست سرپرست",
        required=False,
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="فقط برای اصلاح نام؛ خالی بماند یعنی نام ثبت‌شده بی‌تغییر می‌ماند.",
    )

    class Meta:
        model = Household
        fields = ["members", *FLAG_FIELDS, *CONSENT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.is_identified:
            # Nothing identifies it any more: consent has nothing left to cover.
            for name in (*CONSENT_FIELDS, "head_name"):
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_head_name(self):
        return household_name(self.cleaned_data.get("head_name", ""))

    def clean(self):
        cleaned = super().clean()
        if self.instance.is_identified:
            self.check_consent_dates(cleaned, ending_allowed=False)
        return cleaned


class HouseholdFindForm(forms.Form):
    """The exact national ID of a head or a member, and why it is looked up."""

    national_id = national_id_field(
        label="کد ملی (سرپرست یا یکی از اعضا)",
        error_messages={"required": "کد ملی را بنویسید."},
    )
    reason = reason_field(
        "برای چه کاری؟",
        "مثلاً «ثبت بستهٔ غذایی برای این خانوار»؛ این دلیل با نام کاربری شما در دفتر دسترسی می‌ماند.",
    )

    def clean_national_id(self):
        return validate_national_id(self.cleaned_data["national_id"])

    def clean_reason(self):
        return clean_reason(self.cleaned_data["reason"])


class HouseholdEraseForm(forms.Form):
    reason = reason_field(
        "چرا هویت خانوار پاک می‌شود؟",
        "مثلاً «خانوار رضایتش را پس گرفت»؛ در دفتر دسترسی می‌ماند.",
    )

    def clean_reason(self):
        return clean_reason(self.cleaned_data["reason"])


class HouseholdFilterForm(UrlFilters):
    """The list's filter: a neighbourhood of the households this user may open. There is no
    text search: a household is found by its whole national ID on its own page, logged."""

    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        required=False,
        label="محله",
        empty_label="همهٔ محله‌ها",
    )

    def __init__(self, data=None, *, households):
        super().__init__(data)
        self.fields["neighbourhood"].queryset = (
            Neighbourhood.objects.filter(pk__in=households.values("neighbourhood_id"))
            .select_related("city")
            .order_by("city__name", "name")
        )
        self.fields["neighbourhood"].label_from_instance = lambda neighbourhood: (
            f"{neighbourhood.name} ({neighbourhood.city.name})"
        )

    @property
    def is_filtering(self) -> bool:
        return bool(self.values)

    def apply(self, queryset):
        if "neighbourhood" in self.values:
            queryset = queryset.filter(neighbourhood=self.values["neighbourhood"])
        return queryset


class AccessLogFilterForm(UrlFilters):
    """The access log's filters: who, which agency, what, which household, which days."""

    username = forms.CharField(
        label="نام کاربری",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label="دستگاه",
        empty_label="همهٔ دستگاه‌ها",
    )
    action = forms.ChoiceField(
        label="کار",
        required=False,
        choices=[("", "همهٔ کارها"), *HouseholdAccess.Action.choices],
    )
    household = PersianIntegerField(
        label="شمارهٔ خانوار",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.TextInput(attrs={"placeholder": "۱۲"}),
    )
    date_from = JalaliDateField(label="از تاریخ", required=False)
    date_to = JalaliDateField(label="تا تاریخ", required=False)

    def clean_username(self):
        return self.cleaned_data.get("username", "").strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "«تا تاریخ» نباید پیش از «از تاریخ» باشد.")
            cleaned.pop("date_to", None)
        return cleaned

    @property
    def is_filtering(self) -> bool:
        return bool(self.values)

    def apply(self, queryset):
        values = self.values
        lookups = {
            "username": "username",
            "agency": "agency",
            "action": "action",
            "household": "household_id",
            "date_from": "at__date__gte",
            "date_to": "at__date__lte",
        }
        for name, lookup in lookups.items():
            if name in values:
                queryset = queryset.filter(**{lookup: values[name]})
        return queryset
