"""A moved visit moves in the calendar; a cancelled one shows as cancelled, then goes."""

from __future__ import annotations

from datetime import timedelta

from scheduler.calendars import render
from scheduler.calendars.settings import FeedSettings
from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import Volunteer
from scheduler.models import utcnow

from .parsers import by_uid
from .parsers import read_both


def read(client, scenario):
    return by_uid(read_both(client.get(scenario.link).get_data()))


def test_moved_visit_keeps_its_uid_with_a_higher_sequence(app, client, scenario):
    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        uid = visit.uid
        before = read(client, scenario)[uid]
        visit.move(visit.starts_at + timedelta(hours=3), visit.ends_at + timedelta(hours=3))
        db.session.commit()
    after = read(client, scenario)
    assert after[uid]["sequence"] == before["sequence"] + 1
    assert after[uid]["start"] > before["start"]
    assert after[f"travel-{uid}"]["sequence"] == after[uid]["sequence"]
    assert after[f"travel-{uid}"]["end"] == after[uid]["start"]
    assert [e for e in after.values() if e["summary"] == before["summary"]] == [after[uid]]


def test_cancelled_visit_shows_cancelled_without_reminder(app, client, scenario):
    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        uid = visit.uid
        visit.cancel(utcnow())
        db.session.commit()
    events = read(client, scenario)
    cancelled, travel = events[uid], events[f"travel-{uid}"]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["sequence"] == 1
    assert cancelled["summary"] == "Annulé : Visite à domicile : Jeannine (Drummondville)"
    assert cancelled["description"].startswith("Ce rendez-vous est annulé.")
    assert cancelled["alarms"] == []
    assert travel["status"] == "CANCELLED"


def test_cancelled_visit_disappears_after_thirty_days(app, scenario):
    settings = FeedSettings()
    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        volunteer = db.session.get(Volunteer, visit.volunteer_id)
        uid = visit.uid
        cancelled_at = utcnow()
        visit.cancel(cancelled_at)
        db.session.commit()

        def uids(days_later: int) -> set[str]:
            now = cancelled_at + timedelta(days=days_later)
            feed = render.volunteer_feed(db.session, volunteer, now=now, settings=settings)
            return set(by_uid(read_both(feed.body)))

        assert uid in uids(29)
        assert uid not in uids(31)
        assert f"travel-{uid}" not in uids(31)


def test_scheduled_but_unconfirmed_appointment_is_tentative(app, client, scenario):
    from scheduler.models import AppointmentStatus

    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        visit.status = AppointmentStatus.SCHEDULED
        db.session.commit()
        uid = visit.uid
    assert read(client, scenario)[uid]["status"] == "TENTATIVE"
