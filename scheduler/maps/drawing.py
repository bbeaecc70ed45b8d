"""A route map projected onto a drawing: SVG coordinates in a ``viewBox``, no words.

The projection is equirectangular around the map's middle latitude: at the scale of a
territory (tens of kilometres) it is indistinguishable from any other, and needs no
library. The template (``templates/maps/_svg.html``) turns the drawing into SVG with
the words of the page's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import replace

from .layout import MapPlace
from .layout import MapRoute
from .layout import Point
from .layout import RouteMap

WIDTH = 420
MARGIN = 22
#: Room on the right for the name of a place drawn near the edge.
LABEL_ROOM = 70
#: The smallest frame, in degrees (about 5 km): a single stop is not drawn at street level.
MIN_SPAN = 0.05
#: Least distance between the centres of two numbered stops: their discs (radius 12, a
#: white ring of 2) then never cover each other's number.
STOP_GAP = 27.0
#: The same for the hollow circles of requests left out (radius 8, a stroke of 3).
LEFT_OUT_GAP = 20.0


@dataclass(frozen=True, slots=True)
class XY:
    x: float
    y: float
    approximate: bool = False


@dataclass(frozen=True)
class DrawnStop:
    number: int
    at: XY
    label: str
    reference: str | None
    request_id: int | None
    place: str = ""
    #: Where the stop really is, when its number was moved aside to stay readable.
    anchor: XY | None = None


@dataclass(frozen=True)
class DrawnRoute:
    route: MapRoute
    #: The ``d`` of the route's ``<path>``: home, stops in order, home.
    path: str
    home: XY | None
    stops: tuple[DrawnStop, ...]


@dataclass(frozen=True)
class DrawnPlace:
    label: str
    at: XY
    request_id: int | None = None
    #: Where a town's name is written (its baseline's start, or end when ``label_end``);
    #: ``None`` when there is no room for it without covering something.
    label_at: XY | None = None
    label_end: bool = False
    #: Where a left-out request really is, when its marker was moved aside.
    anchor: XY | None = None


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    routes: tuple[DrawnRoute, ...]
    sites: tuple[DrawnPlace, ...]
    left_out: tuple[DrawnPlace, ...]
    towns: tuple[DrawnPlace, ...]

    @property
    def stop_count(self) -> int:
        return sum(len(r.stops) for r in self.routes)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def draw(route_map: RouteMap, *, width: int = WIDTH, margin: int = MARGIN) -> Drawing:
    """Fit the routes, sites and left-out places into ``width`` pixels, keeping proportions.

    The frame is set by what the map is about (routes, left-out requests and the stops'
    municipalities), a little wider; other municipalities and sites outside it are left
    out so a short route is not lost in the whole territory. The right margin leaves room
    for the names of places.
    """
    focus = [p for r in route_map.routes for p in r.points]
    focus += [p.point for p in route_map.left_out]
    # The stops' own municipalities are named on the map even when an address lies far
    # from the centre: the volunteer reads where the day goes.
    visited = {s.place for r in route_map.routes for s in r.stops}
    focus += [t.point for t in route_map.towns if focus and t.label in visited]
    if not focus:
        focus = [p.point for p in (*route_map.sites, *route_map.towns)]
    if not focus:
        return Drawing(width, width // 2, (), (), (), ())
    lat0 = math.radians(sum(p.lat for p in focus) / len(focus))
    cos0 = math.cos(lat0)
    xs = [p.lon * cos0 for p in focus]
    ys = [p.lat for p in focus]
    pad = max(max(xs) - min(xs), max(ys) - min(ys), MIN_SPAN) * 0.08
    west, east = min(xs) - pad, max(xs) + pad
    south, north = min(ys) - pad, max(ys) + pad
    if east - west < MIN_SPAN:
        middle = (east + west) / 2
        west, east = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    if north - south < MIN_SPAN:
        middle = (north + south) / 2
        south, north = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    right = margin + LABEL_ROOM
    scale = min((width - margin - right) / (east - west), (width - 2 * margin) / (north - south))
    height = max(int(round((north - south) * scale + 2 * margin)), width // 3)
    x_pad = (width - margin - right - (east - west) * scale) / 2
    y_pad = (height - 2 * margin - (north - south) * scale) / 2
    x0, y1 = west, north

    def inside(p: Point) -> bool:
        return west <= p.lon * cos0 <= east and south <= p.lat <= north

    def at(p: Point) -> XY:
        x = margin + x_pad + (p.lon * cos0 - x0) * scale
        y = margin + y_pad + (y1 - p.lat) * scale
        return XY(round(x, 1), round(y, 1), p.approximate)

    def place(p: MapPlace) -> DrawnPlace:
        return DrawnPlace(p.label, at(p.point), p.request_id)

    drawn = []
    for route in route_map.routes:
        line = [at(p) for p in route.points]
        path = " ".join(f"{'M' if i == 0 else 'L'}{xy.x},{xy.y}" for i, xy in enumerate(line))
        drawn.append(
            DrawnRoute(
                route=route,
                path=path,
                home=at(route.home) if route.home is not None else None,
                stops=tuple(
                    DrawnStop(s.number, at(s.point), s.label, s.reference, s.request_id, s.place)
                    for s in route.stops
                ),
            )
        )
    routes = list(spread_stops(drawn))
    left_out = spread_places([place(p) for p in route_map.left_out])
    return Drawing(
        width=width,
        height=height,
        routes=tuple(routes),
        sites=tuple(place(s) for s in route_map.sites if inside(s.point)),
        left_out=left_out,
        towns=name_towns(
            # The stops' own municipalities first: their names say where the day goes.
            sorted(
                (place(t) for t in route_map.towns if inside(t.point)),
                key=lambda t: t.label not in visited,
            ),
            routes,
            width=width,
            height=height,
            marks=[
                *(place(s).at for s in route_map.sites),
                *(p.at for p in left_out),
            ],
        ),
    )


#: A town's name, in the SVG's units: width of one character and height of the line
#: (font-size 12, generous so that no real font overflows the box).
CHAR_WIDTH = 7.0
LINE_HEIGHT = 13.0
#: Room kept around a numbered stop, and around a home, a site or a left-out request.
STOP_RADIUS = 13.0
MARK_RADIUS = 9.0
#: Where a name is tried around its town's dot: clear of a marker drawn on the dot itself
#: (a left-out request or an approximate place sits on the municipality's centre).
LABEL_SPOTS = ((10, -8, False), (10, 19, False), (-10, -8, True), (-10, 19, True))
#: Tried next, further out: clear of a numbered stop (and its dashed ring) drawn on the dot
#: itself, a visit placed at its municipality's centre, whose name the near spots cover.
FAR_SPOTS = (
    (20, 4, False),
    (-20, 4, True),
    (10, -21, False),
    (10, 32, False),
    (-10, -21, True),
    (-10, 32, True),
)


def label_box(town: DrawnPlace) -> tuple[float, float, float, float]:
    """The box ``(left, top, right, bottom)`` a town's written name covers."""
    assert town.label_at is not None
    width = CHAR_WIDTH * len(town.label)
    x, y = town.label_at.x, town.label_at.y
    left = x - width if town.label_end else x
    return (left, y - LINE_HEIGHT + 3, left + width, y + 3)


def name_towns(
    towns: list[DrawnPlace],
    routes: list[DrawnRoute],
    *,
    width: int,
    height: int,
    marks: list[XY],
) -> tuple[DrawnPlace, ...]:
    """Write each town's name where it covers no other name, stop, home or marker.

    Four places are tried around the town's dot (:data:`LABEL_SPOTS`: above right, below
    right, above left, below left), then further out (:data:`FAR_SPOTS`, for a stop drawn
    on the dot); a name that fits nowhere is not written, and its dot stays. Towns come in
    the order given, so the first ones get the best places.
    """
    points = [(m, MARK_RADIUS) for m in marks]
    for route in routes:
        points += [(s.at, STOP_RADIUS) for s in route.stops]
        points += [(s.anchor, MARK_RADIUS) for s in route.stops if s.anchor]
        if route.home is not None:
            points.append((route.home, MARK_RADIUS))
    taken: list[tuple[float, float, float, float]] = []
    named: list[DrawnPlace] = []
    for town in towns:
        x, y = town.at.x, town.at.y
        chosen = replace(town, label_at=None)
        for dx, dy, end in (*LABEL_SPOTS, *FAR_SPOTS):
            candidate = replace(town, label_at=XY(x + dx, y + dy), label_end=end)
            box = label_box(candidate)
            if _fits(box, width, height, taken, points):
                chosen = candidate
                taken.append(box)
                break
        named.append(chosen)
    return tuple(named)


def _fits(
    box: tuple[float, float, float, float],
    width: int,
    height: int,
    taken: list[tuple[float, float, float, float]],
    points: list[tuple[XY, float]],
) -> bool:
    left, top, right, bottom = box
    if left < 0 or top < 0 or right > width or bottom > height:
        return False
    for other in taken:
        if not (right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top):
            return False
    return not any(
        left - room < p.x < right + room and top - room < p.y < bottom + room for p, room in points
    )


def spread_stops(routes: list[DrawnRoute]) -> tuple[DrawnRoute, ...]:
    """Move apart the numbers of stops drawn closer than :data:`STOP_GAP`.

    Stops that touch (two visits in one building, every approximate place of a
    municipality on its centre) are gathered into groups; each group's numbers are put on
    a ring around the group's middle, in route and visiting order, far enough apart to be
    read, and each keeps its true place as ``anchor`` for a leader line. Lines between
    stops still join the true places.
    """
    stops = [(k, j, stop) for k, r in enumerate(routes) for j, stop in enumerate(r.stops)]
    groups: list[list[tuple[int, int, DrawnStop]]] = []
    for item in stops:
        near = [g for g in groups if any(_close(item[2].at, other.at) for _, _, other in g)]
        merged = [item]
        for group in near:
            merged = group + merged
            groups.remove(group)
        groups.append(merged)
    moved: dict[tuple[int, int], DrawnStop] = {}
    for group in groups:
        if len(group) < 2:
            continue
        group.sort(key=lambda item: (item[0], item[1]))
        cx = sum(s.at.x for _, _, s in group) / len(group)
        cy = sum(s.at.y for _, _, s in group) / len(group)
        n = len(group)
        radius = max(STOP_GAP / (2 * math.sin(math.pi / n)), STOP_GAP * 0.75)
        for i, (k, j, stop) in enumerate(group):
            angle = -math.pi / 2 + 2 * math.pi * i / n
            at = XY(
                round(cx + radius * math.cos(angle), 1),
                round(cy + radius * math.sin(angle), 1),
                stop.at.approximate,
            )
            moved[(k, j)] = replace(stop, at=at, anchor=stop.at)
    return tuple(
        replace(r, stops=tuple(moved.get((k, j), s) for j, s in enumerate(r.stops)))
        for k, r in enumerate(routes)
    )


def spread_places(places: list[DrawnPlace]) -> tuple[DrawnPlace, ...]:
    """Set the markers of places drawn on one spot (every left-out request of a
    municipality on its centre) on a ring around it, :data:`LEFT_OUT_GAP` apart."""
    groups: dict[tuple[float, float], list[int]] = {}
    for k, p in enumerate(places):
        groups.setdefault((p.at.x, p.at.y), []).append(k)
    out = list(places)
    for (cx, cy), members in groups.items():
        n = len(members)
        if n < 2:
            continue
        radius = max(LEFT_OUT_GAP / (2 * math.sin(math.pi / n)), LEFT_OUT_GAP * 0.75)
        for i, k in enumerate(members):
            angle = -math.pi / 2 + 2 * math.pi * i / n
            at = XY(
                round(cx + radius * math.cos(angle), 1),
                round(cy + radius * math.sin(angle), 1),
                places[k].at.approximate,
            )
            out[k] = replace(places[k], at=at, anchor=places[k].at)
    return tuple(out)


def _close(a: XY, b: XY) -> bool:
    return math.dist((a.x, a.y), (b.x, b.y)) < STOP_GAP
