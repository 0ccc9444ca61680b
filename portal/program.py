"""The facts about the program the home page opens with, all counted from rows.

How many neighbourhoods, cities, houses, agencies and domains the program has, and what has been
delivered (approved records only, added up by ``reports.aggregates.headline`` like every
dashboard). Cached until the content changes (the key carries the page cache's generation of the
program's rows), since the home page is the busiest page and the sums are not urgent; a
neighbourhood import or an approval makes them fresh.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from agencies.models import Agency, House, ServiceDomain, ServiceRecord
from core.caching import Topic, current_generation
from neighbourhoods.models import City, Neighbourhood
from reports.aggregates import headline
from reports.suppression import LESS_THAN, is_small

FACTS_CACHE_KEY = "home:program-facts"


@dataclass(frozen=True)
class ProgramFacts:
    neighbourhoods: int
    cities: int
    houses: int
    agencies: int
    domains: int
    records: int
    beneficiaries: int


@dataclass(frozen=True)
class Figure:
    value: int | str
    label: str


def program_facts() -> ProgramFacts:
    """The counts, from the database (seven queries), or from the cache."""
    key = f"{FACTS_CACHE_KEY}:{current_generation((Topic.PROGRAM,))}"
    facts = cache.get(key)
    if facts is None:
        delivered = headline(ServiceRecord.objects.public())
        facts = ProgramFacts(
            neighbourhoods=Neighbourhood.objects.count(),
            cities=City.objects.filter(neighbourhoods__isnull=False).distinct().count(),
            houses=House.objects.active().count(),
            agencies=Agency.objects.count(),
            domains=ServiceDomain.objects.count(),
            records=delivered.records,
            beneficiaries=delivered.beneficiaries,
        )
        cache.set(key, facts, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return facts


def headline_figures(facts: ProgramFacts) -> list[Figure]:
    """The numbers the home page opens with; what was delivered once anything was."""
    figures = [
        Figure(facts.neighbourhoods, "محلهٔ هدف"),
        Figure(facts.cities, "شهر"),
        Figure(facts.houses, "خانهٔ فعال در محله‌ها"),
        Figure(facts.agencies, "دستگاه اجرایی"),
        Figure(facts.domains, "حوزهٔ خدمت"),
    ]
    if facts.records:
        figures += [
            Figure(facts.records, "خدمت تأییدشده"),
            # The province's first few people are protected like every public count of people.
            Figure(
                LESS_THAN if is_small(facts.beneficiaries) else facts.beneficiaries, "نفر بهره‌مند"
            ),
        ]
    return figures
