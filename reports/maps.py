"""The neighbourhood map, drawn by the site itself as inline SVG: no tiles, nothing from outside.

Each neighbourhood with stored coordinates is a circle placed by an equirectangular projection
fitted to the bounding box of the points (with a margin); circles that would cover each other
(a city's neighbourhoods lie a few hundred metres apart, a province a few hundred kilometres)
are nudged apart until they touch no more. Circles are coloured by a measure on a sequential
scale with a legend; each carries a ``<title>`` (name, city, value) and links to the
neighbourhood's page; each city's name is written at the mean of its neighbourhoods.
Neighbourhoods without coordinates are listed beside the map.

The nudging and the names' placing take time in proportion to the number of circles (and
of names), not to its square: a circle is compared only with the circles in its own and the
eight neighbouring cells of a grid whose cells are as wide as the least distance between two
centres, a name only with the names already written in the cells it covers. The picture is
the one that comparing every pair would draw. Where more circles are asked for than the map
holds apart (the whole country's 2,020 neighbourhoods in one province's frame), the nudging
stops after ``RELAX_ROUNDS`` rounds and the map shows the circles where they then are, some
of them still overlapping.

:func:`draw_map` is pure: it takes the neighbourhoods with their values and returns what the
template (``templates/reports/includes/map.svg.html``) draws, every coordinate already a string
in Latin digits. Colours are SVG presentation attributes, which the strict style policy allows.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 800
MARGIN = 44
RADIUS = 9
GAP = 1.5
MIN_HEIGHT, MAX_HEIGHT = 300, 640
RELAX_ROUNDS = 150

# Light to dark, ending in the portal's green: five classes of a sequential scale.
SCALE = ("#d3eadf", "#a9d6c2", "#62ad93", "#2a7f6a", "#0f4d40")
PROTECTED_COLOUR = "#b9c1bd"
NO_VALUE_COLOUR = "#ffffff"
NO_COORDINATES = "بدون مختصات"


@dataclass(frozen=True)
class MapEntry:
    """A neighbourhood and its value: ``value`` is ``None`` when it is protected or unknown,
    ``text`` is how the title and the table say it («۱۲», «کمتر از ۵», «۳٫۲٪», «بی‌جمعیت»)."""

    neighbourhood: object
    value: float | None
    text: str
    protected: bool = False


@dataclass(frozen=True)
class MapPoint:
    entry: MapEntry
    x: str
    y: str
    colour: str

    @property
    def title(self) -> str:
        n = self.entry.neighbourhood
        return f"{n.name}، {n.city.name}: {self.entry.text}"


@dataclass(frozen=True)
class CityLabel:
    name: str
    x: str
    y: str  # the baseline: at the mean of the neighbourhoods, moved up or down if names meet


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str


@dataclass(frozen=True)
class NeighbourhoodMap:
    width: int
    height: int
    radius: int
    measure_label: str
    points: list[MapPoint]
    cities: list[CityLabel]
    legend: list[LegendItem]
    unplaced: list[MapEntry]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def draw_map(
    entries: Sequence[MapEntry],
    *,
    measure_label: str,
    format_value: Callable[[float], str],
    protected_label: str = "",
) -> NeighbourhoodMap:
    """The map of *entries*: placed, coloured, with a legend whose bounds *format_value*
    writes; *protected_label* names the protected circles in the legend (if any)."""
    placed = [e for e in entries if _has_coordinates(e.neighbourhood)]
    unplaced = [e for e in entries if not _has_coordinates(e.neighbourhood)]
    positions, height = project([_lon_lat(e.neighbourhood) for e in placed])
    positions = separate(positions, width=WIDTH, height=height)
    breaks = class_breaks([e.value for e in placed if e.value is not None])
    points = [
        MapPoint(entry, _coordinate(x), _coordinate(y), colour_of(entry, breaks))
        for entry, (x, y) in zip(placed, positions, strict=True)
    ]
    return NeighbourhoodMap(
        width=WIDTH,
        height=height,
        radius=RADIUS,
        measure_label=measure_label,
        points=points,
        cities=city_labels(placed, positions),
        legend=legend(breaks, format_value, placed, protected_label),
        unplaced=unplaced,
    )


# --- Placing ------------------------------------------------------------------------------


def _has_coordinates(neighbourhood) -> bool:
    return neighbourhood.latitude is not None and neighbourhood.longitude is not None


def _lon_lat(neighbourhood) -> tuple[float, float]:
    return float(neighbourhood.longitude), float(neighbourhood.latitude)


def project(
    lon_lat: Sequence[tuple[float, float]], *, width: int = WIDTH, margin: int = MARGIN
) -> tuple[list[tuple[float, float]], int]:
    """Equirectangular positions of *lon_lat* in a box *width* wide, fitted to their bounding
    box with *margin* on every side, north up; and the box's height (from the points' shape,
    within bounds). A single point, or points all in one place, sit in the middle."""
    if not lon_lat:
        return [], MIN_HEIGHT
    lons, lats = [p[0] for p in lon_lat], [p[1] for p in lon_lat]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    stretch = math.cos(math.radians((north + south) / 2))  # a degree east is shorter here
    span_x, span_y = (east - west) * stretch, north - south
    inner_w = width - 2 * margin
    if span_x > 0:
        scale = inner_w / span_x
        height = round(span_y * scale) + 2 * margin
    else:
        scale, height = None, MIN_HEIGHT
    height = min(max(height, MIN_HEIGHT), MAX_HEIGHT)
    inner_h = height - 2 * margin
    if span_y > 0:
        scale = min(scale, inner_h / span_y) if scale else inner_h / span_y
    scale = scale or 0.0
    left = margin + (inner_w - span_x * scale) / 2
    top = margin + (inner_h - span_y * scale) / 2
    return [
        (left + (lon - west) * stretch * scale, top + (north - lat) * scale) for lon, lat in lon_lat
    ], height


def separate(
    positions: Sequence[tuple[float, float]],
    *,
    width: int,
    height: int,
    radius: float = RADIUS,
    rounds: int = RELAX_ROUNDS,
) -> list[tuple[float, float]]:
    """*positions* nudged apart until no two circles of *radius* overlap (or *rounds* are
    spent), each pair pushed away from each other along the line between them; always the
    same answer for the same input.

    Pairs are taken in the order of their indices, as if every pair were compared, but only
    circles in neighbouring cells of a :class:`_CircleGrid` are: the others are too far apart
    to touch, so skipping them changes nothing."""
    points = [list(p) for p in positions]
    least = 2 * radius + GAP
    # A hair wider than the least distance, so that rounding cannot put two circles that
    # touch two cells apart.
    grid = _CircleGrid(points, least * (1 + 1e-9))
    for _round in range(rounds):
        moved = False
        for i in range(len(points)):
            moved |= _push_neighbours(i, points, grid, least)
        for index, p in enumerate(points):
            p[0] = min(max(p[0], radius + 1), width - radius - 1)
            p[1] = min(max(p[1], radius + 1), height - radius - 1)
            grid.follow(index)
        if not moved:
            break
    return [(p[0], p[1]) for p in points]


def _push_neighbours(i: int, points: list[list[float]], grid: "_CircleGrid", least: float) -> bool:
    """Push circle *i* and each later circle near it apart, in the order of their indices;
    when *i* has been pushed into another cell, its new neighbours are looked up again."""
    a = points[i]
    moved = False
    after = i
    while True:
        cell = grid.where[i]
        for j in grid.later_near(cell, after):
            after = j
            b = points[j]
            if abs(b[0] - a[0]) >= least or abs(b[1] - a[1]) >= least:
                continue  # that far apart along one axis, so at least that far apart
            if _push_apart(a, b, least, j):
                moved = True
                grid.follow(j)
                if grid.follow(i) != cell:
                    break
        else:
            return moved


class _CircleGrid:
    """Circles by square cells as wide as the least distance between two centres, so two
    circles that touch lie in the same cell or in two neighbouring ones."""

    def __init__(self, points: list[list[float]], size: float):
        self.points, self.size = points, size
        self.cells: dict[tuple[int, int], set[int]] = {}
        self.where: list[tuple[int, int]] = []
        for index, point in enumerate(points):
            cell = self._cell(point)
            self.where.append(cell)
            self.cells.setdefault(cell, set()).add(index)

    def _cell(self, point: list[float]) -> tuple[int, int]:
        return math.floor(point[0] / self.size), math.floor(point[1] / self.size)

    def follow(self, index: int) -> tuple[int, int]:
        """Move circle *index* to the cell its centre is in now; that cell."""
        cell = self._cell(self.points[index])
        if cell != self.where[index]:
            self.cells[self.where[index]].discard(index)
            self.cells.setdefault(cell, set()).add(index)
            self.where[index] = cell
        return cell

    def later_near(self, cell: tuple[int, int], after: int) -> list[int]:
        """The circles numbered above *after* in *cell* and the eight cells around it."""
        cx, cy = cell
        get = self.cells.get
        near = [
            j
            for column in (cx - 1, cx, cx + 1)
            for row in (cy - 1, cy, cy + 1)
            for j in get((column, row), ())
            if j > after
        ]
        near.sort()
        return near


def _push_apart(a: list[float], b: list[float], least: float, seed: int) -> bool:
    dx, dy = b[0] - a[0], b[1] - a[1]
    distance = math.hypot(dx, dy)
    if distance >= least:
        return False
    if distance < 1e-9:  # the same place: part them in a direction fixed by the index
        angle = seed * 2.399963  # the golden angle, so many such points fan out evenly
        dx, dy, distance = math.cos(angle), math.sin(angle), 1.0
    push = (least - distance) / 2 + 0.01
    ux, uy = dx / distance, dy / distance
    a[0] -= ux * push
    a[1] -= uy * push
    b[0] += ux * push
    b[1] += uy * push
    return True


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def city_labels(entries: Sequence[MapEntry], positions) -> list[CityLabel]:
    """Each city's name at the mean of its neighbourhoods' positions, just above it; a name
    that would cover one already written moves below its city, or further away."""
    cities: dict[object, tuple[str, list]] = {}
    for entry, position in zip(entries, positions, strict=True):
        city = entry.neighbourhood.city
        cities.setdefault(city.pk, (city.name, []))[1].append(position)
    labels, taken = [], _LabelGrid()
    for name, spots in cities.values():
        x = sum(p[0] for p in spots) / len(spots)
        y = sum(p[1] for p in spots) / len(spots)
        baseline = _free_baseline(name, x, y, taken)
        labels.append(CityLabel(name, _coordinate(x), _coordinate(baseline)))
    return labels


LABEL_OFFSETS = (-RADIUS - 5, RADIUS + 17, -RADIUS - 23, RADIUS + 35, -RADIUS - 41)


def _free_baseline(name: str, x: float, y: float, taken: "_LabelGrid") -> float:
    """The first baseline near *y* where *name* covers no box in *taken* (which it joins)."""
    half = 4.2 * len(name) + 4  # about half the name's width at the map's font size
    for offset in LABEL_OFFSETS:
        box = (x - half, y + offset - 15, x + half, y + offset + 4)
        if not taken.meets(box):
            break
    taken.add(box)
    return y + offset


class _LabelGrid:
    """The boxes of the names written so far, each under every square cell it covers: two
    boxes that overlap share a cell, so a new box is compared only with those in its cells."""

    SIZE = 40

    def __init__(self):
        self.cells: dict[tuple[int, int], list[tuple]] = {}

    def _cells(self, box: tuple) -> list[tuple[int, int]]:
        left, top = math.floor(box[0] / self.SIZE), math.floor(box[1] / self.SIZE)
        right, bottom = math.floor(box[2] / self.SIZE), math.floor(box[3] / self.SIZE)
        return [(c, r) for c in range(left, right + 1) for r in range(top, bottom + 1)]

    def meets(self, box: tuple) -> bool:
        return any(
            _overlap(box, other) for cell in self._cells(box) for other in self.cells.get(cell, ())
        )

    def add(self, box: tuple) -> None:
        for cell in self._cells(box):
            self.cells.setdefault(cell, []).append(box)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- Colouring ----------------------------------------------------------------------------


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 (times a power of ten) that is at least *raw*."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw - 1e-12:
            return factor * power
    return 10 * power


def class_breaks(values: Sequence[float], classes: int = len(SCALE)) -> list[float]:
    """Upper bounds of equal classes from zero that hold the largest of *values*; counts
    smaller than the number of classes get a class each (0, 1, 2, …)."""
    if not values:
        return []
    top = max(values)
    whole = all(float(v).is_integer() for v in values)
    if whole and top < classes:
        return [float(v) for v in range(int(top) + 1)]
    step = nice_step(top / classes)
    if whole:
        step = float(max(math.ceil(step), 1))
    count = max(1, min(classes, math.ceil(top / step - 1e-9)))
    return [step * (i + 1) for i in range(count)]


def _one_per_value(breaks: Sequence[float]) -> bool:
    return list(breaks) == [float(i) for i in range(len(breaks))]


def colour_of(entry: MapEntry, breaks: Sequence[float]) -> str:
    if entry.protected:
        return PROTECTED_COLOUR
    if entry.value is None or not breaks:
        return NO_VALUE_COLOUR
    for index, bound in enumerate(breaks):
        if entry.value <= bound + 1e-12:
            return SCALE[_scale_index(index, len(breaks))]
    return SCALE[-1]


def _scale_index(index: int, count: int) -> int:
    """Spread *count* classes over the scale, so fewer classes still run light to dark."""
    if count <= 1:
        return 0
    return round(index * (len(SCALE) - 1) / (count - 1))


def legend(breaks, format_value, placed, protected_label: str) -> list[LegendItem]:
    items = []
    lower = 0.0
    exact = _one_per_value(breaks)
    for index, bound in enumerate(breaks):
        label = format_value(bound) if exact else f"{format_value(lower)} تا {format_value(bound)}"
        items.append(LegendItem(SCALE[_scale_index(index, len(breaks))], label))
        lower = bound
    if protected_label and any(e.protected for e in placed):
        items.append(LegendItem(PROTECTED_COLOUR, protected_label))
    if any(e.value is None and not e.protected for e in placed):
        items.append(LegendItem(NO_VALUE_COLOUR, "بدون داده"))
    return items
