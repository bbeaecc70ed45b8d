"""The left-out list says what a dispatcher can trust: counts that match the figures
above it, and distances that never read "2 km away, beyond 2 km"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from routes.dispatch.display import reason_sentence
from scheduler.core.extensions import db
from scheduler.dispatch import plan_week
from scheduler.dispatch.policy import Policy
from scheduler.dispatch.policy import save_policy
from scheduler.dispatch.view import LeftOutLine
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Site
from scheduler.models import utcnow

from ..builders import make_request


def sentence(app, detail, language="fr"):
    line = LeftOutLine("needs_car", detail, None, None, None)
    with app.test_request_context(headers={"Accept-Language": language}):
        return reason_sentence(line)


def test_a_request_the_planning_had_no_time_to_offer_says_to_plan_again(app):
    detail = {"bound": "time_limit", "shifts": 12, "bounds": {"time_limit": 12}}
    line = LeftOutLine("capacity", detail, None, None, None)
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        words = reason_sentence(line)
    assert "manqué de temps" in words
    assert "déjà complets" not in words


def test_a_home_just_past_walking_distance_is_not_said_to_be_as_far_as_the_limit(app):
    words = sentence(app, {"needs_car": False, "walking_limit_km": 2.0, "km_from_home": 2.0})
    assert "2 km" in words
    assert not re.search(r"à 2 km, au-delà", words)
    assert "juste au-delà" in words


def test_a_home_farther_than_the_limit_gives_both_figures(app):
    words = sentence(app, {"needs_car": False, "walking_limit_km": 2.0, "km_from_home": 7.2}, "en")
    assert "7.2 km away, beyond walking distance (2 km)" in words


def test_a_home_a_hair_past_the_limit_shows_the_difference(app):
    words = sentence(app, {"needs_car": False, "walking_limit_km": 2.0, "km_from_home": 2.04}, "en")
    assert "2.04 km away, beyond walking distance (2 km)" in words


def test_a_visit_that_needs_a_car_is_not_explained_by_its_distance(app):
    words = sentence(app, {"needs_car": True, "walking_limit_km": 2.0, "km_from_home": 0.5}, "en")
    assert words == "This visit needs a car, and no volunteer with a car is free then."


@pytest.fixture
def next_week():
    today = utcnow().date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


def test_the_left_out_heading_counts_requests_and_lists_short_drop_ins_apart(
    app, client, auth, world, next_week, settings
):
    """Nobody can staff the drop-in: its visitor is left out (one request), and the
    session's empty seats are listed under their own heading, not counted as requests."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        save_policy(db.session, org, Policy(lead_min=0), now=utcnow())
        make_request(
            db.session,
            org,
            mode=Mode.DROPIN,
            site=db.session.get(Site, world.site_id),
            address=None,
            duration_min=60,
            availability=["tue-am"],
        )
        db.session.commit()
        plan = plan_week(db.session, org, next_week, settings=settings, now=utcnow())
        assert sum(1 for u in plan.unassigned if u.request_id is None) >= 1
        code = f"{next_week.isocalendar()[0]}-W{next_week.isocalendar()[1]:02d}"
    auth.login_as("dispatcher")
    page = re.sub(r"\s+", " ", client.get(f"/dispatch/plans?week={code}").get_data(as_text=True))
    assert "Non placées (1)" in page
    assert "Présences au local à combler" in page
