"""A route map projected onto a drawing: SVG coordinates in a ``viewBox``, no words.

The projection is equirectangular around the map's middle latitude: at the scale of a
territory (tens of kilometres) it is indistinguishable from any other, and needs no
library. The template (``templates/maps/_svg.html``) turns the drawing into SVG with
the words of the page's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
        routes=tuple(routes),
        sites=tuple(place(s) for s in route_map.sites if inside(s.point)),
        left_out=tuple(place(p) for p in route_map.left_out),
        towns=tuple(place(t) for t in route_map.towns if inside(t.point)),
    )
