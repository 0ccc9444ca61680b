"""The neighbourhood map (reports/maps.py): placing, colouring, and its two pages."""

import math
import re
from types import SimpleNamespace

import pytest

from reports.maps import (
    MARGIN,
    NO_COORDINATES,
    PROTECTED_COLOUR,
    RADIUS,
    SCALE,
    WIDTH,
    MapEntry,
    class_breaks,
    colour_of,
    draw_map,
    project,
    separate,
)
from tests.factories import StaffRole, make_record, make_user
from tests.reports.test_statistics_page import build_small_world

STAFF_MAP = "/panel/dashboard/map/"


def place(name, lat=None, lon=None, city="الف", city_pk=1):
    return SimpleNamespace(
        name=name,
        latitude=lat,
        longitude=lon,
        city=SimpleNamespace(pk=city_pk, name=city),
        get_absolute_url=lambda: f"/neighbourhoods/{name}/",
    )


# --- Placing ----------------------------------------------------------------------------------


def test_the_projection_fits_the_points_inside_the_margin_north_up():
    (west, east), height = project([(53.0, 35.0), (55.0, 36.0)])
    assert (round(west[0]), round(east[0])) == (MARGIN, WIDTH - MARGIN)
    assert east[1] < west[1]  # the northern point is higher up
    stretch = math.cos(math.radians(35.5))
    assert west[1] - east[1] == pytest.approx((WIDTH - 2 * MARGIN) / (2 * stretch), abs=1)
    assert height == round((WIDTH - 2 * MARGIN) / (2 * stretch)) + 2 * MARGIN


def test_a_single_point_sits_in_the_middle():
    [(x, y)], height = project([(53.4, 35.6)])
    assert (x, y) == (WIDTH / 2, height / 2)


def test_circles_in_one_place_are_nudged_apart_until_they_touch_no_more():
    spots = separate([(400.0, 200.0)] * 3, width=WIDTH, height=400)
    for i in range(3):
        for j in range(i + 1, 3):
            assert math.dist(spots[i], spots[j]) >= 2 * RADIUS


def test_far_apart_circles_stay_where_they_are():
    assert separate([(100.0, 100.0), (600.0, 300.0)], width=WIDTH, height=400) == [
        (100.0, 100.0),
        (600.0, 300.0),
    ]


def test_a_neighbourhood_without_coordinates_is_listed_not_placed():
    drawn = draw_map(
        [
            MapEntry(place("یک", 35.5, 53.0), 10, "۱۰"),
            MapEntry(place("دو", 36.0, 54.0), 90, "۹۰"),
            MapEntry(place("سه"), 40, "۴۰"),
        ],
        measure_label="ذی‌نفعان",
        format_value=str,
    )
    assert [p.entry.neighbourhood.name for p in drawn.points] == ["یک", "دو"]
    assert [e.neighbourhood.name for e in drawn.unplaced] == ["سه"]
    assert drawn.points[0].title == "یک، الف: ۱۰"
    assert [c.name for c in drawn.cities] == ["الف"]


# --- Colouring ----------------------------------------------------------------------------------


def test_classes_are_equal_steps_from_zero_holding_the_largest():
    assert class_breaks([0, 37, 120]) == [25, 50, 75, 100, 125]
    assert class_breaks([0.03, 0.18]) == pytest.approx([0.05, 0.1, 0.15, 0.2])
    assert class_breaks([]) == []


def test_colours_run_light_to_dark_and_a_protected_value_has_its_own():
    breaks = [25, 50, 75, 100, 125]
    assert colour_of(MapEntry(None, 0, "۰"), breaks) == SCALE[0]
    assert colour_of(MapEntry(None, 120, "۱۲۰"), breaks) == SCALE[-1]
    assert colour_of(MapEntry(None, None, "کمتر از ۵", protected=True), breaks) == PROTECTED_COLOUR


# --- The public map -----------------------------------------------------------------------------


@pytest.fixture
def world(db):
    return build_small_world()


def svg_of(html: str) -> str:
    start = html.index('<svg class="neighbourhood-map"')  # the header's emblem is an <svg> too
    return html[start : html.index("</svg>", start)]


def test_the_public_map_places_and_links_a_neighbourhood_and_lists_one_without(client, world):
    html = client.get("/amar/?year=1404").content.decode()
    svg = svg_of(html)
    assert '<a href="/neighbourhoods/A-2/"><circle' in svg
    assert "<title>آلفا ۲، الف: ۴۰</title>" in svg
    # 60, hidden only because Beta 2 (2) would be the city total minus it
    assert "<title>بتا ۱، ب: پنهان</title>" in svg
    assert "بتا ۲" not in svg
    beside = html[html.index(NO_COORDINATES) :]
    assert 'href="/neighbourhoods/B-2/">بتا ۲</a>' in beside


def test_the_map_draws_with_presentation_attributes_only(client, world):
    svg = svg_of(client.get("/amar/?year=1404").content.decode())
    assert "style=" not in svg and "<script" not in svg and "http://" not in svg.split(">", 1)[1]
    assert re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="9" fill="#[0-9a-f]{6}">', svg)


# --- The staff map ------------------------------------------------------------------------------


def open_map(client, user, **params):
    client.force_login(user)
    response = client.get(STAFF_MAP, {"year": "1404", **params})
    assert response.status_code == 200
    return response


def values(response):
    return {e.neighbourhood.code: e.value for e in response.context["entries"]}


def test_a_coordinator_sees_every_neighbourhoods_beneficiaries(client, world):
    coordinator = make_user(role=StaffRole.COORDINATOR)
    response = open_map(client, coordinator, measure="beneficiaries")
    # Staff count what is not approved yet too (the 900 submitted in «آلفا ۱»), unprotected.
    assert values(response) == {"A-1": 928, "A-2": 40, "B-1": 60, "B-2": 2}
    html = response.content.decode()
    assert "<title>بتا ۲" not in html and 'id="table-map"' in html
    assert "<title>آلفا ۱، الف: ۹۲۸</title>" in html


def test_a_clerks_map_counts_only_her_agencys_records(client, world):
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=world.agencies.y)
    response = open_map(client, clerk, measure="beneficiaries")
    assert values(response) == {"A-1": 25, "A-2": 0, "B-1": 0, "B-2": 0}
    table = response.content.decode()
    table = table[table.index('id="table-map"') :]
    assert ">۲۵</td>" in table and ">۴۰</td>" not in table


def test_coverage_is_beneficiaries_per_resident(client, world):
    coordinator = make_user(role=StaffRole.COORDINATOR)
    response = open_map(client, coordinator)  # coverage is the default
    assert values(response)["A-2"] == pytest.approx(40 / 5000)
    assert "۰٫۸٪" in response.content.decode()


def test_silent_houses_are_counted_per_neighbourhood_in_the_scope(client, world):
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=world.agencies.y)
    response = open_map(client, clerk, measure="silent")
    assert values(response) == {"A-1": 1, "A-2": 0, "B-1": 0, "B-2": 0}
    coordinator = make_user(role=StaffRole.COORDINATOR)
    assert values(open_map(client, coordinator, measure="silent"))["A-1"] == 2


def test_an_unknown_measure_is_left_out(client, world):
    coordinator = make_user(role=StaffRole.COORDINATOR)
    assert open_map(client, coordinator, measure="<b>").context["measure"] == "coverage"


@pytest.mark.parametrize("extra", [5, 60])
def test_the_staff_map_runs_the_same_queries_for_more_records(
    client, world, extra, django_assert_max_num_queries
):
    t1, _t2 = world.types
    for _ in range(extra):
        make_record(house=world.houses.x_a2, service_type=t1)
    coordinator = make_user(role=StaffRole.COORDINATOR)
    client.force_login(coordinator)
    # 3 for the session and the user's scope, 1 for the years, 5 for the filters' choices,
    # 2 for the breakdown, 3 for the panel (the demo notice, the user's rights)
    with django_assert_max_num_queries(14):
        response = client.get(STAFF_MAP, {"year": "1404", "measure": "beneficiaries"})
    assert values(response)["A-2"] == 40 + 10 * extra


def test_a_few_houses_get_a_class_each():
    assert class_breaks([0, 1, 2]) == [0, 1, 2]
    drawn = draw_map(
        [MapEntry(place("یک", 35.5, 53.0), 0, "۰"), MapEntry(place("دو", 36.0, 54.0), 2, "۲")],
        measure_label="خانه‌های خاموش",
        format_value=lambda v: str(round(v)),
    )
    assert [item.label for item in drawn.legend] == ["0", "1", "2"]
    assert drawn.points[0].colour != drawn.points[1].colour
