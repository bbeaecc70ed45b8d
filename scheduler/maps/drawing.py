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

    The frame is set by what the map is about (routes and left-out requests), a little
    wider; municipalities and sites outside it are left out so a short route is not lost
    in the whole territory. The right margin leaves room for the names of places.
    """
    focus = [p for r in route_map.routes for p in r.points]
    focus += [p.point for p in route_map.left_out]
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

    routes = []
    for route in route_map.routes:
        line = [at(p) for p in route.points]
        path = " ".join(f"{'M' if i == 0 else 'L'}{xy.x},{xy.y}" for i, xy in enumerate(line))
        routes.append(
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
    return Drawing(
        width=width,
        height=height,
        routes=spread_stops(routes),
        sites=tuple(place(s) for s in route_map.sites if inside(s.point)),
        left_out=tuple(place(p) for p in route_map.left_out),
        towns=tuple(place(t) for t in route_map.towns if inside(t.point)),
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


def _close(a: XY, b: XY) -> bool:
    return math.dist((a.x, a.y), (b.x, b.y)) < STOP_GAP
