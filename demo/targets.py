"""Yearly targets for the demo neighbourhoods, for the current Jalali year.

Each demo neighbourhood gets targets in three of the six domains: one for all agencies together
in beneficiaries, one for the agency that works most there in services, and one in households.
Each is sized from what the demo records of the past twelve months delivered there, times a
factor drawn around one, so that on any day of the year some targets are ahead of the year and
some behind it. Saved through the same service as the panel's form, as the portal itself, and
marked as demo rows (demo/models.py); a second run finds this year's demo targets and creates
nothing.
"""

import datetime
import random
from collections import defaultdict

from django.db.models import Count, Sum
from django.utils import timezone

from agencies.access import SYSTEM
from agencies.models import ServiceDomain, ServiceRecord
from coordination.models import Target, TargetMeasure
from coordination.targets import target_save
from core.periods import Period
from demo.models import DemoRow
from neighbourhoods.models import Neighbourhood

DOMAINS_PER_NEIGHBOURHOOD = 3
# Below one the target is easier than the past year's pace (ahead), above one harder (behind).
FACTORS = (0.6, 1.3)


def seed(*, with_users: bool, stdout) -> str:
    """Create this year's demo targets unless they are there already."""
    rng = random.Random(1405)
    today = timezone.localdate()
    year = Period.current_year(today).year
    neighbourhoods = list(Neighbourhood.objects.filter(is_demo=True).order_by("code"))
    domains = list(ServiceDomain.objects.order_by("order", "name"))
    mine = Target.objects.filter(year=year, neighbourhood__in=neighbourhoods)
    if not neighbourhoods or not domains or mine.exists():
        return "0 targets created"
    done = _past_year(neighbourhoods, today)
    created = []
    for neighbourhood in neighbourhoods:
        chosen = rng.sample(domains, min(DOMAINS_PER_NEIGHBOURHOOD, len(domains)))
        for index, domain in enumerate(chosen):
            by_agency = done.get((neighbourhood.pk, domain.pk), {})
            target = _target(rng, index, year, neighbourhood, domain, by_agency)
            created.append(target_save(target=target, user=SYSTEM))
    DemoRow.objects.mark(created)
    return f"{len(created)} targets created"


def _past_year(neighbourhoods, today) -> dict:
    """``{(neighbourhood, domain): {agency: {"beneficiaries", "households", "records"}}}`` of
    the approved demo records of the twelve months before *today*."""
    rows = (
        ServiceRecord.objects.public()
        .filter(
            house__neighbourhood__in=neighbourhoods,
            delivered_on__gt=today - datetime.timedelta(days=365),
        )
        .values("house__neighbourhood_id", "service_type__domain_id", "house__agency_id")
        .annotate(people=Sum("beneficiaries"), homes=Sum("households"), services=Count("id"))
        .order_by()
    )
    done = defaultdict(dict)
    for row in rows:
        key = (row["house__neighbourhood_id"], row["service_type__domain_id"])
        done[key][row["house__agency_id"]] = {
            TargetMeasure.BENEFICIARIES: row["people"] or 0,
            TargetMeasure.HOUSEHOLDS: row["homes"] or 0,
            TargetMeasure.RECORDS: row["services"],
        }
    return done


def _target(rng, index, year, neighbourhood, domain, by_agency) -> Target:
    """The *index*-th target of a neighbourhood: all agencies in beneficiaries, the busiest
    agency in services, all agencies in households."""
    agency_id = None
    if index == 0:
        measure = TargetMeasure.BENEFICIARIES
    elif index == 1 and by_agency:
        measure = TargetMeasure.RECORDS
        agency_id = max(by_agency, key=lambda pk: (by_agency[pk][measure], -pk))
    else:
        measure = TargetMeasure.HOUSEHOLDS
    if agency_id is None:
        base = sum(figures[measure] for figures in by_agency.values())
    else:
        base = by_agency[agency_id][measure]
    factor = rng.uniform(*FACTORS)
    # A domain the demo records left alone still gets a small target, behind from the start.
    value = max(round(base * factor), rng.randint(5, 20))
    return Target(
        year=year,
        neighbourhood=neighbourhood,
        domain=domain,
        agency_id=agency_id,
        measure=measure,
        value=value,
    )
