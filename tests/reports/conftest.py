"""A small programme whose every figure is worked out by hand (the `report_world` fixture).

Two cities, three neighbourhoods, two agencies, two domains. Records of 1405 lie on both sides
of the Mehr/Aban boundary (1405/07/30 and 1405/08/01) and of the year boundary (1404/12/29 and
1405/01/01); one is only submitted, one is deleted, one is from Aban 1404 (last year's Aban).

| record | house             | type     | date       | ben | hh | dis | cost (M) | state     |
|--------|-------------------|----------|------------|-----|----|-----|----------|-----------|
| r1     | Emdad, Zarrin (S) | food     | 1405/07/30 | 10  | 4  | 1   | 1        | approved  |
| r2     | Emdad, Zarrin (S) | food     | 1405/08/01 | 20  | 5  | 0   | 2        | approved  |
| r3     | Helal, Zarrin (S) | visit    | 1405/08/15 | 30  | 6  | 2   | 3        | approved  |
| r4     | Emdad, Azadi (S)  | visit    | 1405/01/01 | 40  | 8  | 3   | 4        | approved  |
| r5     | Emdad, Kowsar (Sh)| food     | 1404/12/29 | 50  | 10 | 4   | 5        | approved  |
| r6     | Emdad, Kowsar (Sh)| food     | 1405/08/10 | 60  | 12 | 5   | 6        | submitted |
| r7     | Helal, Zarrin (S) | food     | 1405/03/05 | 70  | 14 | 0   | 7        | deleted   |
| r8     | Emdad, Azadi (S)  | visit    | 1404/08/20 | 5   | 1  | 0   | 0.5      | approved  |

S = سمنان (Zarrin: 1,000 people, 250 households; Azadi: 2,000 and 500), Sh = شاهرود (Kowsar:
500 and 100). Food is in the domain «معیشت», visit in «سلامت».
"""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from agencies.choices import RecordStatus
from core.jalali import to_gregorian
from tests.factories import (
    StaffRole,
    make_agency,
    make_city,
    make_domain,
    make_house,
    make_neighbourhood,
    make_record,
    make_service_type,
    make_user,
)

MILLION = 1_000_000


def jalali(text: str):
    y, m, d = (int(part) for part in text.split("/"))
    return to_gregorian(y, m, d)


@pytest.fixture
def report_world(db):
    semnan = make_city(name="سمنان")
    shahrud = make_city(name="شاهرود")
    zarrin = make_neighbourhood(
        city=semnan,
        name="کوی زرین",
        population=1000,
        households=250,
        latitude="35.5800",
        longitude="53.3900",
    )
    azadi = make_neighbourhood(city=semnan, name="کوی آزادی", population=2000, households=500)
    kowsar = make_neighbourhood(city=shahrud, name="کوثر", population=500, households=100)
    emdad = make_agency(slug="emdad", short_name="امداد", colour="#1f5fa8", order=1)
    helal = make_agency(slug="helal", short_name="هلال", colour="#c62828", order=2)
    livelihood = make_domain(name="معیشت", order=1)
    health = make_domain(name="سلامت", order=2)
    food = make_service_type(domain=livelihood, name="بستهٔ غذایی")
    visit = make_service_type(domain=health, name="ویزیت پزشک")
    houses = SimpleNamespace(
        emdad_zarrin=make_house(agency=emdad, neighbourhood=zarrin),
        helal_zarrin=make_house(agency=helal, neighbourhood=zarrin),
        emdad_azadi=make_house(agency=emdad, neighbourhood=azadi),
        emdad_kowsar=make_house(agency=emdad, neighbourhood=kowsar),
    )

    def record(house, service_type, date, ben, hh, dis, cost, **extra):
        return make_record(
            house=house,
            service_type=service_type,
            delivered_on=jalali(date),
            beneficiaries=ben,
            households=hh,
            disabled=dis,
            cost_rials=cost,
            **extra,
        )

    records = SimpleNamespace(
        r1=record(houses.emdad_zarrin, food, "1405/07/30", 10, 4, 1, 1 * MILLION),
        r2=record(houses.emdad_zarrin, food, "1405/08/01", 20, 5, 0, 2 * MILLION),
        r3=record(houses.helal_zarrin, visit, "1405/08/15", 30, 6, 2, 3 * MILLION),
        r4=record(houses.emdad_azadi, visit, "1405/01/01", 40, 8, 3, 4 * MILLION),
        r5=record(houses.emdad_kowsar, food, "1404/12/29", 50, 10, 4, 5 * MILLION),
        r6=record(
            houses.emdad_kowsar,
            food,
            "1405/08/10",
            60,
            12,
            5,
            6 * MILLION,
            status=RecordStatus.SUBMITTED,
        ),
        r7=record(
            houses.helal_zarrin,
            food,
            "1405/03/05",
            70,
            14,
            0,
            7 * MILLION,
            deleted_at=timezone.now(),
        ),
        r8=record(houses.emdad_azadi, visit, "1404/08/20", 5, 1, 0, MILLION // 2),
    )
    return SimpleNamespace(
        cities=SimpleNamespace(semnan=semnan, shahrud=shahrud),
        neighbourhoods=SimpleNamespace(zarrin=zarrin, azadi=azadi, kowsar=kowsar),
        agencies=SimpleNamespace(emdad=emdad, helal=helal),
        domains=SimpleNamespace(livelihood=livelihood, health=health),
        types=SimpleNamespace(food=food, visit=visit),
        houses=houses,
        records=records,
        coordinator=make_user(role=StaffRole.COORDINATOR),
        emdad_clerk=make_user(role=StaffRole.AGENCY_STAFF, agency=emdad),
        helal_clerk=make_user(role=StaffRole.AGENCY_STAFF, agency=helal),
    )
