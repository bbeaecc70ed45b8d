"""Attendance taken by the leader, and completion at the programme's share of sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.models import EnrolmentStatus
from scheduler.models import User
from scheduler.workshops.attendance import record_attendance
from scheduler.workshops.attendance import sessions_needed
from scheduler.workshops.enrolment import Person
from scheduler.workshops.enrolment import enrol
from scheduler.workshops.errors import WorkshopError

from ..races import other_request_inserts
from .builders import KEY
from .builders import NOW
from .builders import make_series


def test_sessions_needed_rounds_the_share_up():
    assert sessions_needed(8, 0.75) == 6
    assert sessions_needed(6, 0.75) == 5
    assert sessions_needed(4, 0.75) == 3
    assert sessions_needed(1, 0.5) == 1


def test_a_participant_completes_at_the_share_and_not_before(app, world):
    with app.app_context():
        series = make_series(db.session, world, capacity=3, sessions=4, share=0.75)
        keen, _ = enrol(
            db.session, series, Person("Ana", "+18195550001"), key=KEY, now=NOW, locale="fr_CA"
        )
        rare, _ = enrol(
            db.session, series, Person("Bea", "+18195550002"), key=KEY, now=NOW, locale="fr_CA"
        )
        leader = db.session.query(User).filter_by(email=world.users["volunteer"]).one()
        done = []
        for number, wsession in enumerate(series.sessions, start=1):
            present = {keen.id} | ({rare.id} if number <= 2 else set())
            done += record_attendance(
                db.session, wsession, present, by=leader, now=wsession.starts_at
            )
            if number == 2:
                assert keen.status is EnrolmentStatus.ENROLLED
        assert [e.id for e in done] == [keen.id]
        assert keen.status is EnrolmentStatus.COMPLETED
        assert rare.status is EnrolmentStatus.ENROLLED
        # Corrections that take sessions away undo the completion (2 of 4 is not enough).
        for wsession in series.sessions[2:]:
            record_attendance(db.session, wsession, set(), by=leader, now=wsession.starts_at)
        assert keen.status is EnrolmentStatus.ENROLLED


def test_only_a_leader_or_staff_takes_attendance_and_not_days_ahead(app, world):
    with app.app_context():
        series = make_series(db.session, world)
        first = series.sessions[0]
        other = db.session.query(User).filter_by(email=world.other_volunteer_email).one()
        with pytest.raises(WorkshopError) as refused:
            record_attendance(db.session, first, set(), by=other, now=first.starts_at)
        assert refused.value.code == "not_leader"
        leader = db.session.query(User).filter_by(email=world.users["volunteer"]).one()
        with pytest.raises(WorkshopError) as refused:
            record_attendance(
                db.session, first, set(), by=leader, now=first.starts_at - timedelta(days=2)
            )
        assert refused.value.code == "too_early"
        dispatcher = db.session.query(User).filter_by(email=world.users["dispatcher"]).one()
        assert record_attendance(db.session, first, set(), by=dispatcher, now=first.starts_at) == []


def test_attendance_taken_by_two_leaders_at_once_is_kept_once_as_the_later_save_says(app, world):
    """The two leaders on their phones, or a double tap: the other save writes the rows
    just after this one found none. No error; one row per person, with this save's marks."""
    import sqlalchemy as sa

    from scheduler.models import Attendance

    with app.app_context():
        series = make_series(db.session, world, capacity=3, sessions=4, share=0.75)
        ana, _ = enrol(
            db.session, series, Person("Ana", "+18195550001"), key=KEY, now=NOW, locale="fr_CA"
        )
        db.session.commit()
        first = series.sessions[0]
        leader = db.session.query(User).filter_by(email=world.users["volunteer"]).one()
        starts_at = first.starts_at
        theirs = sa.insert(Attendance).values(
            session_id=first.id, enrolment_id=ana.id, present=False, recorded_at=NOW
        )
        with other_request_inserts(db.engine, "FROM attendance", theirs) as done:
            record_attendance(db.session, first, {ana.id}, by=leader, now=starts_at)
            db.session.commit()
        assert done
        rows = db.session.scalars(sa.select(Attendance)).all()
        assert [(row.enrolment_id, row.present) for row in rows] == [(ana.id, True)]
