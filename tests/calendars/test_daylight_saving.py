"""Times stay right across the autumn clock change, in Québec and in France.

Each appointment is stored as a UTC instant; both parsers must read back exactly
that instant. Local times that happen twice (the hour repeated when clocks go
back) are written in UTC, the others with the organisation's TZID.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from scheduler.calendars import render
from scheduler.calendars.settings import FeedSettings
from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import Volunteer

from .builders import make_visit
from .parsers import read_both

# (zone, locale, country, the UTC instants of appointments around the change)
ZONES = {
    # Clocks go back from 02:00 EDT to 01:00 EST on Sunday 1 November 2026.
    "America/Toronto": (
        "fr_CA",
        "CA",
        [
            ("2026-10-31T14:00:00Z", "20261031T100000"),  # Saturday 10:00 EDT
            ("2026-11-01T04:00:00Z", "20261101T000000"),  # Sunday 00:00 EDT, spans the change
            ("2026-11-01T05:30:00Z", None),  # 01:30 EDT: first of two 01:30s
            ("2026-11-01T06:30:00Z", None),  # 01:30 EST: second of two 01:30s
            ("2026-11-01T15:00:00Z", "20261101T100000"),  # Sunday 10:00 EST
            ("2026-11-02T15:00:00Z", "20261102T100000"),  # Monday 10:00 EST
        ],
    ),
    # Clocks go back from 03:00 CEST to 02:00 CET on Sunday 25 October 2026.
    "Europe/Paris": (
        "fr_FR",
        "FR",
        [
            ("2026-10-24T08:00:00Z", "20261024T100000"),  # Saturday 10:00 CEST
            ("2026-10-24T22:00:00Z", "20261025T000000"),  # Sunday 00:00 CEST, spans the change
            ("2026-10-25T00:30:00Z", None),  # 02:30 CEST: first of two 02:30s
            ("2026-10-25T01:30:00Z", None),  # 02:30 CET: second of two 02:30s
            ("2026-10-25T09:00:00Z", "20261025T100000"),  # Sunday 10:00 CET
            ("2026-10-26T09:00:00Z", "20261026T100000"),  # Monday 10:00 CET
        ],
    ),
}


def instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_appointments_around_the_autumn_change_read_back_at_the_same_instant(app, world, zone):
    locale, country, cases = ZONES[zone]
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        org.timezone, org.locale, org.country = zone, locale, country
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        uids = {}
        for index, (start, _) in enumerate(cases):
            minutes = 240 if index == 1 else 60
            visit = make_visit(
                db.session, org, volunteer, instant(start), minutes=minutes, travel_min=None
            )
            uids[visit.uid] = (start, minutes)
        db.session.commit()
        feed = render.volunteer_feed(
            db.session, volunteer, now=datetime(2026, 10, 1, tzinfo=UTC), settings=FeedSettings()
        )

    text = feed.body.decode()
    for start, local in cases:
        if local is not None:
            assert f"DTSTART;TZID={zone}:{local}\r\n" in text, local
        else:
            assert f"DTSTART:{start.replace('-', '').replace(':', '')}\r\n" in text, start

    calendar = read_both(feed.body)
    assert calendar["timezones"] == [zone]
    read = {e["uid"]: (e["start"], e["end"]) for e in calendar["events"]}
    for uid, (start, minutes) in uids.items():
        end = (instant(start) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert read[uid] == (start, end), uid
