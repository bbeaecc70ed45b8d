"""An erased request's events are replaced in the calendar apps that hold them.

Apps that keep events by UID replace one only when its SEQUENCE went up; the feed is
read back with the ``icalendar`` package, and with ical and ical.js, before and after.
"""

from __future__ import annotations

from datetime import timedelta

import icalendar
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import RequestStatus
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.requests.retention import erase_expired
from scheduler.requests.retention import erase_request_now

from .parsers import read_both


def events(client, scenario) -> dict[str, icalendar.Event]:
    body = client.get(scenario.link).get_data()
    read_both(body)  # both strict parsers read it too
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def close_visit_request(scenario, hours_ago: int = 2):
    """The visit's request done, its rows last touched ``hours_ago``."""
    visit = db.session.get(Appointment, scenario.visit_id)
    past = utcnow() - timedelta(hours=hours_ago)
    visit.request.status = RequestStatus.DONE
    visit.request.closed_at = past
    visit.request.updated_at = past
    visit.created_at = visit.updated_at = past
    db.session.commit()
    return visit


def test_erasing_a_request_raises_the_sequence_of_the_events_that_named_the_person(
    app, client, world, scenario
):
    with app.app_context():
        visit = close_visit_request(scenario)
        uid, other_uid = visit.uid, db.session.get(Appointment, scenario.call_id).uid
    before = events(client, scenario)
    assert "Jeannine" in str(before[uid]["SUMMARY"])
    with app.app_context():
        dispatcher = db.session.scalar(
            sa.select(User).where(User.email == world.email_for(Role.DISPATCHER))
        )
        visit = db.session.get(Appointment, scenario.visit_id)
        erase_request_now(db.session, visit.request, user=dispatcher, now=utcnow())
    after = events(client, scenario)

    assert "Jeannine" not in str(after[uid]["SUMMARY"])
    assert "Jeannine" not in str(after[uid]["DESCRIPTION"])
    assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
    assert after[uid]["DTSTAMP"].dt > before[uid]["DTSTAMP"].dt
    assert after[uid]["LAST-MODIFIED"].dt > before[uid]["LAST-MODIFIED"].dt
    travel = f"travel-{uid}"
    assert int(after[travel]["SEQUENCE"]) == int(after[uid]["SEQUENCE"])
    # The volunteer's other appointment, of another person, is left as it was.
    assert after[other_uid].to_ical() == before[other_uid].to_ical()


def test_the_retention_job_raises_the_sequence_too_and_only_once(app, client, scenario):
    with app.app_context():
        visit = close_visit_request(scenario)
        uid = visit.uid
        visit.request.organisation.retention_days = 0
        db.session.commit()
    before = events(client, scenario)
    with app.app_context():
        assert erase_expired(db.session, utcnow()) == 1
        db.session.commit()
    after = events(client, scenario)
    assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
    assert after[uid]["DTSTAMP"].dt > before[uid]["DTSTAMP"].dt
    with app.app_context():
        assert erase_expired(db.session, utcnow()) == 0
        db.session.commit()
    assert events(client, scenario)[uid].to_ical() == after[uid].to_ical()
