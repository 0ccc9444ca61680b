"""What every agency did in the neighbourhoods a person works in ("what others did here").

A clerk records for her own agency only, but before adding aid to a neighbourhood she should
see what the other houses there have already given. Capture scope and view scope differ here,
as in DHIS2: the records come from ``ServiceRecord.objects.in_neighbourhoods_of(user)``, and only
the fields that say what was done (date, place, agency, type, counts, state) leave this module:
never the notes, who entered it, or anything about people.
"""

import datetime

from django import forms
from django.utils import timezone

from agencies.access import scope_for
from agencies.choices import RecordStatus
from agencies.models import Agency, ServiceDomain, ServiceRecord
from neighbourhoods.models import Neighbourhood

# The fields a page of other agencies' activity may show; notes and people are not among them.
ACTIVITY_FIELDS = (
    "pk",
    "delivered_on",
    "status",
    "beneficiaries",
    "households",
    "disabled",
    "house__agency_id",
    "house__agency__house_name",
    "house__neighbourhood__name",
    "house__neighbourhood__city__name",
    "service_type__name",
    "service_type__domain__name",
)


def status_label(value: str) -> str:
    return RecordStatus(value).label


PERIODS = [("30", "۳۰ روز گذشته"), ("90", "۹۰ روز گذشته"), ("365", "یک سال گذشته"), ("all", "همه")]
DEFAULT_DAYS = "90"


def activity_neighbourhoods(user):
    """The neighbourhoods whose activity *user* may read (the same rule as
    ``Scope.neighbourhood_activity``: where their agency keeps a house, in their cities)."""
    scope = scope_for(user)
    places = scope.neighbourhoods(Neighbourhood.objects.select_related("city"))
    if scope.is_one_agency:
        places = places.filter(houses__agency_id=scope.agency_id)
    return places.order_by("city__name", "name")


class ActivityFilterForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        required=False,
        label="محله",
        empty_label="همهٔ محله‌های من",
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), required=False, label="دستگاه", empty_label="همهٔ دستگاه‌ها"
    )
    domain = forms.ModelChoiceField(
        queryset=ServiceDomain.objects.all(),
        required=False,
        label="حوزه",
        empty_label="همهٔ حوزه‌ها",
    )
    days = forms.ChoiceField(label="دوره", required=False, choices=PERIODS, initial=DEFAULT_DAYS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["neighbourhood"].queryset = activity_neighbourhoods(user)
        self.fields["neighbourhood"].label_from_instance = lambda n: f"{n.name} ({n.city.name})"

    def activity(self):
        """The readable records the filters choose, newest first, as dicts of
        :data:`ACTIVITY_FIELDS`. A filter given a value outside its choices is left out."""
        records = ServiceRecord.objects.in_neighbourhoods_of(self.user).alive()
        chosen = {}
        if self.is_bound:
            self.is_valid()  # a field with a bad value is missing from cleaned_data
            chosen = self.cleaned_data
        if chosen.get("neighbourhood"):
            records = records.filter(house__neighbourhood=chosen["neighbourhood"])
        if chosen.get("agency"):
            records = records.filter(house__agency=chosen["agency"])
        if chosen.get("domain"):
            records = records.filter(service_type__domain=chosen["domain"])
        days = chosen.get("days") or DEFAULT_DAYS
        if days != "all":
            since = timezone.localdate() - datetime.timedelta(days=int(days))
            records = records.filter(delivered_on__gte=since)
        return records.order_by("-delivered_on", "-pk").values(*ACTIVITY_FIELDS)
