"""The records list's filters and sorting: a plain GET form, so every view of the list is a URL.

Choices come from the user's scope, so agency staff see only their own agency's cities and
neighbourhoods; a value outside the choices (typed into the URL) is an error on that filter
and is left out, while the other filters still apply.
"""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from agencies.access import scope_for
from agencies.choices import RecordStatus
from agencies.forms import GroupedModelChoiceField
from agencies.models import Agency, House, ServiceDomain, ServiceRecord, ServiceType
from core.digits import to_persian_digits
from core.forms import FastSelect, JalaliDateField, JalaliDateInput
from core.jalali import PERSIAN_MONTHS, to_jalali
from core.periods import MONTH, QUARTER, QUARTER_NAMES, RANGE, YEAR, Period
from core.text import compact_key, normalize_for_search
from neighbourhoods.models import City, Neighbourhood

SORTS = {
    "-date": ("تاریخ، تازه‌ترین", ("-delivered_on", "-id")),
    "date": ("تاریخ، قدیمی‌ترین", ("delivered_on", "id")),
    "-beneficiaries": ("بیشترین ذی‌نفع", ("-beneficiaries", "-delivered_on", "-id")),
    "beneficiaries": ("کمترین ذی‌نفع", ("beneficiaries", "-delivered_on", "-id")),
    "-cost": ("بیشترین هزینه", ("-cost_rials", "-delivered_on", "-id")),
    "cost": ("کمترین هزینه", ("cost_rials", "-delivered_on", "-id")),
    "neighbourhood": ("نام محله", ("house__neighbourhood__name", "-delivered_on", "-id")),
    "-neighbourhood": ("نام محله، وارونه", ("-house__neighbourhood__name", "-delivered_on", "-id")),
}
DEFAULT_SORT = "-date"

_ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})


class NeighbourhoodSelect(FastSelect):
    """Options carry their city's id, so the page script can narrow them to the chosen city."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-city"] = instance.city_id
        return option


class UrlFilters(forms.Form):
    """A GET form of filters: a value outside the choices is an error on that field and is
    left out, while the other filters still apply (``values``)."""

    @property
    def values(self) -> dict:
        """The filters that passed validation; an unbound form filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class ScopedRecordFilters(UrlFilters):
    """The filters every view of service records shares (the list, its exports, the
    dashboards): place, agency, domain, service type and state, with choices from the scope.

    The selects of places, agencies and types are ``FastSelect``s: nationally they hold every
    city and neighbourhood of the country."""

    city = forms.ModelChoiceField(
        queryset=City.objects.none(),
        required=False,
        label="شهر",
        empty_label="همهٔ شهرها",
        widget=FastSelect,
    )
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        required=False,
        label="محله",
        empty_label="همهٔ محله‌ها",
        widget=NeighbourhoodSelect,
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="دستگاه",
        empty_label="همهٔ دستگاه‌ها",
        widget=FastSelect,
    )
    domain = forms.ModelChoiceField(
        queryset=ServiceDomain.objects.all(),
        required=False,
        label="حوزه",
        empty_label="همهٔ حوزه‌ها",
        widget=FastSelect,
    )
    service_type = GroupedModelChoiceField(
        queryset=ServiceType.objects.select_related("domain"),
        group_label=lambda service_type: service_type.domain.name,
        required=False,
        label="نوع خدمت",
        empty_label="همهٔ خدمت‌ها",
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label="وضعیت",
        required=False,
        choices=[("", "همهٔ وضعیت‌ها"), *RecordStatus.choices],
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        houses = House.objects.visible_to(user)
        self.fields["city"].queryset = City.objects.filter(
            pk__in=houses.values("neighbourhood__city_id")
        )
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(
            pk__in=houses.values("neighbourhood_id")
        ).select_related("city")
        if not scope_for(user).is_one_agency:
            self.fields["agency"].queryset = Agency.objects.filter(
                pk__in=houses.values("agency_id")
            )
        else:
            del self.fields["agency"]  # staff of one agency have nothing to choose here


def years_with_records(today: dt.date) -> list[int]:
    """The Jalali years that hold records, and the current one, newest first (one query)."""
    years = set(ServiceRecord.objects.values_list("jalali_year", flat=True).distinct().order_by())
    years.add(to_jalali(today).year)
    return sorted(years, reverse=True)


class PeriodFields(UrlFilters):
    """A Jalali year, quarter or month chosen in the URL, for every page that reports on a
    period (the dashboards, the coordination report); with ``allows_range``, a range of days
    too (``start`` and ``end``). The year offers the years that hold records."""

    PERIOD_KINDS = [(YEAR, "سال"), (QUARTER, "فصل"), (MONTH, "ماه"), (RANGE, "بازهٔ تاریخ")]
    allows_range = False

    period = forms.ChoiceField(label="دوره", required=False, choices=PERIOD_KINDS)
    year = forms.TypedChoiceField(label="سال", required=False, coerce=int, empty_value=None)
    quarter = forms.TypedChoiceField(
        label="فصل",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(i, name) for i, name in enumerate(QUARTER_NAMES, start=1)],
    )
    month = forms.TypedChoiceField(
        label="ماه",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(i, name) for i, name in enumerate(PERSIAN_MONTHS, start=1)],
    )

    def set_period_choices(self, today: dt.date | None = None) -> None:
        """Call from ``__init__``: the years to offer, and no range unless allowed."""
        self.today = today or timezone.localdate()
        self.fields["year"].choices = [
            (y, to_persian_digits(y)) for y in years_with_records(self.today)
        ]
        if not self.allows_range:
            self.fields["period"].choices = self.PERIOD_KINDS[:3]

    def period_chosen(self) -> Period:
        """The chosen period; the current Jalali year when nothing (valid) was chosen."""
        values = self.values
        year = values.get("year") or to_jalali(self.today).year
        kind = values.get("period") or YEAR
        if kind == RANGE and self.allows_range and values.get("start") and values.get("end"):
            return Period.of_range(values["start"], values["end"])
        if kind == QUARTER and values.get("quarter"):
            return Period.of_quarter(year, values["quarter"])
        if kind == MONTH and values.get("month"):
            return Period.of_month(year, values["month"])
        return Period.of_year(year)


class RecordFilterForm(ScopedRecordFilters):
    field_order = ["q"]

    q = forms.CharField(
        label="جست‌وجو",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": "نام محله، نوع خدمت یا توضیحات", "type": "search"}
        ),
    )
    date_from = JalaliDateField(
        label="از تاریخ", required=False, widget=JalaliDateInput(attrs={"placeholder": "از آغاز"})
    )
    date_to = JalaliDateField(
        label="تا تاریخ", required=False, widget=JalaliDateInput(attrs={"placeholder": "تا امروز"})
    )
    sort = forms.ChoiceField(
        label="ترتیب",
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "«تا تاریخ» نباید پیش از «از تاریخ» باشد.")
        return cleaned

    @property
    def is_filtering(self) -> bool:
        return any(name != "sort" for name in self.values)

    def apply(self, queryset):
        """Filter and order *queryset* (service records) by the submitted values."""
        values = self.values
        lookups = {
            "city": "house__neighbourhood__city",
            "neighbourhood": "house__neighbourhood",
            "agency": "house__agency",
            "domain": "service_type__domain",
            "service_type": "service_type",
            "date_from": "delivered_on__gte",
            "date_to": "delivered_on__lte",
            "status": "status",
        }
        for name, lookup in lookups.items():
            if name in values:
                queryset = queryset.filter(**{lookup: values[name]})
        if "q" in values:
            queryset = queryset.filter(text_condition(values["q"]))
        sort = values.get("sort", DEFAULT_SORT)
        return queryset.order_by(*SORTS[sort][1])


def text_condition(query: str) -> Q:
    """Match *query* in a record's neighbourhood name, service type (or domain) or notes.

    Neighbourhoods keep a compact search key, and service types are few enough to compare in
    Python, so both meet whatever spacing, Arabic letters or digits were typed. Notes are free
    text stored as typed, so the query is tried in the spellings a note is likely to use.
    """
    key = compact_key(query)
    if not key:
        return Q()
    type_ids = [
        service_type.pk
        for service_type in ServiceType.objects.select_related("domain")
        if key in compact_key(service_type.name) or key in compact_key(service_type.domain.name)
    ]
    condition = Q(house__neighbourhood__search_key__contains=key) | Q(service_type_id__in=type_ids)
    for spelling in note_spellings(query):
        condition |= Q(notes__icontains=spelling)
    return condition


def note_spellings(query: str) -> set[str]:
    """The ways a note may spell *query*: Persian or Latin digits, Persian or Arabic ی/ک,
    words joined by a space or a zero-width non-joiner."""
    base = normalize_for_search(query)
    spellings = set()
    for digits in (base, to_persian_digits(base)):
        for letters in (digits, digits.translate(_ARABIC_LETTERS)):
            spellings.add(letters)
            spellings.add(letters.replace(" ", "\u200c"))
    return spellings
