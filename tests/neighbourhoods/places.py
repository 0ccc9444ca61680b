"""A small province for the public place pages: two cities, two neighbourhoods, the four
agencies' houses in «کوی زرین», three domains and a handful of records whose totals are known.

Kowsar (Shahrud) has only an Emdad house; Ehsan's one record is deleted, so it never counts.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from neighbourhoods.models import City, County, Province
from tests.factories import (
    make_agency,
    make_domain,
    make_house,
    make_neighbourhood,
    make_record,
    make_service_type,
)

AGENCIES = [
    ("ehsan", "ستاد اجرایی فرمان حضرت امام (ره)", "خانه احسان"),
    ("emdad", "کمیته امداد امام خمینی (ره)", "خانه امداد"),
    ("helal", "جمعیت هلال‌احمر", "خانه هلال"),
    ("behzisti", "سازمان بهزیستی", "خانه بهزیستی"),
]


def build_places(*, demo=False) -> SimpleNamespace:
    province = Province.objects.create(name="سمنان", slug="semnan-province")
    semnan_county = County.objects.create(province=province, name="سمنان", slug="semnan")
    shahrud_county = County.objects.create(province=province, name="شاهرود", slug="shahrud")
    semnan = City.objects.create(county=semnan_county, name="سمنان", slug="semnan")
    shahrud = City.objects.create(county=shahrud_county, name="شاهرود", slug="shahrud")
    zarrin = make_neighbourhood(
        city=semnan,
        name="کوی زرین",
        code="SMN-001",
        population=4200,
        households=1150,
        description="محله‌ای قدیمی در شمال شهر.",
        is_demo=demo,
    )
    kowsar = make_neighbourhood(city=shahrud, name="کوثر", code="SHR-001", is_demo=demo)
    agencies = {
        slug: make_agency(slug=slug, name=name, short_name=house, house_name=house, order=order)
        for order, (slug, name, house) in enumerate(AGENCIES, 1)
    }
    houses = {
        slug: make_house(
            agency=agency,
            neighbourhood=zarrin,
            address=f"سمنان، کوی زرین، کوچهٔ {order}",
            phone=f"023-3345-000{order}",
            manager_name=f"مسئول {agency.house_name}",
            opened_on=datetime.date(2022, 5, 1),
        )
        for order, (slug, agency) in enumerate(agencies.items(), 1)
    }
    kowsar_emdad = make_house(agency=agencies["emdad"], neighbourhood=kowsar)
    health = make_domain(name="درمان و سلامت", slug="health", order=1)
    jobs = make_domain(name="اشتغال", slug="jobs", order=2)
    housing = make_domain(name="مسکن", slug="housing", order=3)
    visit = make_service_type(domain=health, name="ویزیت رایگان")
    workshop = make_service_type(domain=jobs, name="کارگاه مهارت")
    world = SimpleNamespace(
        semnan=semnan,
        shahrud=shahrud,
        zarrin=zarrin,
        kowsar=kowsar,
        agencies=agencies,
        houses=houses,
        kowsar_emdad=kowsar_emdad,
        health=health,
        jobs=jobs,
        housing=housing,
        visit=visit,
        workshop=workshop,
    )
    record(world.houses["emdad"], visit, 10, households=2, cost_rials=5_000_000)
    record(world.houses["emdad"], workshop, 20, households=5, cost_rials=12_500_000)
    record(world.houses["helal"], visit, 30, households=6, cost_rials=0)
    deleted = record(world.houses["ehsan"], visit, 1000, households=100, cost_rials=9_000_000)
    deleted.deleted_at = timezone.now()
    deleted.save()
    record(kowsar_emdad, visit, 500, households=90, cost_rials=40_000_000)
    return world


def record(house, service_type, beneficiaries, **fields):
    return make_record(
        house=house, service_type=service_type, beneficiaries=beneficiaries, **fields
    )


def add_records(world, count: int) -> None:
    """More records in «کوی زرین», spread over its houses and both service types."""
    houses = list(world.houses.values())
    types = [world.visit, world.workshop]
    for index in range(count):
        record(houses[index % len(houses)], types[index % 2], 4, households=1, cost_rials=1000)
