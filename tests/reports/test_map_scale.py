"""The neighbourhood map at the country's scale (reports/maps.py, issue #14): as many
neighbourhoods as the national data set's 2,020, in a few hundred cities across Iran."""

import math
import random
from types import SimpleNamespace

from reports.maps import (
    GAP,
    MAX_HEIGHT,
    RADIUS,
    WIDTH,
    MapEntry,
    city_labels,
    draw_map,
    project,
    separate,
)

LEAST = 2 * RADIUS + GAP


def country(total: int, *, seed: int = 14) -> list[MapEntry]:
    """*total* neighbourhoods in cities scattered over Iran, most with a few neighbourhoods
    and some with up to 30, each within about two kilometres of its city's centre."""
    rng = random.Random(seed)
    entries: list[MapEntry] = []
    while len(entries) < total:
        city = SimpleNamespace(pk=len(entries), name=f"شهر {len(entries)}")
        lon, lat = rng.uniform(44.0, 62.0), rng.uniform(25.5, 39.5)
        count = min(30, 1 + int(rng.expovariate(1 / 2)), total - len(entries))
        for _ in range(count):
            entries.append(near(city, lon, lat, rng, value=rng.randrange(500)))
    return entries


def cities_in_rows(columns: int, rows: int, each: int) -> list[MapEntry]:
    """*each* neighbourhoods in every one of *columns* × *rows* cities spread evenly over
    Iran: room enough for every circle."""
    rng = random.Random(2020)
    entries = []
    for column in range(columns):
        for row in range(rows):
            city = SimpleNamespace(pk=(column, row), name=f"شهر {column}-{row}")
            lon = 44.5 + column * 17.0 / (columns - 1) + rng.uniform(-0.1, 0.1)
            lat = 26.0 + row * 13.0 / (rows - 1) + rng.uniform(-0.1, 0.1)
            entries.extend(near(city, lon, lat, rng, value=row) for _ in range(each))
    return entries


def near(city, lon: float, lat: float, rng: random.Random, *, value: int) -> MapEntry:
    neighbourhood = SimpleNamespace(
        name=f"محله {rng.random():.6f}",
        latitude=lat + rng.uniform(-0.02, 0.02),
        longitude=lon + rng.uniform(-0.02, 0.02),
        city=city,
    )
    return MapEntry(neighbourhood, value, str(value))


def draw(entries):
    return draw_map(entries, measure_label="ذی‌نفعان", format_value=str)


def centres(drawn) -> list[tuple[float, float]]:
    return [(float(p.x), float(p.y)) for p in drawn.points]


def pairs_closer_than(spots, distance: float) -> int:
    return sum(
        math.dist(spots[i], spots[j]) < distance
        for i in range(len(spots))
        for j in range(i + 1, len(spots))
    )


def test_eight_hundred_neighbourhoods_with_room_enough_touch_no_more():
    entries = cities_in_rows(16, 10, 5)  # 160 cities, all five circles of each on one spot
    drawn = draw(entries)
    assert len(drawn.points) == 800 and len(drawn.cities) == 160
    # the least distance, less the rounding of the coordinates to a tenth of a pixel
    assert pairs_closer_than(centres(drawn), LEAST - 0.1) == 0
    assert draw(entries) == drawn


def test_the_countrys_2020_neighbourhoods_are_all_drawn_in_the_frame_the_same_each_time():
    # More circles than the map holds apart: the nudging stops after its rounds.
    entries = country(2020)
    drawn = draw(entries)
    assert len(drawn.points) == 2020 and not drawn.unplaced
    assert drawn.height == MAX_HEIGHT
    for x, y in centres(drawn):
        assert RADIUS < x < WIDTH - RADIUS and RADIUS < y < drawn.height - RADIUS
    assert len(drawn.cities) == len({e.neighbourhood.city.pk for e in entries})
    assert draw(entries) == drawn


def every_pair(positions, *, width, height, rounds):
    """The nudging as it was before the grid: every pair compared in every round."""
    points = [list(p) for p in positions]
    for _round in range(rounds):
        moved = False
        for i, a in enumerate(points):
            for j in range(i + 1, len(points)):
                b = points[j]
                dx, dy = b[0] - a[0], b[1] - a[1]
                distance = math.hypot(dx, dy)
                if distance >= LEAST:
                    continue
                if distance < 1e-9:
                    dx, dy, distance = math.cos(j * 2.399963), math.sin(j * 2.399963), 1.0
                push = (LEAST - distance) / 2 + 0.01
                ux, uy = dx / distance, dy / distance
                a[0], a[1], b[0], b[1] = (
                    a[0] - ux * push,
                    a[1] - uy * push,
                    b[0] + ux * push,
                    b[1] + uy * push,
                )
                moved = True
        for p in points:
            p[0] = min(max(p[0], RADIUS + 1), width - RADIUS - 1)
            p[1] = min(max(p[1], RADIUS + 1), height - RADIUS - 1)
        if not moved:
            break
    return [(p[0], p[1]) for p in points]


def test_the_grid_places_every_circle_where_comparing_every_pair_would():
    entries = country(150, seed=7)
    positions, height = project(
        [(float(e.neighbourhood.longitude), float(e.neighbourhood.latitude)) for e in entries]
    )
    assert separate(positions, width=WIDTH, height=height) == every_pair(
        positions, width=WIDTH, height=height, rounds=150
    )
    # squeezed into a corner, with no room for them all: every round is spent
    squeezed = [(x / 4, y / 3) for x, y in positions]
    assert separate(squeezed, width=200, height=200, rounds=40) == every_pair(
        squeezed, width=200, height=200, rounds=40
    )


def test_city_names_that_would_cover_each_other_move_below_or_further():
    cities = [
        SimpleNamespace(pk=k, name=name) for k, name in enumerate(("دامغان", "بسطام", "زابل"))
    ]
    far = SimpleNamespace(pk=3, name="میامی")
    entries = [MapEntry(SimpleNamespace(city=c), 1, "۱") for c in (*cities, far)]
    labels = city_labels(entries, [(400.0, 300.0)] * 3 + [(100.0, 100.0)])
    # above the city, then below it, then (the nearer places taken) further up; alone, above
    assert [float(label.y) for label in labels] == [286.0, 326.0, 250.0, 86.0]
