"""Stops drawn on top of each other (two visits in one building, approximate places at a
municipality's centre) are spread apart so every number can be read, each with a line to
where it really is."""

from __future__ import annotations

import math
from datetime import date

from scheduler.maps.drawing import STOP_GAP
from scheduler.maps.drawing import draw
from scheduler.maps.layout import MapRoute
from scheduler.maps.layout import MapStop
from scheduler.maps.layout import Point
from scheduler.maps.layout import RouteMap
from scheduler.models import Mode

CENTRE = Point(45.88, -72.49, approximate=True)


def _stop(number: int, point: Point) -> MapStop:
    return MapStop(number, point, f"P{number}", f"ESC-{number}", Mode.HOME, number)


def _map() -> RouteMap:
    home = Point(45.80, -72.40)
    first = MapRoute(
        1,
        "Sylvie",
        date(2030, 3, 5),
        "#1b6ca8",
        home,
        tuple(_stop(n, CENTRE) for n in (1, 2, 3)) + (_stop(4, Point(45.83, -72.45)),),
    )
    second = MapRoute(2, "Roger", date(2030, 3, 5), "#b5462e", home, (_stop(1, CENTRE),))
    return RouteMap((first, second), (), (), ())


def test_stops_at_one_place_are_spread_so_no_two_numbers_overlap():
    drawing = draw(_map())
    stops = [s for r in drawing.routes for s in r.stops]
    for a in stops:
        for b in stops:
            if a is not b:
                assert math.dist((a.at.x, a.at.y), (b.at.x, b.at.y)) >= STOP_GAP - 0.2, (a, b)
    together = [s for s in stops if s.anchor is not None]
    assert len(together) == 4  # the four at the centre; the lone stop stays where it is
    assert len({(s.anchor.x, s.anchor.y) for s in together}) == 1
    lone = next(s for s in drawing.routes[0].stops if s.number == 4)
    assert lone.anchor is None


def test_the_svg_draws_a_line_from_each_spread_number_to_its_place(app):
    from flask import render_template_string

    from routes.maps import map_settings

    with app.test_request_context():
        html = render_template_string(
            '{% from "maps/_svg.html" import route_map with context %}'
            '{{ route_map(m, "t", "m1") }}',
            m=type("M", (), {"drawing": draw(_map()), "route_map": _map(), "data": {}})(),
            map_settings=map_settings,
        )
    assert html.count('class="map-stop__leader"') == 4


def _boxes(drawing):
    from scheduler.maps.drawing import label_box

    return [(t, label_box(t)) for t in drawing.towns if t.label_at is not None]


def test_town_names_never_cover_each_other_nor_a_stop():
    from scheduler.maps.layout import MapPlace

    towns = (
        MapPlace("Saint-Majorique-de-Grantham", Point(45.880, -72.49)),
        MapPlace("Saint-Cyrille-de-Wendover", Point(45.881, -72.47)),
        MapPlace("Drummondville", Point(45.879, -72.48)),
        MapPlace("Wickham", Point(45.85, -72.42)),
    )
    drawing = draw(RouteMap(_map().routes, (), (), towns))
    placed = _boxes(drawing)
    assert any(t.label == "Wickham" for t, _ in placed)
    for i, (_, a) in enumerate(placed):
        for _, b in placed[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        for stop in (s for r in drawing.routes for s in r.stops):
            inside_x = a[0] - 12 < stop.at.x < a[2] + 12
            inside_y = a[1] - 12 < stop.at.y < a[3] + 12
            assert not (inside_x and inside_y), (a, stop)
    # A name with no room left is not written, but its dot stays.
    assert len(drawing.towns) == 4


def test_requests_left_out_at_one_place_are_spread_too():
    from scheduler.maps.drawing import LEFT_OUT_GAP
    from scheduler.maps.layout import MapPlace

    left = tuple(MapPlace(f"ESC-{n}", CENTRE, n) for n in range(5))
    drawing = draw(RouteMap(_map().routes, (), left, ()))
    spots = [(p.at.x, p.at.y) for p in drawing.left_out]
    for i, a in enumerate(spots):
        for b in spots[i + 1 :]:
            assert math.dist(a, b) >= LEFT_OUT_GAP - 0.2, (a, b)
    assert all(p.anchor is not None for p in drawing.left_out)
