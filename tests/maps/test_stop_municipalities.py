"""The interactive map's data names the municipality of each stop, site and left-out
request, JSON-encoded so that no name typed by a person can close the page's script."""

from __future__ import annotations

import json
import re
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from scheduler.core.extensions import db
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import plan_week
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Role

from ..builders import PASSWORD
from ..builders import make_request

MONDAY = date(2030, 3, 4)
NOW = datetime(2030, 3, 1, 15, 0, tzinfo=UTC)
ODD = 'Wickham </script><b class="x">&</b>'


def map_data(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/json" id="map-[^"]*-data">(.*?)</script>', html)
    assert found, "the plan page carries the interactive map's data"
    return [json.loads(text) for text in found]


@pytest.fixture
def app(make_app):
    """The test organisation's application, with a tile server set so the plan page draws
    the interactive map (made before ``world``: a second application empties PostgreSQL)."""
    return make_app(MAPS={"tile_url": "http://127.0.0.1:9/{z}/{x}/{y}.png"})


def test_each_stop_site_and_left_out_request_carries_its_municipality(app, world, monkeypatch):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        wickham = db.session.get(Municipality, world.municipality_ids["Wickham"])
        wickham.name = ODD
        home = make_request(db.session, org, municipality_id=wickham.id, availability=["tue-am"])
        home.beneficiary.first_name = "Aline"
        # Nobody works on Saturday: left out, drawn as a hollow marker.
        away = make_request(
            db.session,
            org,
            municipality_id=world.municipality_ids["L'Avenir"],
            availability=["sat-am"],
        )
        db.session.commit()
        settings = PlanningSettings().with_limits(time_limit_s=20, solution_limit=30)
        plan_week(db.session, org, MONDAY, settings=settings, now=NOW)
        reference, away_reference = home.reference, away.reference

    monkeypatch.setattr("routes.dispatch.plans.utcnow", lambda: NOW)
    client = app.test_client()
    client.post(
        "/auth/login", data={"email": world.email_for(Role.DISPATCHER), "password": PASSWORD}
    )
    html = client.get("/dispatch/plans?week=2030-W10").get_data(as_text=True)
    # The odd name never reaches the page as markup: not in the data, nor anywhere else.
    assert "</script><b" not in html and '<b class="x">' not in html
    tuesday = map_data(html)[0]
    stops = [s for r in tuesday["routes"] for s in r["stops"]]
    visit = next(s for s in stops if s["reference"] == reference)
    assert visit["municipality"] == ODD and visit["place"] == ODD
    duty = next(s for s in stops if s["reference"] is None)
    assert duty["place"] == "Local Brock" and duty["municipality"] == "Drummondville"
    (site,) = tuesday["sites"]
    assert site["municipality"] == "Drummondville"
    left = next(p for p in tuesday["left_out"] if p["label"].startswith(away_reference))
    assert left["municipality"] == "L'Avenir"
