"""Forms of the parallel-work report: its filters (a plain GET form, so every view of the
report is a URL), a coordinator's verdict on one finding, and the coordination rules."""

import datetime

from django import forms

from agencies.filters import PeriodFields
from agencies.models import CoordinationRules, ServiceDomain
from coordination.activity import activity_neighbourhoods
from coordination.findings import GAPS, HOUSEHOLD_REPEATS, NOTE_MAX, OUTSIDE_ROLE, OVERLAPS
from coordination.models import FindingKind, Verdict
from core.forms import FastSelect
from neighbourhoods.models import City

SECTION_CHOICES = [
    (OVERLAPS, "کار موازی"),
    (HOUSEHOLD_REPEATS, "یک خانوار، چند دستگاه"),
    (OUTSIDE_ROLE, "کار بیرون از تقسیم کار"),
    (GAPS, "خلأها"),
]


class ReportForm(PeriodFields):
    """The period (a Jalali year, quarter or month; the current year by default) and the
    filters. A value outside the choices is an error on that field and is left out."""

    city = forms.ModelChoiceField(
        queryset=City.objects.none(),
        required=False,
        label="شهر",
        empty_label="همهٔ شهرها",
        widget=FastSelect,  # every city of the country, for a national coordinator
    )
    domain = forms.ModelChoiceField(
        queryset=ServiceDomain.objects.all(),
        required=False,
        label="حوزه",
        empty_label="همهٔ حوزه‌ها",
        widget=FastSelect,
    )
    kind = forms.ChoiceField(
        label="نوع یافته", required=False, choices=[("", "همهٔ یافته‌ها"), *SECTION_CHOICES]
    )
    justified = forms.BooleanField(label="موارد موجه را هم نشان بده", required=False)

    def __init__(self, data=None, *, user, today: datetime.date | None = None):
        super().__init__(data)
        self.set_period_choices(today)
        places = activity_neighbourhoods(user)
        self.fields["city"].queryset = City.objects.filter(
            pk__in=places.order_by().values("city_id")
        ).order_by("name")


class ReviewForm(forms.Form):
    """A coordinator's verdict on one finding; the finding travels as its key and kind, and the
    report's query string as ``query``, to come back to the same view of the report."""

    key = forms.CharField(max_length=200, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=FindingKind.choices, widget=forms.HiddenInput)
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)
    verdict = forms.ChoiceField(
        label="نتیجهٔ بررسی", choices=Verdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="یادداشت",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="برای «باید رفع شود» لازم است: چه باید کرد و با کیست.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].error_messages["max_length"] = "یادداشت حداکثر ۱۰۰۰ نویسه است."
        self.fields["verdict"].error_messages["required"] = "نتیجهٔ بررسی را انتخاب کنید."
        self.fields["verdict"].error_messages["invalid_choice"] = "نتیجهٔ بررسی را انتخاب کنید."


class RulesForm(forms.ModelForm):
    class Meta:
        model = CoordinationRules
        fields = [
            "window_days",
            "same_domain",
            "silent_lead_months",
            "household_window_days",
            "household_same_domain",
        ]
