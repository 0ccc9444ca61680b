"""Forms of the division pages: the matrix's filter (a plain GET form) and the form that edits
one neighbourhood's division, a lead and supporters for each domain."""

from django import forms

from agencies.access import scope_for
from agencies.models import Agency, ServiceDomain
from coordination.division import Assignment, supporters_error
from neighbourhoods.models import City, Neighbourhood


def division_neighbourhoods(user):
    """The neighbourhoods whose division *user* reads: every program role, in their cities."""
    return scope_for(user).neighbourhoods(Neighbourhood.objects.all())


class DivisionFilterForm(forms.Form):
    city = forms.ModelChoiceField(
        queryset=City.objects.none(), required=False, label="شهر", empty_label="همهٔ شهرها"
    )
    gaps = forms.BooleanField(label="فقط محله‌های دارای خلأ", required=False)

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.places = division_neighbourhoods(user)
        self.fields["city"].queryset = City.objects.filter(
            pk__in=self.places.values("city_id")
        ).order_by("name")

    @property
    def values(self) -> dict:
        """The filters that passed validation; a city outside the choices is left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def neighbourhoods(self):
        city = self.values.get("city")
        return self.places.filter(city=city) if city else self.places


class DivisionForm(forms.Form):
    """A lead (``lead_<domain id>``) and supporters (``supporters_<domain id>``) for every
    domain of one neighbourhood, filled from its stored rows."""

    def __init__(self, data=None, *, rows):
        super().__init__(data)
        self.domains = list(ServiceDomain.objects.order_by("order", "name"))
        agencies = Agency.objects.order_by("order", "name")
        for domain in self.domains:
            row = rows.get(domain.pk)
            self.fields[f"lead_{domain.pk}"] = forms.ModelChoiceField(
                queryset=agencies,
                required=False,
                label="دستگاه مسئول",
                empty_label="هنوز تعیین نشده",
                initial=row.lead_id if row else None,
            )
            self.fields[f"supporters_{domain.pk}"] = forms.ModelMultipleChoiceField(
                queryset=agencies,
                required=False,
                label="دستگاه‌های همکار",
                widget=forms.CheckboxSelectMultiple,
                initial=[agency.pk for agency in row.supporters.all()] if row else [],
            )

    def clean(self):
        cleaned = super().clean()
        for domain in self.domains:
            name = f"supporters_{domain.pk}"
            if name not in cleaned:
                continue
            problem = supporters_error(cleaned.get(f"lead_{domain.pk}"), cleaned[name])
            if problem:
                self.add_error(name, problem)
        return cleaned

    def sections(self):
        """The domains with their two fields, in order, for the template."""
        return [
            (domain, self[f"lead_{domain.pk}"], self[f"supporters_{domain.pk}"])
            for domain in self.domains
        ]

    def assignments(self) -> list[Assignment]:
        return [
            Assignment(
                domain=domain,
                lead=self.cleaned_data.get(f"lead_{domain.pk}"),
                supporters=tuple(self.cleaned_data.get(f"supporters_{domain.pk}") or ()),
            )
            for domain in self.domains
        ]


class ApplyPatternForm(forms.Form):
    """The confirm step of copying a division to the rest of a city."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
