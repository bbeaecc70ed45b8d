"""Serving feeds over HTTP: headers, conditional requests, dead links, rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.calendars import tokens
from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.models import utcnow

from .builders import SEAL_KEY
from .builders import Loaded
from .builders import local
from .builders import local_today
from .builders import make_visit
from .builders import team_link
from .builders import volunteer_link


def test_feed_is_served_as_utf8_calendar_with_validators_and_private_caching(client, scenario):
    response = client.get(scenario.link)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"].startswith('"') and len(response.headers["ETag"]) > 20
    assert response.headers["Last-Modified"].endswith(" GMT")
    cache = response.headers["Cache-Control"].split(", ")
    assert "private" in cache and "max-age=300" in cache
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.get_data().startswith(b"BEGIN:VCALENDAR\r\n")


def test_same_etag_answers_304_without_a_body(client, scenario):
    first = client.get(scenario.link)
    again = client.get(scenario.link, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "private" in again.headers["Cache-Control"]


def test_unchanged_since_last_modified_answers_304(client, scenario):
    first = client.get(scenario.link)
    again = client.get(scenario.link, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304


def test_a_change_gives_a_new_etag_and_a_full_answer(app, client, scenario):
    first = client.get(scenario.link)
    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        visit.move(visit.starts_at + timedelta(hours=1), visit.ends_at + timedelta(hours=1))
        db.session.commit()
    again = client.get(scenario.link, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]


def test_stale_etag_wins_over_a_recent_if_modified_since(app, client, scenario):
    first = client.get(scenario.link)
    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        visit.cancel(utcnow())
        db.session.commit()
    again = client.get(
        scenario.link,
        headers={"If-None-Match": '"stale"', "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"},
    )
    assert again.status_code == 200
    assert again.get_data() != first.get_data()


def test_revoked_unknown_and_malformed_links_are_the_same_plain_404(app, client, world, scenario):
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        tokens.revoke_volunteer_tokens(db.session, volunteer, now=utcnow())
    revoked = client.get(scenario.link)
    unknown = client.get("/feeds/volunteer/AAAAAAAAAAAAAAAAAAAAAAAA.ics")
    malformed = client.get("/feeds/volunteer/short.ics")
    assert revoked.status_code == unknown.status_code == malformed.status_code == 404
    assert revoked.get_data() == unknown.get_data() == malformed.get_data()
    assert revoked.headers.get("ETag") is None


def test_a_new_link_stops_the_old_one_at_once(app, client, scenario, world):
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        new = volunteer_link(db.session, volunteer)
    assert client.get(scenario.link).status_code == 404
    assert client.get(new).status_code == 200


def test_volunteer_link_is_not_a_team_link(client, scenario):
    token = scenario.link.removeprefix("/feeds/volunteer/").removesuffix(".ics")
    assert client.get(f"/feeds/team/{token}.ics").status_code == 404


def test_link_of_an_inactive_volunteer_stops_working(app, client, world, scenario):
    with app.app_context():
        db.session.get(Volunteer, world.volunteer_id).active = False
        db.session.commit()
    assert client.get(scenario.link).status_code == 404


def test_team_link_stops_when_the_dispatcher_leaves_or_becomes_a_volunteer(app, client, world):
    with app.app_context():
        link = team_link(db.session, world.email_for(Role.DISPATCHER))
    assert client.get(link).status_code == 200
    with app.app_context():
        user = db.session.scalars(
            db.select(User).where(User.email == world.email_for(Role.DISPATCHER))
        ).one()
        user.role = Role.VOLUNTEER
        db.session.commit()
    assert client.get(link).status_code == 404


def test_feed_use_is_noted_for_the_dispatcher_page(app, client, world, scenario):
    client.get(scenario.link)
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        row = tokens.live_volunteer_token(db.session, volunteer)
        assert row.last_used_at is not None
        assert tokens.reveal(row, SEAL_KEY) is not None


def test_head_request_gets_the_headers_only(client, scenario):
    response = client.head(scenario.link)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.get_data() == b""


@pytest.fixture
def limited_app(make_app):
    return make_app(RATELIMIT_ENABLED=True, FEEDS={"rate_limit": "3 per minute"})


def test_each_link_has_its_own_rate_limit(limited_app):
    app = limited_app
    with app.app_context():
        from tests.builders import build_world

        world = build_world(db.session)
        rows = Loaded.of(db.session, world)
        make_visit(
            db.session, rows.org, rows.volunteer, local(local_today() + timedelta(days=1), 10)
        )
        db.session.commit()
        mine = volunteer_link(db.session, rows.volunteer)
        theirs = volunteer_link(db.session, rows.other)
    client = app.test_client()
    assert [client.get(mine).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(theirs).status_code == 200
