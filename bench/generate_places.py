"""The national geography of bench/generate.py: the 31 provinces, their counties and cities, the
program's neighbourhoods and a house of every agency in each.

The provinces are the real ones, with their real slugs' spelling in Latin letters, an
approximate count of counties (about 1400) and an approximate population (the 1395 census, in
thousands), which decides how many of the 1,970 neighbourhoods outside Semnan each gets. Semnan
keeps its real eight counties and twelve cities (neighbourhoods/reference.py) and the fifty
neighbourhood names of the demo (demo/places.py), so a bench database still looks like the
province the portal started in. Counties and cities elsewhere get invented names; a county's
first city carries the county's name, as most county seats do.

The full plan (every neighbourhood of scale 1, with its code, name, city and figures) is drawn
from a fixed seed whatever ``--scale`` is; a smaller scale takes the first neighbourhoods of
each province's list. So runs at different scales agree on the places they share, and a run
with ``--force`` finds the places of an earlier run by their slugs and codes and adds only the
missing ones.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

NEIGHBOURHOODS = 2020
SEMNAN_NEIGHBOURHOODS = 50
PLAN_SEED = 1405

# slug, name, code of its neighbourhoods, counties, population (thousands), capital lat/lon
PROVINCES = [
    ("east-azerbaijan", "آذربایجان شرقی", "AZS", 21, 3909, 38.08, 46.29),
    ("west-azerbaijan", "آذربایجان غربی", "AZG", 17, 3265, 37.55, 45.07),
    ("ardabil", "اردبیل", "ARD", 10, 1271, 38.25, 48.30),
    ("isfahan", "اصفهان", "ISF", 24, 5120, 32.65, 51.67),
    ("alborz", "البرز", "ALB", 6, 2712, 35.83, 50.99),
    ("ilam", "ایلام", "ILM", 10, 580, 33.64, 46.42),
    ("bushehr", "بوشهر", "BSH", 10, 1163, 28.92, 50.84),
    ("tehran", "تهران", "THR", 16, 13267, 35.69, 51.39),
    ("chaharmahal-bakhtiari", "چهارمحال و بختیاری", "CHB", 10, 947, 32.33, 50.86),
    ("south-khorasan", "خراسان جنوبی", "KHJ", 11, 768, 32.87, 59.22),
    ("razavi-khorasan", "خراسان رضوی", "KHR", 28, 6434, 36.30, 59.60),
    ("north-khorasan", "خراسان شمالی", "KHS", 8, 863, 37.47, 57.33),
    ("khuzestan", "خوزستان", "KHZ", 27, 4710, 31.32, 48.67),
    ("zanjan", "زنجان", "ZNJ", 8, 1057, 36.68, 48.48),
    ("semnan-province", "سمنان", "SMN", 8, 702, 35.57, 53.40),
    ("sistan-baluchestan", "سیستان و بلوچستان", "SBL", 21, 2775, 29.50, 60.86),
    ("fars", "فارس", "FRS", 36, 4851, 29.59, 52.58),
    ("qazvin", "قزوین", "QZV", 6, 1273, 36.27, 50.00),
    ("qom", "قم", "QOM", 1, 1292, 34.64, 50.88),
    ("kurdistan", "کردستان", "KRD", 10, 1603, 35.31, 47.00),
    ("kerman", "کرمان", "KRM", 23, 3165, 30.28, 57.08),
    ("kermanshah", "کرمانشاه", "KSH", 14, 1952, 34.31, 47.07),
    ("kohgiluyeh-boyer-ahmad", "کهگیلویه و بویراحمد", "KBA", 8, 713, 30.67, 51.59),
    ("golestan", "گلستان", "GLS", 14, 1868, 36.84, 54.43),
    ("gilan", "گیلان", "GIL", 17, 2531, 37.28, 49.58),
    ("lorestan", "لرستان", "LRS", 11, 1760, 33.49, 48.36),
    ("mazandaran", "مازندران", "MZN", 22, 3283, 36.56, 53.06),
    ("markazi", "مرکزی", "MRK", 12, 1429, 34.09, 49.69),
    ("hormozgan", "هرمزگان", "HRM", 13, 1776, 27.18, 56.27),
    ("hamadan", "همدان", "HMD", 10, 1738, 34.80, 48.51),
    ("yazd", "یزد", "YZD", 10, 1138, 31.90, 54.37),
]
SEMNAN = "semnan-province"

# Parts of invented place names: a first part and an ending, joined by a ZWNJ.
NAME_STARTS = [
    "باغ", "چشمه", "دشت", "کوه", "قلعه", "ده", "سبز", "گل", "مهر", "شاه", "نو", "سر", "ریگ",
    "بید", "خور", "زر", "سنگ", "نیک", "روشن", "فیروز", "بهار", "امید", "آزاد", "اسد", "حسن",
    "کریم", "نصر", "خیر", "شیر", "بلند", "میان", "پشت", "تل", "چاه", "کهن", "انار", "سیب",
    "بادام", "نارین", "آسمان",
]  # fmt: skip
NAME_ENDS = [
    "آباد", "دشت", "کنار", "رود", "سار", "ستان", "شهر", "بند", "کوه", "زار", "گاه", "ده",
    "سرا", "بن", "ور", "چال", "دره", "پل", "باغ", "کلاته",
]  # fmt: skip
NEIGHBOURHOOD_KINDS = ["کوی", "محله", "شهرک"]
NEIGHBOURHOOD_NAMES = [
    "آزادگان", "فرهنگیان", "بهاران", "ولیعصر", "شهدا", "ایثار", "گلستان", "نرگس", "لاله",
    "سپیدار", "کارگر", "جهاد", "فجر", "بسیج", "مهدیه", "قائم", "انقلاب", "پردیس", "رسالت",
    "مطهری", "بهشتی", "طالقانی", "سعدی", "حافظ", "فردوسی", "خیام", "مولوی", "کوثر", "زینبیه",
    "ابوذر", "بعثت", "امیرکبیر", "شریعتی", "سرچشمه", "چهارسوق", "کهنه‌بازار", "آب‌انبار",
    "قلعه‌نو", "پشت‌باغ", "سنگ‌فرش", "دروازه", "کاروانسرا", "نهرآب", "مصلی", "قنات", "آسیاب",
    "حصار", "برج", "تپه", "باغ‌میشه", "ارغوان", "یاس", "نیلوفر", "شقایق", "اقاقیا", "صنوبر",
    "زیتون", "انار", "میدان", "راه‌آهن", "فرودگاه", "صنعتی", "دانشگاه", "رضوان", "امام رضا",
]  # fmt: skip
DESCRIPTIONS = [
    "محله‌ای قدیمی با کوچه‌های باریک که بیشتر ساکنانش کارگر فصلی‌اند.",
    "محله‌ای در حاشیهٔ شهر که با مهاجرت از روستاهای اطراف شکل گرفته است.",
    "بافتی فرسوده در کنار بازار قدیم، با خانوارهای پرجمعیت و سالمندان تنها.",
    "محله‌ای جوان با کودکان بسیار و کمبود فضای آموزشی و ورزشی.",
    "محله‌ای کنار زمین‌های کشاورزی که معیشت ساکنانش به کار روزمزد بسته است.",
    "شهرکی تازه‌ساز با خانه‌های کوچک و خانواده‌هایی که تازه به شهر آمده‌اند.",
]
FIRST_NAMES = [
    "زهرا", "فاطمه", "مریم", "معصومه", "رقیه", "طاهره", "نرگس", "صدیقه", "محمد", "علی",
    "حسین", "رضا", "مهدی", "عباس", "حمید", "ابراهیم", "سمیه", "لیلا", "جواد", "مجید",
]  # fmt: skip
SURNAMES = [
    "رضایی", "محمدی", "حسینی", "احمدی", "کریمی", "نوری", "قاسمی", "جعفری", "صادقی", "رحیمی",
    "مرادی", "اکبری", "یزدانی", "طاهری", "سلطانی", "موسوی", "کاظمی", "حیدری", "عباسی",
]  # fmt: skip


@dataclass(frozen=True)
class PlannedNeighbourhood:
    code: str
    name: str
    city_slug: str
    population: int
    households: int
    latitude: Decimal
    longitude: Decimal
    description: str


@dataclass
class Plan:
    """Every county, city and neighbourhood of scale 1, by province."""

    counties: dict  # province slug -> [(county slug, name, [(city slug, city name)])]
    neighbourhoods: dict  # province slug -> [PlannedNeighbourhood], in the order runs take them


def invented_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """*count* invented place names, none in *taken* (which they join)."""
    names = []
    while len(names) < count:
        start, end = rng.choice(NAME_STARTS), rng.choice(NAME_ENDS)
        name = f"{start}\u200c{end}"
        if start != end and name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _other_counties(rng, slug, count):
    taken: set[str] = set()
    counties = []
    for number, name in enumerate(invented_names(rng, count, taken), 1):
        cities = [name, *invented_names(rng, rng.choices((0, 1, 2, 3), (40, 35, 17, 8))[0], taken)]
        county_slug = f"{slug}-{number:02d}"
        counties.append(
            (
                county_slug,
                name,
                [(f"{county_slug}-{n}", city) for n, city in enumerate(cities, 1)],
            )
        )
    return counties


def _semnan_counties():
    from neighbourhoods.reference import COUNTIES

    return [(slug, name, list(cities)) for slug, name, cities in COUNTIES]


def largest_remainders(total: int, weights: dict) -> dict:
    """*total* split in proportion to *weights* (largest remainders), whole numbers."""
    whole = sum(weights.values())
    shares = {key: total * weight / whole for key, weight in weights.items()}
    quotas = {key: int(share) for key, share in shares.items()}
    left = total - sum(quotas.values())
    for key in sorted(shares, key=lambda k: quotas[k] - shares[k])[:left]:
        quotas[key] += 1
    return quotas


def build_plan() -> Plan:
    """The whole geography of scale 1, the same on every run."""
    from demo.places import DEMO_CITIES, DEMO_NAMES

    rng = random.Random(PLAN_SEED)
    counties, centres, planned = {}, {}, {}
    others = {p[0]: p[4] for p in PROVINCES if p[0] != SEMNAN}
    per_province = largest_remainders(NEIGHBOURHOODS - SEMNAN_NEIGHBOURHOODS, others)
    per_province[SEMNAN] = SEMNAN_NEIGHBOURHOODS
    for slug, _name, code, county_count, _people, lat, lon in PROVINCES:
        semnan = slug == SEMNAN
        counties[slug] = _semnan_counties() if semnan else _other_counties(rng, slug, county_count)
        cities = [city for _c, _n, county_cities in counties[slug] for city in county_cities]
        for city_slug, _city_name in cities:
            if semnan:
                centres[city_slug] = DEMO_CITIES[city_slug][:2]
            else:
                centres[city_slug] = (lat + rng.uniform(-1.2, 1.2), lon + rng.uniform(-1.5, 1.5))
        if semnan:
            homes = [city for city, (_lat, _lon, n) in DEMO_CITIES.items() for _ in range(n)]
            names = list(DEMO_NAMES)
        else:
            # County seats (each county's first city) are bigger and hold more neighbourhoods.
            weights = [3 if n.endswith("-1") else 1 for n, _ in cities]
            homes = rng.choices([n for n, _ in cities], weights, k=per_province[slug])
            names = [None] * len(homes)
        rows, used = [], set()
        for serial, (city_slug, name) in enumerate(zip(homes, names, strict=True), 1):
            name = name or _neighbourhood_name(rng, city_slug, used)
            used.add((city_slug, name))
            population = rng.randrange(2500, 14000, 50)
            c_lat, c_lon = centres[city_slug]
            rows.append(
                PlannedNeighbourhood(
                    code=f"{code}-{serial:04d}",
                    name=name,
                    city_slug=city_slug,
                    population=population,
                    households=population * 10 // rng.randint(32, 42),
                    latitude=Decimal(f"{c_lat + rng.uniform(-0.015, 0.015):.6f}"),
                    longitude=Decimal(f"{c_lon + rng.uniform(-0.015, 0.015):.6f}"),
                    description=rng.choice(DESCRIPTIONS),
                )
            )
        rng.shuffle(rows)
        planned[slug] = rows
    return Plan(counties=counties, neighbourhoods=planned)


def _neighbourhood_name(rng, city_slug, used) -> str:
    for _attempt in range(50):
        name = f"{rng.choice(NEIGHBOURHOOD_KINDS)} {rng.choice(NEIGHBOURHOOD_NAMES)}"
        if (city_slug, name) not in used:
            return name
    number = sum(1 for city, _ in used if city == city_slug) + 1
    return f"{rng.choice(NEIGHBOURHOOD_KINDS)} {rng.choice(NEIGHBOURHOOD_NAMES)} {number}"


def chosen_neighbourhoods(plan: Plan, scale: float) -> list[PlannedNeighbourhood]:
    """The neighbourhoods a run at *scale* has: the same share of each province's list."""
    total = max(1, round(NEIGHBOURHOODS * scale))
    sizes = {slug: len(rows) for slug, rows in plan.neighbourhoods.items()}
    quotas = largest_remainders(total, sizes)
    return [row for slug, rows in plan.neighbourhoods.items() for row in rows[: quotas[slug]]]


def load_geography(plan: Plan, chosen, summary) -> dict:
    """Provinces, counties, cities and the chosen neighbourhoods (with their first history
    row), each created if missing. Returns ``{code: Neighbourhood}`` of the chosen ones."""
    from simple_history.utils import bulk_create_with_history

    from core.text import compact_key
    from neighbourhoods.models import City, County, Neighbourhood, Province

    def places(progress):
        made = 0
        provinces = {p.slug: p for p in Province.objects.all()}
        new = [Province(slug=p[0], name=p[1]) for p in PROVINCES if p[0] not in provinces]
        Province.objects.bulk_create(new)
        made += len(new)
        provinces = {p.slug: p for p in Province.objects.all()}
        counties = {(c.province_id, c.slug): c for c in County.objects.all()}
        new = [
            County(province=provinces[slug], slug=c_slug, name=name)
            for slug, rows in plan.counties.items()
            for c_slug, name, _cities in rows
            if (provinces[slug].pk, c_slug) not in counties
        ]
        County.objects.bulk_create(new)
        made += len(new)
        counties = {(c.province_id, c.slug): c for c in County.objects.all()}
        cities = set(City.objects.values_list("slug", flat=True))
        new = [
            City(county=counties[(provinces[slug].pk, c_slug)], slug=city_slug, name=city_name)
            for slug, rows in plan.counties.items()
            for c_slug, _name, county_cities in rows
            for city_slug, city_name in county_cities
            if city_slug not in cities
        ]
        City.objects.bulk_create(new, batch_size=1000)
        return made + len(new)

    summary.timed("provinces, counties, cities", places)

    found = {}  # planned code -> the row that stands for it

    def neighbourhoods(progress):
        cities = {c.slug: c for c in City.objects.all()}
        by_code = {n.code: n for n in Neighbourhood.objects.select_related("city")}
        # A neighbourhood of the same name in the same city (the demo's, in Semnan) is the
        # planned one under another code: it is used as it is.
        by_name = {(n.city.slug, n.name): n for n in by_code.values()}
        new = []
        for row in chosen:
            existing = by_code.get(row.code) or by_name.get((row.city_slug, row.name))
            if existing is not None:
                found[row.code] = existing
                continue
            new.append(
                Neighbourhood(
                    city=cities[row.city_slug],
                    name=row.name,
                    code=row.code,
                    population=row.population,
                    households=row.households,
                    latitude=row.latitude,
                    longitude=row.longitude,
                    description=row.description,
                    search_key=compact_key(row.name),
                )
            )
        made = bulk_create_with_history(
            new, Neighbourhood, batch_size=1000, default_date=_moment(dt.date(2021, 3, 21))
        )
        found.update((n.code, n) for n in made)
        return len(new)

    summary.timed("neighbourhoods (+ history)", neighbourhoods, total=len(chosen))
    return {code: found[code] for code in sorted(found)}


def load_houses(neighbourhoods: dict, summary, rng: random.Random) -> list:
    """A house of every agency in every chosen neighbourhood (with its first history row)."""
    from simple_history.utils import bulk_create_with_history

    from agencies.models import Agency, House

    agencies = list(Agency.objects.order_by("order", "pk"))

    def work(progress):
        present = set(
            House.objects.filter(neighbourhood__in=neighbourhoods.values()).values_list(
                "agency_id", "neighbourhood_id"
            )
        )
        new = []
        for neighbourhood in neighbourhoods.values():
            for agency in agencies:
                if (agency.pk, neighbourhood.pk) in present:
                    continue
                opened = dt.date(2021, 3, 21) + dt.timedelta(days=rng.randint(0, 360))
                new.append(
                    House(
                        agency=agency,
                        neighbourhood=neighbourhood,
                        address=f"{neighbourhood.city.name}، {neighbourhood.name}، "
                        f"کوچهٔ {rng.randint(1, 40)}، پلاک {rng.randint(1, 120)}",
                        phone=""
                        if rng.random() < 0.2
                        else f"0{rng.randint(11, 87)}-{rng.randint(30000000, 39999999)}",
                        manager_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                        opened_on=opened,
                    )
                )
        bulk_create_with_history(
            new, House, batch_size=2000, default_date=_moment(dt.date(2021, 3, 21))
        )
        return len(new)

    summary.timed("houses (+ history)", work, total=len(neighbourhoods) * len(agencies))
    return list(
        House.objects.filter(neighbourhood__in=neighbourhoods.values())
        .select_related("agency", "neighbourhood__city__county__province")
        .order_by("pk")
    )


def _moment(day: dt.date, hour: int = 9) -> dt.datetime:
    """Nine in the morning of *day* in Tehran, as an aware datetime."""
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo("Asia/Tehran"))
