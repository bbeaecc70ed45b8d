"""The municipality a volunteer goes to is named on the map, even when the visit's marker
sits on its centre (an approximate place), and its name is written escaped."""

from __future__ import annotations

import html
import re
from datetime import date

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.maps.drawing import draw
from scheduler.maps.layout import MapPlace
from scheduler.maps.layout import MapRoute
from scheduler.maps.layout import MapStop
from scheduler.maps.layout import Point
from scheduler.maps.layout import RouteMap
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Municipality

from .conftest import sign_in
from .test_route_sheets import busiest_day

TOWNS = (
    MapPlace("Drummondville", Point(45.88, -72.48)),
    MapPlace("Wickham", Point(45.85, -72.42)),
)


def _named(drawing) -> set[str]:
    return {t.label for t in drawing.towns if t.label_at is not None}


def test_a_visit_on_its_municipalitys_centre_leaves_the_municipality_named():
    centre = Point(45.85, -72.42, approximate=True)
    route = MapRoute(
        1,
        "Sylvie",
        date(2030, 3, 5),
        "#1b6ca8",
        Point(45.88, -72.48),
        (MapStop(1, centre, "Ana", "ESC-1", Mode.HOME, 1, "Wickham"),),
    )
    assert "Wickham" in _named(draw(RouteMap((route,), (), (), TOWNS)))


def test_every_route_sheet_map_names_the_municipalities_its_stops_are_in_escaped(
    app, client, demo_plan
):
    _volunteer_id, day, visits, _calls = busiest_day(app, demo_plan.plan_id)
    name = "Saint-<b>Ours</b> & Cie"
    with app.app_context():
        request = db.session.scalar(
            sa.select(HelpRequest).where(HelpRequest.reference == visits[-1])
        )
        request.municipality.name = name
        db.session.commit()
        towns = set(db.session.scalars(sa.select(Municipality.name)))
    sign_in(client, demo_plan.logins["dispatcher"])
    page = client.get(f"/dispatch/plans/{demo_plan.plan_id}/sheets/{day.isoformat()}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<b>Ours</b>" not in text
    maps = re.findall(r'<figure class="route-map".*?</figure>', text, re.S)
    assert len(maps) >= 2
    seen = set()
    for figure in maps:
        [names] = re.findall(r'<g class="route-map__towns".*?</g>', figure, re.S)
        labels = {html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", names)}
        words = figure.split('class="route-map__text"', 1)[1]
        places = {html.unescape(p.strip()) for p in re.findall(r"<li>[^<]*, ([^<—]*)", words)}
        visited = places & towns
        assert visited <= labels, (visited - labels, labels)
        seen |= visited
    assert name in seen
