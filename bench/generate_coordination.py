"""The coordination data of bench/generate.py: the division of labour in every neighbourhood and
the yearly targets of the last two years, so the coordination report and the targets page have
national-scale work too.

The division follows the demo's pattern (demo/division.py: in each domain the agency whose work
it mostly is leads, one or two support); one neighbourhood and domain in ten has no row and one
in twenty a row without a lead, the gaps the report shows. Targets are the demo's three a
neighbourhood (demo/targets.py) for 1404 and 1405, each sized from what the generated records of
the year before delivered there, times a factor around one. Both are written with their first
history rows; the supporters' history (a table of its own) is left empty.
"""

import datetime as dt
from collections import defaultdict

TARGET_YEARS = (1404, 1405)
TARGETS_PER_NEIGHBOURHOOD = 3


def load_coordination(world, tallies) -> None:
    from simple_history.utils import bulk_create_with_history

    from agencies.models import ServiceDomain
    from coordination.models import Responsibility, Target, TargetMeasure
    from demo.division import PATTERN

    rng = world.rng
    agencies = {agency.slug: agency for agency in world.agencies}
    domains = list(ServiceDomain.objects.order_by("order", "pk"))
    places = sorted({house.neighbourhood_id for house in world.houses})
    at = world.moment(dt.date(2022, 3, 21))  # 1401/01/01, when the program went national

    def division(progress):
        taken = set(
            Responsibility.objects.filter(neighbourhood_id__in=places).values_list(
                "neighbourhood_id", "domain_id"
            )
        )
        rows, supporters = [], []
        for place in places:
            for domain in domains:
                lead_slug, helpers = PATTERN.get(domain.slug, (None, ()))
                draw = rng.random()
                if (place, domain.pk) in taken or draw < 0.1:
                    continue
                lead = agencies.get(lead_slug) if draw >= 0.15 else None
                rows.append(Responsibility(neighbourhood_id=place, domain=domain, lead=lead))
                supporters.append([agencies[s] for s in helpers if s in agencies])
        made = bulk_create_with_history(rows, Responsibility, batch_size=2000, default_date=at)
        through = Responsibility.supporters.through
        links = [
            through(responsibility_id=row.pk, agency_id=agency.pk)
            for row, helpers in zip(made, supporters, strict=True)
            for agency in helpers
        ]
        through.objects.bulk_create(links, batch_size=5000)
        return len(made)

    world.summary.timed("division of labour", division)

    done = defaultdict(dict)  # (year, place, domain) -> {agency: [people, homes, records]}
    for (year, place, domain, agency), figures in tallies.items():
        done[(year, place, domain)][agency] = figures
    measures = (TargetMeasure.BENEFICIARIES, TargetMeasure.RECORDS, TargetMeasure.HOUSEHOLDS)
    column = {TargetMeasure.BENEFICIARIES: 0, TargetMeasure.HOUSEHOLDS: 1, TargetMeasure.RECORDS: 2}

    def targets(progress):
        present = set(
            Target.objects.filter(year__in=TARGET_YEARS, neighbourhood_id__in=places)
            .values_list("year", "neighbourhood_id")
            .distinct()
        )
        rows = []
        for year in TARGET_YEARS:
            for place in places:
                if (year, place) in present:
                    continue
                chosen = rng.sample(domains, min(TARGETS_PER_NEIGHBOURHOOD, len(domains)))
                for index, domain in enumerate(chosen):
                    by_agency = done.get((year - 1, place, domain.pk), {})
                    measure = measures[index]
                    agency_id = None
                    if measure == TargetMeasure.RECORDS and by_agency:
                        agency_id = max(by_agency, key=lambda pk: (by_agency[pk][2], -pk))
                        base = by_agency[agency_id][2]
                    else:
                        measure = TargetMeasure.HOUSEHOLDS if index == 2 else measures[0]
                        base = sum(figures[column[measure]] for figures in by_agency.values())
                    value = max(round(base * rng.uniform(0.6, 1.3)), rng.randint(5, 20))
                    rows.append(
                        Target(
                            year=year,
                            neighbourhood_id=place,
                            domain=domain,
                            agency_id=agency_id,
                            measure=measure,
                            value=value,
                        )
                    )
        return len(bulk_create_with_history(rows, Target, batch_size=2000, default_date=at))

    world.summary.timed("yearly targets", targets)
