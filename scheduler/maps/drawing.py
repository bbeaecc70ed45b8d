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

WIDTH = 600
MARGIN = 28


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
    """Fit every point of the map into ``width`` pixels, keeping proportions."""
    points = [p for r in route_map.routes for p in r.points]
    points += [p.point for p in (*route_map.sites, *route_map.left_out, *route_map.towns)]
    if not points:
        return Drawing(width, width // 2, (), (), (), ())
    lat0 = math.radians(sum(p.lat for p in points) / len(points))
    xs = [p.lon * math.cos(lat0) for p in points]
    ys = [p.lat for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.01)
    scale = (width - 2 * margin) / span
    height = int(round((max(ys) - min(ys)) * scale + 2 * margin))
    height = max(height, width // 3)
    x0, y1 = min(xs), max(ys)
    # Centre vertically when the content is flatter than the minimum height.
    y_pad = (height - 2 * margin - (max(ys) - min(ys)) * scale) / 2
    x_pad = (width - 2 * margin - (max(xs) - min(xs)) * scale) / 2

    def at(p: Point) -> XY:
        x = margin + x_pad + (p.lon * math.cos(lat0) - x0) * scale
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
        sites=tuple(place(s) for s in route_map.sites),
        left_out=tuple(place(p) for p in route_map.left_out),
        towns=tuple(place(t) for t in route_map.towns),
    )
