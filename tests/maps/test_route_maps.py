"""The route maps drawn on the server: one path per volunteer-day, one marker per stop."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest

from scheduler.core.extensions import db
from scheduler.maps.drawing import draw
from scheduler.maps.layout import MapPlace
from scheduler.maps.layout import Point
from scheduler.maps.layout import RouteMap
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Plan

from .conftest import sign_in

SVG = "{http://www.w3.org/2000/svg}"


def svgs(html: str) -> list[ET.Element]:
    """Every route map of a page, parsed as XML (so a malformed drawing fails here)."""
    found = re.findall(r'<svg class="route-map__svg".*?</svg>', html, flags=re.S)
    return [ET.fromstring(text) for text in found]


def expected_days(app, plan_id: int):
    """Day → volunteer id → number of stops with a place (calls have none)."""
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        zone = ZoneInfo(db.session.get(Organisation, plan.organisation_id).timezone)
        days: dict = defaultdict(lambda: defaultdict(int))
        for visit in plan.visits:
            if visit.volunteer_id is not None and visit.kind is not Mode.PHONE:
                days[visit.starts_at.astimezone(zone).date()][visit.volunteer_id] += 1
        return {day: dict(v) for day, v in sorted(days.items())}


def test_demo_plan_maps_have_one_path_per_volunteer_and_one_marker_per_stop(app, client, demo_plan):
    sign_in(client, demo_plan.logins["dispatcher"])
    response = client.get(f"/dispatch/plans?week={demo_plan.monday:%G-W%V}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    maps = svgs(html)
    expected = expected_days(app, demo_plan.plan_id)
    assert expected, "the demo plan sends volunteers somewhere"
    # One map per day for the whole team, then one per volunteer-day.
    day_maps = maps[: len(expected)]
    for svg, (day, volunteers) in zip(day_maps, expected.items(), strict=True):
        groups = svg.findall(f".//{SVG}g[@class='map-route-group']")
        drawn = {int(g.get("data-volunteer")): g for g in groups}
        assert set(drawn) == set(volunteers), day
        for volunteer_id, group in drawn.items():
            assert len(group.findall(f"{SVG}path[@class='map-route']")) == 1
            stops = [g for g in group.iter(f"{SVG}g") if "map-stop" in (g.get("class") or "")]
            assert len(stops) == volunteers[volunteer_id], (day, volunteer_id)
            assert [int(s.get("data-number")) for s in stops] == list(
                range(1, volunteers[volunteer_id] + 1)
            )
        # The text alternative names the map and counts its stops.
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title").text
        assert str(sum(volunteers.values())) in svg.find(f"{SVG}desc").text
    per_volunteer = maps[len(expected) :]
    assert len(per_volunteer) == sum(len(v) for v in expected.values())
    # Left-out home visits are hollow markers on the day maps.
    assert 'class="map-left-out"' in html
    # Fits a phone: the drawing scales to its box.
    assert all(m.get("viewBox", "").startswith("0 0 ") for m in maps)


def test_approximate_places_are_drawn_dashed_and_said_in_words(app, client, demo_plan):
    with app.app_context():
        plan = db.session.get(Plan, demo_plan.plan_id)
        visit = next(v for v in plan.visits if v.kind is Mode.HOME and v.volunteer_id)
        request = db.session.get(HelpRequest, visit.request_id)
        request.lat = request.lon = None
        request.location_approximate = True
        reference = request.reference
        db.session.commit()
    sign_in(client, demo_plan.logins["dispatcher"])
    html = client.get(f"/dispatch/plans?week={demo_plan.monday:%G-W%V}").get_data(as_text=True)
    # Drawn approximate on the day's map and on the volunteer's (other demo places may be
    # approximate too: only this request's markers are counted).
    marker = (
        rf'class="map-stop map-stop--approximate" data-number="\d+" data-reference="{reference}"'
    )
    assert len(re.findall(marker, html)) == 2
    assert "emplacement approximatif" in html or "approximate place" in html


def test_interactive_map_only_when_a_tile_server_is_set(make_app, world):
    plain = make_app()
    assert plain.extensions["escouade.settings"].maps.interactive is False
    tiled = make_app(MAPS={"tile_url": "http://127.0.0.1:9/{z}/{x}/{y}.png"})
    response = tiled.test_client().get("/")
    assert "img-src 'self' data: http://127.0.0.1:9;" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["ftp://x/{z}/{x}/{y}.png", "https://tiles.example/map.png"])
def test_a_wrong_tile_url_stops_the_start(make_app, url):
    from scheduler.core.settings import ConfigurationError

    with pytest.raises(ConfigurationError, match="tile_url"):
        make_app(MAPS={"tile_url": url})


def test_drawing_fits_the_view_box_and_keeps_north_up():
    towns = (
        MapPlace("North", Point(46.0, -72.5)),
        MapPlace("South", Point(45.6, -72.5)),
        MapPlace("East", Point(45.8, -72.0)),
    )
    drawing = draw(RouteMap((), (), (), towns), width=420)
    xs = [t.at.x for t in drawing.towns]
    ys = [t.at.y for t in drawing.towns]
    assert all(0 <= x <= drawing.width for x in xs) and all(0 <= y <= drawing.height for y in ys)
    north, south, east = drawing.towns
    assert north.at.y < south.at.y and east.at.x > north.at.x
