"""A division of labour for the demo neighbourhoods: in each domain the agency whose work it
mostly is leads and one or two others support, as the program intends. A few neighbourhoods
are left with a domain nobody leads, so the matrix and the report have gaps to show.

Saved through ``coordination.division.responsibility_save`` as the portal itself; every row
created is marked as a demo row (demo/models.py).
"""

from agencies.access import SYSTEM
from agencies.models import Agency, ServiceDomain
from coordination.division import responsibility_save
from coordination.models import Responsibility
from demo.models import DemoRow
from neighbourhoods.models import Neighbourhood

# domain slug: (lead agency slug, supporting agency slugs), from agencies/reference.py
PATTERN = {
    "cultural": ("ehsan", ("behzisti",)),
    "employment": ("emdad", ("ehsan",)),
    "housing": ("emdad", ("ehsan",)),
    "health": ("helal", ("behzisti",)),
    "social": ("behzisti", ("emdad", "helal")),
    "education": ("ehsan", ("emdad",)),
}

# Which domains stay open in some neighbourhoods (by their place in the list): every third
# neighbourhood has no row for education, every seventh a housing row without a lead.
NO_ROW_EVERY = ("education", 3)
NO_LEAD_EVERY = ("housing", 7)


def _lead_for(index: int, domain_slug: str) -> tuple[str | None, tuple[str, ...]] | None:
    """The lead and supporters of one domain in the neighbourhood at *index*; None: no row."""
    slug, every = NO_ROW_EVERY
    if domain_slug == slug and index % every == every - 1:
        return None
    slug, every = NO_LEAD_EVERY
    if domain_slug == slug and index % every == every - 1:
        return None, ()
    return PATTERN[domain_slug]


def seed(*, with_users: bool, stdout) -> str:
    """Create the rows that are missing; a neighbourhood and domain that already has a row
    (demo or a coordinator's) is left alone, so a second run creates nothing."""
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    domains = list(ServiceDomain.objects.filter(slug__in=PATTERN).order_by("order", "name"))
    places = list(Neighbourhood.objects.filter(is_demo=True).order_by("code"))
    if not agencies or not domains or not places:
        return "agencies, domains or demo neighbourhoods missing; nothing created"
    taken = set(
        Responsibility.objects.filter(neighbourhood__in=places).values_list(
            "neighbourhood_id", "domain_id"
        )
    )
    created = []
    for index, place in enumerate(places):
        for domain in domains:
            choice = _lead_for(index, domain.slug)
            if choice is None or (place.pk, domain.pk) in taken:
                continue
            lead_slug, supporter_slugs = choice
            row = responsibility_save(
                responsibility=Responsibility(
                    neighbourhood=place, domain=domain, lead=agencies.get(lead_slug)
                ),
                supporters=[agencies[slug] for slug in supporter_slugs if slug in agencies],
                user=SYSTEM,
            )
            created.append(row)
    DemoRow.objects.mark(created)
    open_domains = sum(
        1 for index in range(len(places)) for domain in domains if not _has_lead(index, domain)
    )
    return f"{len(created)} responsibilities created, {open_domains} domains left without a lead"


def _has_lead(index: int, domain: ServiceDomain) -> bool:
    choice = _lead_for(index, domain.slug)
    return choice is not None and choice[0] is not None
