"""Fifty demo neighbourhoods in Semnan's twelve cities.

The counties and cities are the real reference places (neighbourhoods/reference.py); the
neighbourhoods are invented (the real list is not public) and carry `is_demo=True`.
"""

import random
from decimal import Decimal

from demo.models import DemoRow
from neighbourhoods.models import City, Neighbourhood
from neighbourhoods.reference import load_places

# Where each city's demo neighbourhoods lie (near the city centre) and how many it gets.
# city slug: (latitude, longitude, demo neighbourhoods)
DEMO_CITIES = {
    "semnan": (35.5729, 53.3971, 9),
    "sorkheh": (35.4632, 53.2148, 3),
    "mehdishahr": (35.7081, 53.3530, 3),
    "shahmirzad": (35.7736, 53.3283, 2),
    "garmsar": (35.2182, 52.3409, 5),
    "eyvanki": (35.3439, 52.0687, 3),
    "aradan": (35.2493, 52.4935, 2),
    "shahrud": (36.4182, 54.9763, 9),
    "bastam": (36.4853, 55.0005, 3),
    "biarjomand": (36.0815, 55.8041, 2),
    "meyami": (36.4101, 55.6504, 3),
    "damghan": (36.1683, 54.3429, 6),
}

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
    """The reference places (neighbourhoods/reference.py) and the demo neighbourhoods, once;
    the neighbourhoods it creates are marked as demo rows, the reference places are not."""
    load_places()
    rng = random.Random(2020)
    names = iter(DEMO_NAMES)
    cities = {city.slug: city for city in City.objects.filter(slug__in=DEMO_CITIES)}
    created = []
    serial = 0
    for city_slug, (lat, lon, count) in DEMO_CITIES.items():
        for _index in range(count):
            serial += 1
            population = rng.randrange(2500, 14000, 50)
            neighbourhood, was_created = Neighbourhood.objects.get_or_create(
                code=f"DEMO-{serial:02d}",
                defaults={
                    "city": cities[city_slug],
                    "name": next(names),
                    "population": population,
                    "households": population * 10 // rng.randint(32, 42),
                    "latitude": Decimal(f"{lat + rng.uniform(-0.012, 0.012):.6f}"),
                    "longitude": Decimal(f"{lon + rng.uniform(-0.012, 0.012):.6f}"),
                    "description": rng.choice(DESCRIPTIONS),
                    "is_demo": True,
                },
            )
            if was_created:
                created.append(neighbourhood)
    DemoRow.objects.mark(created)
    return f"{City.objects.count()} cities, {len(created)} demo neighbourhoods created"
