"""The four agencies, the six domains and their service types, a house of every agency in
every demo neighbourhood, about a year of service records, and one demo user per role."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agencies.models import (
    Agency,
    House,
    ServiceDomain,
    ServiceRecord,
    ServiceType,
    StaffMembership,
    StaffRole,
)
from core.jalali import jalali_year_month
from neighbourhoods.models import City, Neighbourhood

AGENCIES = [
    (
        "ehsan",
        "ستاد اجرایی فرمان حضرت امام (ره)",
        "ستاد اجرایی",
        "خانه احسان",
        "#0f5c4d",
        "هماهنگ‌کنندهٔ استانی طرح؛ خانهٔ احسان محل گردهمایی دستگاه‌ها و معتمدان محله است.",
    ),
    (
        "emdad",
        "کمیته امداد امام خمینی (ره)",
        "کمیته امداد",
        "خانه امداد",
        "#1f5fa8",
        "پشتیبان خانواده‌های تحت حمایت در معیشت، مسکن و راه‌اندازی کسب‌وکار خانگی.",
    ),
    (
        "helal",
        "جمعیت هلال‌احمر",
        "هلال‌احمر",
        "خانه هلال",
        "#c62828",
        "آموزش آمادگی در برابر حادثه، کمک‌های اولیه و خدمات سلامت در دل محله.",
    ),
    (
        "behzisti",
        "سازمان بهزیستی",
        "بهزیستی",
        "خانه بهزیستی",
        "#6a3d9a",
        "همراه توان‌خواهان، کودکان و خانواده‌هایی که به حمایت اجتماعی و مشاوره نیاز دارند.",
    ),
]

# domain slug, name, [(service type slug, name, typical cost per person in Rials)]
DOMAINS = [
    (
        "cultural",
        "فرهنگی",
        [
            ("cultural-reading-circle", "حلقهٔ کتاب‌خوانی", 150_000),
            ("cultural-religious-event", "برگزاری مراسم مذهبی و ملی", 200_000),
            ("cultural-children-camp", "اردوی فرهنگی کودکان و نوجوانان", 900_000),
            ("cultural-art-class", "کلاس هنری و صنایع دستی", 600_000),
        ],
    ),
    (
        "employment",
        "اشتغال",
        [
            ("employment-skills-training", "آموزش مهارت فنی و حرفه‌ای", 2_500_000),
            ("employment-home-business-loan", "وام کسب‌وکار خانگی", 150_000_000),
            ("employment-job-matching", "معرفی به بازار کار", 300_000),
            ("employment-market-booth", "راه‌اندازی بازارچهٔ محصولات محلی", 5_000_000),
        ],
    ),
    (
        "housing",
        "مسکن",
        [
            ("housing-repair", "تعمیر و مقاوم‌سازی خانه", 80_000_000),
            ("housing-rent-deposit", "کمک ودیعهٔ مسکن", 120_000_000),
            ("housing-heating", "تأمین وسایل گرمایشی", 25_000_000),
            ("housing-sanitation", "بهسازی سرویس بهداشتی و آشپزخانه", 40_000_000),
        ],
    ),
    (
        "health",
        "درمان و سلامت",
        [
            ("health-screening", "پایش و غربالگری سلامت", 350_000),
            ("health-first-aid-course", "آموزش کمک‌های اولیه", 400_000),
            ("health-medical-costs", "کمک هزینهٔ درمان", 30_000_000),
            ("health-dental-eye", "خدمات دندانپزشکی و بینایی‌سنجی", 2_000_000),
            ("health-nutrition", "سبد غذایی و مکمل تغذیه‌ای", 4_500_000),
        ],
    ),
    (
        "social",
        "اجتماعی",
        [
            ("social-counselling", "مشاورهٔ خانواده و روان‌شناسی", 800_000),
            ("social-addiction-prevention", "پیشگیری از اعتیاد و آسیب‌های اجتماعی", 250_000),
            ("social-disability-aid", "وسایل کمک‌توان‌بخشی برای توان‌خواهان", 15_000_000),
            ("social-volunteer-network", "تشکیل گروه داوطلبان محله", 100_000),
        ],
    ),
    (
        "education",
        "علمی و آموزشی",
        [
            ("education-school-supplies", "بستهٔ نوشت‌افزار و لوازم مدرسه", 3_000_000),
            ("education-tutoring", "کلاس تقویتی و جبرانی", 1_200_000),
            ("education-scholarship", "کمک‌هزینهٔ تحصیلی", 20_000_000),
            ("education-literacy", "سوادآموزی بزرگسالان", 700_000),
        ],
    ),
]

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


def seed_reference() -> None:
    """Agencies, domains and service types: needed by every installation, demo or not."""
    for order, (slug, name, short, house, colour, description) in enumerate(AGENCIES, 1):
        Agency.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "house_name": house,
                "colour": colour,
                "description": description,
                "order": order,
            },
        )
    for order, (slug, name, types) in enumerate(DOMAINS, 1):
        domain, _ = ServiceDomain.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
        for type_slug, type_name, _cost in types:
            ServiceType.objects.get_or_create(
                slug=type_slug, defaults={"name": type_name, "domain": domain}
            )


def seed_houses(rng: random.Random) -> int:
    created = 0
    neighbourhoods = Neighbourhood.objects.filter(is_demo=True).select_related("city")
    for agency in Agency.objects.all():
        for neighbourhood in neighbourhoods:
            _, was_created = House.objects.get_or_create(
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
            created += was_created
    return created


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
    cost_by_slug = {slug: cost for _d, _n, types in DOMAINS for slug, _t, cost in types}
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
    bulk_create_with_history(records, ServiceRecord, batch_size=500)
    return len(records)


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
    ]
    stdout.write("Demo users (development only), password for all: " + DEMO_PASSWORD)
    for username, title, role, agency_slug, is_admin in people:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": title, "is_staff": is_admin, "is_superuser": is_admin},
        )
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
    seed_reference()
    houses = seed_houses(rng)
    records = seed_records(rng)
    if with_users:
        seed_users(stdout)
    return f"{houses} houses, {records} service records created"
