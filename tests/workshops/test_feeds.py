"""Workshop sessions in the site's public feed and in a participant's file; a draft series
shows nowhere."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from icalendar import Calendar

from scheduler.calendars import render
from scheduler.calendars.settings import FeedSettings
from scheduler.core.extensions import db
from scheduler.models import SeriesStatus
from scheduler.models import Site
from scheduler.workshops.enrolment import Person
from scheduler.workshops.enrolment import enrol

from .builders import KEY
from .builders import make_series


def events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_sessions_at_a_site_are_in_its_public_feed_and_drafts_are_not(app, world):
    now = datetime.now(UTC)
    with app.app_context():
        series = make_series(db.session, world, sessions=2, first=now + timedelta(days=2))
        site = db.session.get(Site, world.site_id)
        series.site = site
        db.session.commit()
        found = [
            e
            for e in events(render.site_feed(site, now=now, settings=FeedSettings()).body)
            if str(e["UID"]).startswith("workshop-session-")
        ]
        assert len(found) == 2
        assert "Escouade numérique" in str(found[0]["SUMMARY"])
        series.status = SeriesStatus.DRAFT
        db.session.commit()
        body = render.site_feed(site, now=now, settings=FeedSettings()).body
        assert b"workshop-session-" not in body


def test_a_participant_file_holds_every_session_without_other_people(app, world):
    now = datetime.now(UTC)
    with app.app_context():
        series = make_series(db.session, world, sessions=3, first=now + timedelta(days=2))
        ana, _ = enrol(
            db.session, series, Person("Ana", "+18195550101"), key=KEY, now=now, locale="fr_CA"
        )
        enrol(db.session, series, Person("Zoé", "+18195550102"), key=KEY, now=now, locale="fr_CA")
        db.session.commit()
        feed = render.enrolment_file(ana, now=now, settings=FeedSettings())
        assert feed is not None
        found = events(feed.body)
        assert len(found) == 3
        assert "Salle communautaire" in str(found[0]["LOCATION"])
        assert "Zoé".encode() not in feed.body and b"Ana" not in feed.body
