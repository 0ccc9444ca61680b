"""A house of every agency in every demo neighbourhood, about a year of service records, and
one demo user per role (the agencies, domains and service types are the reference data of
agencies/reference.py).  Every house, record and user created here is marked as a demo row
(demo/models.py); a user's membership is part of the user and goes with it."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agencies.choices import RecordStatus
from agencies.models import (
    Agency,
    House,
    ServiceRecord,
    ServiceType,
    StaffMembership,
    StaffRole,
)
from agencies.reference import DOMAINS, load_program
from core.jalali import jalali_year_month
from demo.models import DemoRow
from neighbourhoods.models import City, Neighbourhood

# Typical cost per person of each service type, in Rials, for plausible demo records.
COST_PER_PERSON = {
    "cultural-reading-circle": 150_000,
    "cultural-religious-event": 200_000,
    "cultural-children-camp": 900_000,
    "cultural-art-class": 600_000,
    "employment-skills-training": 2_500_000,
    "employment-home-business-loan": 150_000_000,
    "employment-job-matching": 300_000,
    "employment-market-booth": 5_000_000,
    "housing-repair": 80_000_000,
    "housing-rent-deposit": 120_000_000,
    "housing-heating": 25_000_000,
    "housing-sanitation": 40_000_000,
    "health-screening": 350_000,
    "health-first-aid-course": 400_000,
    "health-medical-costs": 30_000_000,
    "health-dental-eye": 2_000_000,
    "health-nutrition": 4_500_000,
    "social-counselling": 800_000,
    "social-addiction-prevention": 250_000,
    "social-disability-aid": 15_000_000,
    "social-volunteer-network": 100_000,
    "education-school-supplies": 3_000_000,
    "education-tutoring": 1_200_000,
    "education-scholarship": 20_000_000,
    "education-literacy": 700_000,
}

# Which domains each agency mostly works in (weights), so the demo looks like the program.
# Order of the weights: cultural, employment, housing, health, social, education.
_WEIGHTS = {
    "ehsan": (3, 3, 2, 2, 2, 3),
    "emdad": (1, 4, 4, 2, 1, 3),
    "helal": (1, 1, 1, 6, 2, 1),
    "behzisti": (1, 2, 1, 2, 6, 1),
}
AGENCY_DOMAIN_WEIGHTS = {
    agency: dict(zip([slug for slug, _n, _t in DOMAINS], weights, strict=True))
    for agency, weights in _WEIGHTS.items()
}

DEMO_PASSWORD = "mahalleh-1405"  # noqa: S105 - printed for demo users in development


def seed_houses(rng: random.Random) -> int:
    created = []
    neighbourhoods = Neighbourhood.objects.filter(is_demo=True).select_related("city")
    for agency in Agency.objects.all():
        for neighbourhood in neighbourhoods:
            house, was_created = House.objects.get_or_create(
                agency=agency,
                neighbourhood=neighbourhood,
                defaults={
                    "address": f"{neighbourhood.city.name}، {neighbourhood.name}، "
                    f"کوچهٔ {rng.randint(1, 24)}، پلاک {rng.randint(1, 90)}",
                    "phone": f"023-{rng.randint(33000000, 33999999)}",
                    "opened_on": datetime.date(2023, 1, 1)
                    + datetime.timedelta(days=rng.randint(0, 500)),
                },
            )
            if was_created:
                created.append(house)
    DemoRow.objects.mark(created)
    return len(created)


def build_record(rng, house, service_type, cost_per_person, day) -> ServiceRecord:
    """One plausible record whose parts add up, as the constraints require."""
    beneficiaries = rng.randint(1, 6) if cost_per_person > 10_000_000 else rng.randint(5, 90)
    male = rng.randint(beneficiaries // 3, beneficiaries - beneficiaries // 3)
    children = rng.randint(0, beneficiaries // 2)
    elderly = rng.randint(0, (beneficiaries - children) // 3)
    disabled_share = 4 if house.agency.slug == "behzisti" else 15
    year, month = jalali_year_month(day)
    return ServiceRecord(
        house=house,
        service_type=service_type,
        delivered_on=day,
        jalali_year=year,
        jalali_month=month,
        # A year of work already reviewed: demo records count on the public pages.
        status=RecordStatus.APPROVED,
        beneficiaries=beneficiaries,
        male=male,
        female=beneficiaries - male,
        children=children,
        elderly=elderly,
        adults=beneficiaries - children - elderly,
        households=max(1, beneficiaries * 10 // rng.randint(25, 45)),
        disabled=rng.randint(0, beneficiaries // disabled_share),
        cost_rials=cost_per_person * beneficiaries * rng.randint(80, 120) // 100,
    )


def seed_records(rng: random.Random) -> int:
    houses = list(House.objects.filter(neighbourhood__is_demo=True).select_related("agency"))
    if not houses or ServiceRecord.objects.filter(house__in=houses).exists():
        return 0
    cost_by_slug = COST_PER_PERSON
    types_by_domain: dict[str, list[ServiceType]] = {}
    for service_type in ServiceType.objects.select_related("domain"):
        types_by_domain.setdefault(service_type.domain.slug, []).append(service_type)
    today = timezone.localdate()
    records = []
    for house in houses:
        weights = AGENCY_DOMAIN_WEIGHTS.get(house.agency.slug, {})
        domains = [slug for slug in types_by_domain if weights.get(slug, 1)]
        for _index in range(rng.randint(10, 20)):
            domain = rng.choices(domains, [weights.get(slug, 1) for slug in domains])[0]
            service_type = rng.choice(types_by_domain[domain])
            day = today - datetime.timedelta(days=rng.randint(1, 365))
            records.append(
                build_record(rng, house, service_type, cost_by_slug.get(service_type.slug, 0), day)
            )
    # The returned rows carry their primary keys (SQLite 3.35+, PostgreSQL), so they can be marked.
    created = bulk_create_with_history(records, ServiceRecord, batch_size=500)
    DemoRow.objects.mark(created)
    return len(created)


def seed_users(stdout) -> None:
    """One user per role, printed with their password; development only."""
    User = get_user_model()
    people = [
        ("admin", "مدیر سامانه", None, None, True),
        ("coordinator", "هماهنگ‌کنندهٔ استانی", StaffRole.COORDINATOR, None, False),
        ("viewer", "ناظر", StaffRole.VIEWER, None, False),
        ("ehsan", "کارشناس خانه احسان", StaffRole.AGENCY_STAFF, "ehsan", False),
        ("emdad", "کارشناس خانه امداد", StaffRole.AGENCY_STAFF, "emdad", False),
        ("helal", "کارشناس خانه هلال", StaffRole.AGENCY_STAFF, "helal", False),
        ("behzisti", "کارشناس خانه بهزیستی", StaffRole.AGENCY_STAFF, "behzisti", False),
        ("helal_shahrud", "کارشناس هلال‌احمر شاهرود", StaffRole.AGENCY_STAFF, "helal", False),
        ("emdad_lead", "مسئول استانی کمیته امداد", StaffRole.SUPERVISOR, "emdad", False),
        ("helal_lead", "مسئول استانی هلال‌احمر", StaffRole.SUPERVISOR, "helal", False),
    ]
    stdout.write("Demo users (development only), password for all: " + DEMO_PASSWORD)
    for username, title, role, agency_slug, is_admin in people:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": title, "is_staff": is_admin, "is_superuser": is_admin},
        )
        if created:
            DemoRow.objects.mark([user])
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if role:
            membership, _ = StaffMembership.objects.update_or_create(
                user=user,
                defaults={
                    "role": role,
                    "agency": Agency.objects.get(slug=agency_slug) if agency_slug else None,
                },
            )
            if username == "helal_shahrud":
                membership.cities.set(City.objects.filter(slug="shahrud"))
        stdout.write(f"  {username:<14} {title}")


def seed(*, with_users: bool, stdout) -> str:
    """Create what is missing; a second run finds everything and creates nothing."""
    rng = random.Random(1405)
    load_program()
    houses = seed_houses(rng)
    records = seed_records(rng)
    if with_users:
        seed_users(stdout)
    return f"{houses} houses, {records} service records created"
