"""The places every installation needs: Semnan province, its eight counties and twelve cities.

Neighbourhoods are not reference data: the real list is loaded from the province's file
(``importer.py``); the demo app invents fifty for trying the portal out.
"""

from neighbourhoods.models import City, County, Province

PROVINCE = ("semnan-province", "سمنان")

# county slug, county name, [(city slug, city name)]
COUNTIES = [
    ("semnan", "سمنان", [("semnan", "سمنان")]),
    ("sorkheh", "سرخه", [("sorkheh", "سرخه")]),
    ("mehdishahr", "مهدی‌شهر", [("mehdishahr", "مهدی‌شهر"), ("shahmirzad", "شهمیرزاد")]),
    ("garmsar", "گرمسار", [("garmsar", "گرمسار"), ("eyvanki", "ایوانکی")]),
    ("aradan", "آرادان", [("aradan", "آرادان")]),
    (
        "shahrud",
        "شاهرود",
        [("shahrud", "شاهرود"), ("bastam", "بسطام"), ("biarjomand", "بیارجمند")],
    ),
    ("meyami", "میامی", [("meyami", "میامی")]),
    ("damghan", "دامغان", [("damghan", "دامغان")]),
]


def load_places() -> dict:
    """Create the province, its counties and cities where missing; change nothing else.

    Rows are found by their slugs, so a name corrected by an admin stays corrected.
    Returns how many of each were created.
    """
    created = {"استان": 0, "شهرستان": 0, "شهر": 0}
    province, made = Province.objects.get_or_create(
        slug=PROVINCE[0], defaults={"name": PROVINCE[1]}
    )
    created["استان"] += made
    for county_slug, county_name, cities in COUNTIES:
        county, made = County.objects.get_or_create(
            province=province, slug=county_slug, defaults={"name": county_name}
        )
        created["شهرستان"] += made
        for city_slug, city_name in cities:
            _city, made = City.objects.get_or_create(
                slug=city_slug, defaults={"name": city_name, "county": county}
            )
            created["شهر"] += made
    return created
