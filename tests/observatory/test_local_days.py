"""The database counts local days itself (volunteers' days, the week a request arrived):
the day it gives must be the one the organisation's clock showed, around a change of time
too, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.observatory import Scope
from scheduler.observatory.activity import load_work
from scheduler.observatory.localtime import local_day
from scheduler.observatory.localtime import offsets
from scheduler.observatory.localtime import to_date

TORONTO = ZoneInfo("America/Toronto")


def test_offsets_change_at_the_exact_instant_the_clock_changes():
    starts = datetime(2026, 3, 1, tzinfo=TORONTO)
    ends = datetime(2026, 12, 1, tzinfo=TORONTO)
    found = offsets(TORONTO, starts, ends)
    # 8 March 2026, 2:00 EST (07:00 UTC) → EDT; 1 November, 2:00 EDT (06:00 UTC) → EST.
    assert found == [
        (starts.astimezone(UTC), -5 * 3600),
        (datetime(2026, 3, 8, 7, tzinfo=UTC), -4 * 3600),
        (datetime(2026, 11, 1, 6, tzinfo=UTC), -5 * 3600),
    ]


def test_the_database_gives_each_instant_its_local_day_around_a_change_of_time(app, world):
    """Instants just before and after midnight and the change of time, each compared with
    what ``zoneinfo`` says the local date was."""
    instants = [
        datetime(2026, 3, 7, 23, 59, tzinfo=TORONTO),
        datetime(2026, 3, 8, 0, 30, tzinfo=TORONTO),
        datetime(2026, 3, 8, 1, 59, tzinfo=TORONTO),
        datetime(2026, 3, 8, 3, 1, tzinfo=TORONTO),
        datetime(2026, 3, 8, 23, 59, tzinfo=TORONTO),
        datetime(2026, 3, 9, 0, 0, tzinfo=TORONTO),
        datetime(2026, 10, 31, 23, 30, tzinfo=TORONTO),
        datetime(2026, 11, 1, 1, 30, fold=0, tzinfo=TORONTO),
        datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=TORONTO),
        datetime(2026, 11, 1, 23, 59, tzinfo=TORONTO),
        datetime(2026, 11, 2, 0, 1, tzinfo=TORONTO),
    ]
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        for n, at in enumerate(instants):
            db.session.add(
                Appointment(
                    organisation_id=org.id,
                    kind=Mode.PHONE,
                    starts_at=at,
                    ends_at=at + timedelta(minutes=30),
                    volunteer_id=world.volunteer_id,
                    status=AppointmentStatus.DONE,
                    uid=f"dst-{n}@test",
                )
            )
        db.session.commit()
        starts = datetime(2026, 1, 1, tzinfo=TORONTO)
        ends = datetime(2027, 1, 1, tzinfo=TORONTO)
        day = local_day(Appointment.starts_at, TORONTO, starts, ends)
        found = db.session.execute(
            sa.select(Appointment.starts_at, day).where(Appointment.uid.like("dst-%"))
        ).all()
    assert len(found) == len(instants)
    for at, number in found:
        assert to_date(number) == at.astimezone(TORONTO).date(), at


def test_a_volunteers_day_is_their_local_day_and_minutes_are_the_appointments_lengths(app, world):
    """Two calls of the same local evening, one of them after midnight UTC: one day of work."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        for n, (hour, minutes) in enumerate(((18, 45), (21, 50))):
            at = datetime(2026, 3, 10, hour, tzinfo=TORONTO)
            db.session.add(
                Appointment(
                    organisation_id=org.id,
                    kind=Mode.PHONE,
                    starts_at=at,
                    ends_at=at + timedelta(minutes=minutes),
                    volunteer_id=world.volunteer_id,
                    status=AppointmentStatus.CONFIRMED,
                    uid=f"evening-{n}@test",
                )
            )
        db.session.commit()
        work = load_work(db.session, org, Scope(date(2026, 3, 10), date(2026, 3, 10)))
    assert [(w.day, w.kind, w.appointments, w.help_min) for w in work] == [
        (date(2026, 3, 10), Mode.PHONE, 2, 95)
    ]
