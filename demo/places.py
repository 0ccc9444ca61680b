"""Reference places of Semnan province and 50 demo neighbourhoods.

The counties and cities are real; the neighbourhoods are invented (the real list is not
public) and carry `is_demo=True` until staff import the real list.
"""

import random
from decimal import Decimal

from neighbourhoods.models import City, County, Neighbourhood, Province

PROVINCE = ("semnan-province", "سمنان")

# county slug, county name, [(city slug, city name, latitude, longitude, demo neighbourhoods)]
COUNTIES = [
    ("semnan", "سمنان", [("semnan", "سمنان", 35.5729, 53.3971, 9)]),
    ("sorkheh", "سرخه", [("sorkheh", "سرخه", 35.4632, 53.2148, 3)]),
    (
        "mehdishahr",
        "مهدی‌شهر",
        [
            ("mehdishahr", "مهدی‌شهر", 35.7081, 53.3530, 3),
            ("shahmirzad", "شهمیرزاد", 35.7736, 53.3283, 2),
        ],
    ),
    (
        "garmsar",
        "گرمسار",
        [
            ("garmsar", "گرمسار", 35.2182, 52.3409, 5),
            ("eyvanki", "ایوانکی", 35.3439, 52.0687, 3),
        ],
    ),
    ("aradan", "آرادان", [("aradan", "آرادان", 35.2493, 52.4935, 2)]),
    (
        "shahrud",
        "شاهرود",
        [
            ("shahrud", "شاهرود", 36.4182, 54.9763, 9),
            ("bastam", "بسطام", 36.4853, 55.0005, 3),
            ("biarjomand", "بیارجمند", 36.0815, 55.8041, 2),
        ],
    ),
    ("meyami", "میامی", [("meyami", "میامی", 36.4101, 55.6504, 3)]),
    ("damghan", "دامغان", [("damghan", "دامغان", 36.1683, 54.3429, 6)]),
]

# Invented names in the style of Semnan's neighbourhoods; none names a real target area.
DEMO_NAMES = [
    "کوی آزادگان", "محله سرچشمه", "کوی فرهنگیان", "محله باغ‌فردوس", "کوی بهاران",
    "محله چهارسوق", "کوی شهید رجایی", "محله کوشمغان", "کوی امیرکبیر", "محله دروازه‌ری",
    "کوی نصر", "محله قلعه‌نو", "کوی الهیه", "محله پشت‌باغ", "کوی گلستان",
    "محله سنگ‌فرش", "کوی ولیعصر", "محله کهنه‌بازار", "کوی ایثار", "محله آب‌انبار",
    "کوی شقایق", "محله دشتبان", "کوی بسیج", "محله تپه‌سرخ", "کوی یاس",
    "محله سردره", "کوی کارگر", "محله حصار", "کوی مهدیه", "محله آسیاب",
    "کوی جهاد", "محله برج", "کوی سجادیه", "محله کاروانسرا", "کوی نرگس",
    "محله نهرآب", "کوی ارغوان", "محله شترخوان", "کوی فجر", "محله کوچه‌باغ",
    "کوی سپیدار", "محله مصلی", "کوی صاحب‌الزمان", "محله خرمن‌گاه", "کوی لاله",
    "محله پنج‌تن", "کوی شهدا", "محله قنات", "کوی نیلوفر", "محله میدان‌کهنه",
]  # fmt: skip

DESCRIPTIONS = [
    "محله‌ای قدیمی با کوچه‌های باریک و خانه‌های خشتی که بیشتر ساکنانش کارگر فصلی‌اند.",
    "محله‌ای در حاشیهٔ شهر که در دو دههٔ گذشته با مهاجرت از روستاهای اطراف شکل گرفته است.",
    "بافتی فرسوده در کنار بازار قدیم، با خانوارهای پرجمعیت و سالمندان تنها.",
    "محله‌ای جوان با کودکان بسیار و کمبود فضای آموزشی و ورزشی.",
    "محله‌ای کنار زمین‌های کشاورزی که معیشت ساکنانش به کار روزمزد بسته است.",
]


def seed(*, with_users: bool, stdout) -> str:
    """Create the province, its counties and cities, and the demo neighbourhoods once."""
    province, _ = Province.objects.get_or_create(slug=PROVINCE[0], defaults={"name": PROVINCE[1]})
    rng = random.Random(2020)
    names = iter(DEMO_NAMES)
    created = 0
    serial = 0
    for county_slug, county_name, cities in COUNTIES:
        county, _ = County.objects.get_or_create(
            province=province, slug=county_slug, defaults={"name": county_name}
        )
        for city_slug, city_name, lat, lon, count in cities:
            city, _ = City.objects.get_or_create(
                slug=city_slug, defaults={"name": city_name, "county": county}
            )
            for _index in range(count):
                serial += 1
                population = rng.randrange(2500, 14000, 50)
                _, was_created = Neighbourhood.objects.get_or_create(
                    code=f"DEMO-{serial:02d}",
                    defaults={
                        "city": city,
                        "name": next(names),
                        "population": population,
                        "households": population * 10 // rng.randint(32, 42),
                        "latitude": Decimal(f"{lat + rng.uniform(-0.012, 0.012):.6f}"),
                        "longitude": Decimal(f"{lon + rng.uniform(-0.012, 0.012):.6f}"),
                        "description": rng.choice(DESCRIPTIONS),
                        "is_demo": True,
                    },
                )
                created += was_created
    return f"{City.objects.count()} cities, {created} demo neighbourhoods created"
