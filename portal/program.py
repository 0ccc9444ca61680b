"""Facts about the program the home page opens with.

The provincial figures (50 neighbourhoods, 12 cities, 4 agencies, 6 domains) are the
program's own; what has been delivered is counted from the service records and cached
until the content changes, since the home page is the busiest page and the sum is not urgent.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from agencies.models import ServiceRecord
from core.caching import current_generation

SEMNAN_NEIGHBOURHOODS = 50
SEMNAN_CITIES = 12
AGENCIES = 4
DOMAINS = 6
DELIVERED_CACHE_KEY = "home:delivered-totals"


@dataclass(frozen=True)
class Figure:
    value: int
    label: str


def delivered_totals() -> dict:
    """Records and beneficiaries so far, across the province (deleted records excluded)."""
    key = f"{DELIVERED_CACHE_KEY}:{current_generation()}"
    totals = cache.get(key)
    if totals is None:
        raw = ServiceRecord.objects.alive().totals()
        totals = {"records": raw["records"] or 0, "beneficiaries": raw["beneficiaries"] or 0}
        cache.set(key, totals, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return totals


def headline_figures() -> list[Figure]:
    """The numbers the home page opens with."""
    figures = [
        Figure(SEMNAN_NEIGHBOURHOODS, "محلهٔ هدف در استان سمنان"),
        Figure(SEMNAN_CITIES, "شهر"),
        Figure(AGENCIES, "دستگاه اجرایی با خانه‌ای در هر محله"),
        Figure(DOMAINS, "حوزهٔ خدمت"),
    ]
    totals = delivered_totals()
    if totals["records"]:
        figures += [
            Figure(totals["records"], "خدمت ثبت‌شده"),
            Figure(totals["beneficiaries"], "نفر بهره‌مند"),
        ]
    return figures
