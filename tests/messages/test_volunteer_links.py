"""The calendar line of a volunteer's day message always leads somewhere."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from scheduler.calendars import tokens
from scheduler.core.extensions import db
from scheduler.messages.links import volunteer_links
from scheduler.models import Volunteer

SECRET = "a-secret-key-long-enough-for-the-tests-0123456789"
BASE = "https://escouade.example"


def test_a_volunteer_who_signs_in_is_sent_to_their_calendar_page(app, world):
    with app.app_context():
        session = db.session()
        volunteer = session.get_one(Volunteer, world.volunteer_id)
        assert volunteer.user_id is not None
        # No feed link can be shown again (a signed-in volunteer keeps theirs to themselves).
        assert tokens.live_volunteer_token(session, volunteer) is None
        assert volunteer_links(session, BASE, SECRET)(volunteer) == f"{BASE}/me/calendar"


def test_a_live_link_is_written_as_is_and_nothing_without_one_or_a_login(app, world):
    with app.app_context():
        session = db.session()
        volunteer = session.get_one(Volunteer, world.other_volunteer_id)
        volunteer.user_id = None
        session.flush()
        link = volunteer_links(session, BASE, SECRET)
        assert link(volunteer) == ""
        token = tokens.issue_volunteer_token(
            session, volunteer, now=datetime.now(UTC), key=tokens.key_from_secret(SECRET)
        )
        assert link(volunteer) == f"{BASE}/feeds/volunteer/{token}.ics"
