"""Forms of the targets pages: the list's filters (a plain GET form), a target's form and the
import upload.

A filter value outside the choices (typed into the URL) is an error on that filter and is left
out; the year then falls back to the current Jalali year.
"""

from django import forms

from agencies.models import Agency, ServiceDomain
from coordination.models import Target
from coordination.targets import target_problems, visible_targets
from core.digits import to_persian_digits
from core.forms import PersianIntegerField
from core.periods import Period
from core.uploads import SpreadsheetFileForm
from neighbourhoods.models import City, Neighbourhood

__all__ = ["TargetFileForm", "TargetFilterForm", "TargetForm"]


def year_choices(years, current: int) -> list[tuple[int, str]]:
    """The Jalali years to choose from: those with targets, this year and the next, newest
    first, with Persian digits."""
    every = sorted({*years, current, current + 1}, reverse=True)
    return [(year, to_persian_digits(year)) for year in every]


class TargetFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="سال", coerce=int, required=False)
    city = forms.ModelChoiceField(
        queryset=City.objects.none(), required=False, label="شهر", empty_label="همهٔ شهرها"
    )
    domain = forms.ModelChoiceField(
        queryset=ServiceDomain.objects.all(),
        required=False,
        label="حوزه",
        empty_label="همهٔ حوزه‌ها",
    )
    behind = forms.BooleanField(label="فقط هدف‌های عقب‌تر از انتظار", required=False)

    def __init__(self, data=None, *, user, today):
        self.current_year = Period.current_year(today).year
        if data is not None and not data.get("year"):
            # Filtering by city alone still shows, and selects, this year.
            data = data.copy()
            data["year"] = str(self.current_year)
        super().__init__(data)
        self.targets = visible_targets(user)
        years = self.targets.order_by().values_list("year", flat=True).distinct()
        self.fields["year"].choices = year_choices(years, self.current_year)
        self.fields["year"].initial = self.current_year
        self.fields["city"].queryset = City.objects.filter(
            pk__in=self.targets.values("neighbourhood__city_id")
        )

    @property
    def values(self) -> dict:
        """The filters that passed validation; an unbound form filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def chosen_year(self) -> int:
        """The year asked for, or this Jalali year."""
        return self.values.get("year") or self.current_year

    def apply(self, targets):
        """*targets* of the chosen year, city and domain."""
        values = self.values
        targets = targets.filter(year=self.chosen_year)
        if "city" in values:
            targets = targets.filter(neighbourhood__city=values["city"])
        if "domain" in values:
            targets = targets.filter(domain=values["domain"])
        return targets


class NeighbourhoodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.city.name})"


class TargetForm(forms.ModelForm):
    """A target as a coordinator sets it; the service checks it again when it saves."""

    year = PersianIntegerField(label="سال (شمسی)", min_value=1390, max_value=1500)
    neighbourhood = NeighbourhoodChoiceField(
        label="محله", queryset=Neighbourhood.objects.select_related("city")
    )
    agency = forms.ModelChoiceField(
        label="دستگاه",
        queryset=Agency.objects.all(),
        required=False,
        empty_label="همهٔ دستگاه‌ها با هم",
        help_text="خالی: کار همهٔ دستگاه‌ها در این محله و حوزه شمرده می‌شود.",
    )
    value = PersianIntegerField(
        label="هدف سالانه",
        min_value=1,
        max_value=10_000_000,
        help_text="به سنجهٔ انتخاب‌شده: تعداد ذی‌نفعان، خانوارها یا خدمت‌ها در سال.",
    )

    class Meta:
        model = Target
        fields = ["year", "neighbourhood", "domain", "agency", "measure", "value"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        for name, message in target_problems(self.instance).items():
            self.add_error(None if name == "__all__" else name, message)


class TargetFileForm(SpreadsheetFileForm):
    label = "فایل هدف‌ها"
