"""Counting people once: the households the records list, each once, and their members, beside
the sum of beneficiaries, on the staff dashboard and the public statistics, against figures
worked out by hand.

| record | agency | type  | date       | ben | households listed | state     |
|--------|--------|-------|------------|-----|-------------------|-----------|
| r1     | Emdad  | food  | 1404/07/10 | 4   | A                 | approved  |
| r2     | Emdad  | food  | 1404/07/11 | 5   | B                 | approved  |
| r3     | Helal  | visit | 1404/07/12 | 9   | A, B              | approved  |
| r4     | Helal  | food  | 1404/07/13 | 6   | C                 | approved  |
| r5     | Emdad  | visit | 1404/07/14 | 10  | A, C              | approved  |
| r6     | Emdad  | food  | 1404/07/15 | 12  | (none: a group)   | approved  |
| r7     | Helal  | food  | 1404/07/16 | 2   | D                 | submitted |
| r8     | Emdad  | food  | 1404/07/17 | 5   | B                 | deleted   |
| r9     | Emdad  | food  | 1403/12/29 | 8   | G                 | approved  |

Members: A 4, B 5, C 6 (Zarrin), D 2, G 8 (Kowsar). In 1404:

- the coordinator's dashboard (live records of every state, r1–r7): 48 beneficiaries, 4 unique
  households (A, B, C, D), 15 + 2 = 17 people;
- approved only (r1–r6): 46 beneficiaries, 3 households, 15 people;
- Emdad's clerk (r1, r2, r5, r6): 31 beneficiaries, 3 households (A, B, C), 15 people;
  Helal's (r3, r4, r7): 17 beneficiaries, 4 households, 17 people;
- the public statistics (approved, live: r1–r6): 46 beneficiaries, 3 households: too few to
  show, so «کمتر از ۵» and their people withheld. With r10 (Helal, visit, 7 beneficiaries,
  approved) listing E (3 members) and F (4, anonymous: no consent, no identity): 53
  beneficiaries, 5 households, 22 people, shown.
"""

import csv
import io
import json
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.choices import RecordStatus
from agencies.models import ServiceRecord
from core.digits import to_persian_digits
from core.jalali import to_gregorian
from reports.aggregates import Reached, households_reached
from reports.statistics import protect_reached
from reports.suppression import LESS_THAN, WITHHELD
from tests.factories import (
    StaffRole,
    link_households,
    make_agency,
    make_city,
    make_domain,
    make_house,
    make_household,
    make_neighbourhood,
    make_record,
    make_service_type,
    make_user,
    valid_national_id,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "/panel/dashboard/"
NAME = "سرپرست شمارش‌نشده"
NATIONAL_ID = valid_national_id(8_120_045)


@pytest.fixture
def world():
    semnan, shahrud = make_city(name="سمنان"), make_city(name="شاهرود")
    zarrin = make_neighbourhood(city=semnan, name="کوی زرین")
    kowsar = make_neighbourhood(city=shahrud, name="کوثر")
    emdad = make_agency(slug="emdad", short_name="امداد", order=1)
    helal = make_agency(slug="helal", short_name="هلال", order=2)
    food = make_service_type(domain=make_domain(name="معیشت", order=1), name="بستهٔ غذایی")
    visit = make_service_type(domain=make_domain(name="سلامت", order=2), name="ویزیت")
    houses = {
        (emdad.slug, zarrin.pk): make_house(agency=emdad, neighbourhood=zarrin),
        (helal.slug, zarrin.pk): make_house(agency=helal, neighbourhood=zarrin),
        (emdad.slug, kowsar.pk): make_house(agency=emdad, neighbourhood=kowsar),
        (helal.slug, kowsar.pk): make_house(agency=helal, neighbourhood=kowsar),
    }

    def household(members, place=zarrin, **fields):
        return make_household(neighbourhood=place, agency=emdad, members=members, **fields)

    a = household(4, national_id=NATIONAL_ID, name=NAME)
    b, c = household(5), household(6)
    d, g = household(2, kowsar), household(8, kowsar)

    def record(agency, service_type, on, ben, *listed, place=zarrin, **fields):
        made = make_record(
            house=houses[(agency.slug, place.pk)],
            service_type=service_type,
            delivered_on=to_gregorian(*on),
            beneficiaries=ben,
            households=len(listed),
            **fields,
        )
        link_households(made, *listed)
        return made

    record(emdad, food, (1404, 7, 10), 4, a)
    record(emdad, food, (1404, 7, 11), 5, b)
    record(helal, visit, (1404, 7, 12), 9, a, b)
    record(helal, food, (1404, 7, 13), 6, c)
    record(emdad, visit, (1404, 7, 14), 10, a, c)
    record(emdad, food, (1404, 7, 15), 12)
    record(helal, food, (1404, 7, 16), 2, d, place=kowsar, status=RecordStatus.SUBMITTED)
    record(emdad, food, (1404, 7, 17), 5, b, deleted_at=timezone.now())
    record(emdad, food, (1403, 12, 29), 8, g, place=kowsar)

    def more_public_households():
        e = household(3, kowsar)
        f = household(4, kowsar, consent=False)
        record(helal, visit, (1404, 7, 20), 7, e, f, place=kowsar)

    return SimpleNamespace(
        emdad=emdad,
        helal=helal,
        more_public_households=more_public_households,
        coordinator=make_user(role=StaffRole.COORDINATOR),
        emdad_clerk=make_user(role=StaffRole.AGENCY_STAFF, agency=emdad),
        helal_clerk=make_user(role=StaffRole.AGENCY_STAFF, agency=helal),
    )


def _dashboard(client, user, **params):
    client.force_login(user)
    response = client.get(DASHBOARD, {"year": 1404, **params})
    assert response.status_code == 200
    context = response.context
    return context["headline"].beneficiaries, tuple(context["reached"]), response


# --- The figures -----------------------------------------------------------------------------


def test_households_reached_counts_each_household_once_in_one_query(
    world, django_assert_num_queries
):
    records = ServiceRecord.objects.alive().filter(jalali_year=1404)
    with django_assert_num_queries(1):
        reached = households_reached(records)
    assert reached == Reached(households=4, people=17)


def test_no_records_reach_no_one(world):
    assert households_reached(ServiceRecord.objects.none()) == Reached(0, 0)


@pytest.mark.parametrize(
    ("role", "params", "expected"),
    [
        ("coordinator", {}, (48, (4, 17))),
        ("coordinator", {"status": RecordStatus.APPROVED}, (46, (3, 15))),
        ("emdad_clerk", {}, (31, (3, 15))),
        ("helal_clerk", {}, (17, (4, 17))),
    ],
)
def test_the_dashboard_shows_the_sum_beside_the_households_once(
    client, world, role, params, expected
):
    beneficiaries, reached, _response = _dashboard(client, getattr(world, role), **params)
    assert (beneficiaries, reached) == expected


def test_the_dashboard_labels_each_figure_for_what_it_is(client, world):
    *_figures, response = _dashboard(client, world.coordinator)
    html = response.content.decode()
    section = html[html.index('id="reached"') :]
    section = section[: section.index("</section>")]
    for label, value in (
        ("جمع بهره‌مندان ثبت‌شده", "۴۸"),
        ("خانوارهای یکتا (از خدمت‌های دارای فهرست خانوار)", "۴"),
        ("افراد این خانوارها", "۱۷"),
    ):
        assert f'<span class="figure-value">{value}</span><span class="figure-label">{label}' in (
            section
        )
    assert "دو بار آمده است" in section  # the sum says it counts a person once per service
    assert NAME not in html and NATIONAL_ID not in html


def test_the_dashboard_costs_the_same_whatever_the_households(client, world):
    def queries():
        client.force_login(world.coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD, {"year": 1404}).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for _ in range(3):
        world.more_public_households()
    assert queries() == before


# --- The public statistics -------------------------------------------------------------------


def _statistics(client):
    response = client.get("/amar/?year=1404")
    assert response.status_code == 200
    return response


def _csv_reached(client) -> dict:
    response = client.get("/amar/data.csv?year=1404")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    (row,) = [row for row in rows if row["جدول"] == "هر خانوار یک بار"]
    return row


def _json_reached(client) -> dict:
    return json.loads(client.get("/amar/data.json?year=1404").content)["reached"]


def test_the_public_figures_hide_three_households_and_their_people(client, world):
    stats = _statistics(client).context["stats"]
    assert stats.total["beneficiaries"].value == 46
    assert (str(stats.reached["households"]), str(stats.reached["people"])) == (
        LESS_THAN,
        WITHHELD,
    )
    row = _csv_reached(client)
    assert (row["خانوارهای بهره‌مند"], row["ذی‌نفعان"], row["تعداد خدمت"]) == (
        LESS_THAN,
        WITHHELD,
        "",
    )
    reached = _json_reached(client)
    assert (reached["households"], reached["people"], reached["suppressed"]) == (None, None, True)


def test_the_public_figures_count_approved_live_records_once_each(client, world):
    """Five households (D is only on a submitted record, B's deleted record adds nothing, G is
    of 1403), F anonymous but counted: 5 and 4+5+6+3+4 = 22, beside 46 + 7 = 53."""
    world.more_public_households()
    response = _statistics(client)
    stats = response.context["stats"]
    assert (
        stats.total["beneficiaries"].value,
        stats.reached["households"].value,
        stats.reached["people"].value,
    ) == (53, 5, 22)
    html = response.content.decode()
    section = html[html.index('id="reached"') :]
    section = section[: section.index("</section>")]
    for label, value in (
        ("جمع بهره‌مندان ثبت‌شده", "۵۳"),
        ("خانوارهای یکتا (از خدمت‌های دارای فهرست خانوار)", "۵"),
        ("افراد این خانوارها", "۲۲"),
    ):
        assert f'<div class="figure-value">{value}</div><div class="figure-label">{label}' in (
            section
        )
    row = _csv_reached(client)
    assert (row["خانوارهای بهره‌مند"], row["ذی‌نفعان"]) == ("5", "22")
    reached = _json_reached(client)
    assert (reached["households"], reached["people"], reached["suppressed"]) == (5, 22, False)


def test_the_public_figures_carry_no_id_or_name(client, world):
    world.more_public_households()
    secrets = (NAME, NATIONAL_ID, to_persian_digits(NATIONAL_ID))
    for url in ("/amar/?year=1404", "/amar/data.csv?year=1404", "/amar/data.json?year=1404"):
        body = client.get(url).content.decode("utf-8-sig")
        assert [secret for secret in secrets if secret in body] == [], url


@pytest.mark.parametrize(
    ("households", "people", "shown"),
    [
        (0, 0, ("۰", "۰")),
        (1, 3, (LESS_THAN, LESS_THAN)),
        (4, 30, (LESS_THAN, WITHHELD)),
        (5, 5, ("۵", "۵")),
        (12, 47, ("۱۲", "۴۷")),
    ],
)
def test_small_public_figures_are_protected(households, people, shown):
    cells = protect_reached(households, people)
    assert (str(cells["households"]), str(cells["people"])) == shown
