"""The staff form for a service record, limited to what the user may choose."""

from itertools import groupby

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from agencies.household_services import national_ids_in
from agencies.models import House, Household, ServiceRecord, ServiceType
from agencies.record_history import TRACKED_FIELDS
from agencies.services import HOUSE_OUT_OF_SCOPE, program_start, validate_delivered_on
from core.digits import format_number
from core.forms import FastSelect, JalaliDateField, PersianIntegerField
from core.jalali import to_jalali

MAX_COUNT = 1_000_000
MAX_COST_RIALS = 10**14


class GroupedModelChoiceIterator(ModelChoiceIterator):
    """Yields the options in ``<optgroup>``s named by the field's ``group_label(obj)``.

    The queryset must already be ordered by group, so each group is one run of rows.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for group, objects in groupby(self.queryset, key=self.field.group_label):
            yield (group, [self.choice(obj) for obj in objects])


class GroupedModelChoiceField(forms.ModelChoiceField):
    """A model select whose options are grouped, e.g. service types under their domain."""

    iterator = GroupedModelChoiceIterator

    def __init__(self, queryset, *, group_label, **kwargs):
        self.group_label = group_label
        super().__init__(queryset, **kwargs)


BLANK_IS_ZERO = "خانه‌ای که خالی بماند صفر شمرده می‌شود."


def _label(name):
    return ServiceRecord._meta.get_field(name).verbose_name


def _count_field(name, *, required=False, **kwargs):
    return PersianIntegerField(
        label=_label(name),
        min_value=0,
        max_value=MAX_COUNT,
        required=required,
        **kwargs,
    )


def _jalali_attr(value) -> str:
    """A date the picker understands in its data-jdp-*-date attributes: ``1400/01/01``."""
    j = to_jalali(value)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


class ServiceRecordForm(forms.ModelForm):
    """Create or edit a record. Blank counts mean zero; the parts must add up to the total.

    ``house`` offers only the user's open houses (plus the record's own, should it have
    closed since), so a guessed id of another agency's house is an invalid choice.
    """

    house = GroupedModelChoiceField(
        queryset=House.objects.none(),
        group_label=lambda house: house.neighbourhood.city.name,
        widget=FastSelect,  # every house of the country, for a national coordinator
        label=_label("house"),
        empty_label="خانه را انتخاب کنید",
        error_messages={"invalid_choice": HOUSE_OUT_OF_SCOPE},
    )
    service_type = GroupedModelChoiceField(
        queryset=ServiceType.objects.none(),
        group_label=lambda service_type: service_type.domain.name,
        widget=FastSelect,
        label=_label("service_type"),
        empty_label="نوع خدمت را انتخاب کنید",
        error_messages={"invalid_choice": "این نوع خدمت در فهرست نیست."},
    )
    delivered_on = JalaliDateField(label=_label("delivered_on"), validators=[validate_delivered_on])
    beneficiaries = _count_field("beneficiaries", required=True)
    male = _count_field("male")
    female = _count_field("female")
    children = _count_field("children")
    adults = _count_field("adults")
    elderly = _count_field("elderly")
    households = _count_field("households")
    disabled = _count_field("disabled")
    cost_rials = PersianIntegerField(
        label=_label("cost_rials"),
        min_value=0,
        max_value=MAX_COST_RIALS,
        required=False,
        help_text="به ریال؛ مثلاً ۱۵٬۰۰۰٬۰۰۰. خالی یعنی بی‌هزینه.",
    )
    notes = forms.CharField(
        label=_label("notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="آنچه گزارش‌خوان باید بداند؛ نام و نشانی مددجویان را ننویسید.",
    )
    # Shown only with the parallel-work warning (or when the record already has a reason).
    parallel_reason = forms.CharField(
        label="چرا این خدمت با وجود کار دستگاه دیگر لازم است؟",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="مثلاً: «خانوارهای دیگری از همین محله» یا «نوبت دوم همان برنامه».",
    )
    # The households served, by the national ID of the head or a member, one a line; blank for
    # a service given to a group without a list. Cleaned into (line, id) pairs.
    household_ids = forms.CharField(
        label="کد ملی خانوارهای بهره‌مند",
        required=False,
        max_length=11 * 2000,
        widget=forms.Textarea(
            attrs={"rows": 3, "dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
        ),
        help_text=(
            "هر سطر یک کد ملی سرپرست یا یکی از اعضا (می‌توانید ستون کدها را از اکسل بچسبانید). "
            "خانوار باید پیش‌تر در محلهٔ همین خانه ثبت شده باشد. اگر خدمت به گروهی بی‌فهرست "
            "داده شده، خالی بگذارید."
        ),
    )
    # Shown only with the same-aid-twice warning (or when the record already has a reason).
    repeat_reason = forms.CharField(
        label="چرا این خانوار باز هم این کمک را می‌گیرد؟",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="مثلاً: «کمک دوم به سفارش مددکار» یا «نیاز تازه پس از آتش‌سوزی».",
    )
    # The version the form was opened with; a save against an older version is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    COUNT_FIELDS = ("male", "female", "children", "adults", "elderly", "households", "disabled")

    class Meta:
        model = ServiceRecord
        fields = list(TRACKED_FIELDS)

    def __init__(self, *args, user, households=(), **kwargs):
        """*households*: the list the form opens with (the record's own, or the ones picked
        from the agency's list); their national IDs fill ``household_ids``."""
        super().__init__(*args, **kwargs)
        self.listed_households = list(households)
        self.fields["household_ids"].initial = "\n".join(
            household.national_id for household in self.listed_households if household.is_identified
        )
        current = self.instance if self.instance.pk else None
        houses = House.objects.visible_to(user).with_place()
        types = ServiceType.objects.select_related("domain")
        if current is None:
            houses, types = houses.active(), types.filter(is_active=True)
            self.fields["version"].initial = None
        else:
            houses = houses.filter(Q(is_active=True) | Q(pk=current.house_id))
            types = types.filter(Q(is_active=True) | Q(pk=current.service_type_id))
            self.fields["version"].initial = current.version
        self.fields["house"].queryset = houses
        self.fields["service_type"].queryset = types
        self.fields["delivered_on"].widget.attrs.update(
            {
                "data-jdp-min-date": _jalali_attr(program_start()),
                "data-jdp-max-date": _jalali_attr(timezone.localdate()),
            }
        )
        self.helper = self._helper()

    def clean_household_ids(self):
        return national_ids_in(self.cleaned_data.get("household_ids"))

    @property
    def kept_households(self) -> list[Household]:
        """Listed households with no identity left to type (consent ended): they stay."""
        return [household for household in self.listed_households if not household.is_identified]

    def clean(self):
        cleaned = super().clean()
        for name in (*self.COUNT_FIELDS, "cost_rials"):
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = 0
        total = cleaned.get("beneficiaries")
        if total is None:
            return cleaned
        self._check_within_total(cleaned, "households", "تعداد خانوارها", total)
        self._check_within_total(cleaned, "disabled", "تعداد توان‌خواهان", total)
        self._check_parts(
            cleaned, ("male", "female"), "جمع مردان و زنان ({sum}) با تعداد ذی‌نفعان ({total})"
        )
        self._check_parts(
            cleaned,
            ("children", "adults", "elderly"),
            "جمع کودکان، بزرگسالان و سالمندان ({sum}) با تعداد ذی‌نفعان ({total})",
        )
        return cleaned

    def record_data(self) -> dict:
        """The cleaned values the services take as ``data``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _check_within_total(self, cleaned, name, what, total):
        value = cleaned.get(name)
        if value is not None and value > total:
            self.add_error(
                name,
                f"{what} ({format_number(value)}) نمی‌تواند از تعداد ذی‌نفعان "
                f"({format_number(total)}) بیشتر باشد.",
            )

    def _check_parts(self, cleaned, names, wording):
        if any(cleaned.get(name) is None for name in names):
            return  # a part already has its own error
        total = cleaned["beneficiaries"]
        parts = sum(cleaned[name] for name in names)
        if parts == total:
            return
        message = wording.format(sum=format_number(parts), total=format_number(total))
        # The message sits under the first part; the other parts are marked too, so the eye
        # finds the whole group. An error on a field also keeps the model's own check of the
        # same rule from repeating it at the top of the form.
        self.add_error(names[0], f"{message} برابر نیست.")
        for name in names[1:]:
            css = self.fields[name].widget.attrs.get("class", "")
            self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Fieldset(
                "خدمت",
                "house",
                Row(Column("service_type", css_class="col-md-8"), Column("delivered_on")),
            ),
            Fieldset(
                "ذی‌نفعان",
                HTML(f'<p class="small text-secondary mb-2">{BLANK_IS_ZERO}</p>'),
                Row(
                    Column("beneficiaries", css_class="col-12 col-md-4"),
                    Column("households", css_class="col-6 col-md-4"),
                    Column("disabled", css_class="col-6 col-md-4"),
                ),
                # Parts of the total side by side even on a phone, so they read as one sum.
                Row(Column("male", css_class="col-6"), Column("female", css_class="col-6")),
                Row(Column("children"), Column("adults"), Column("elderly")),
                "household_ids",
            ),
            Fieldset("هزینه و توضیحات", "cost_rials", "notes"),
            Field("version"),
        )
        return helper
