"""The timed jobs that drive messages, called directly with a fixed ``now``."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.jobs import JOBS
from scheduler.jobs import digest
from scheduler.jobs import reminders
from scheduler.jobs import weekly_draft
from scheduler.models import Absence
from scheduler.models import HelpRequest
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import TimedRun
from scheduler.models import Volunteer
from scheduler.runtime import settings_of

from .builders import booked

# Tuesday 1 December 2026, 17:30 in Drummondville (UTC-5): past the reminder hour (17).
EVENING = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)


def kinds(session, kind):
    return session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def test_the_reminder_job_sends_one_reminder_per_appointment_even_when_run_twice(app, world):
    with app.app_context():
        session = db.session()
        tomorrow = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
        first = booked(session, world, starts=tomorrow, now=EVENING - timedelta(days=3))
        second = booked(
            session,
            world,
            starts=tomorrow + timedelta(hours=3),
            now=EVENING - timedelta(days=3),
            first_name="Omar",
            phone="+18195550177",
        )
        # The day after tomorrow: not yet.
        booked(session, world, starts=tomorrow + timedelta(days=1), now=EVENING)
        settings = settings_of(app)

        # Before the reminder hour, nothing.
        assert reminders(session, EVENING - timedelta(hours=1), settings) == 0
        assert reminders(session, EVENING, settings) == 2
        assert reminders(session, EVENING, settings) == 0
        # A restart later that evening runs it again: still one each.
        assert reminders(session, EVENING + timedelta(minutes=45), settings) == 0
        sent = kinds(session, MessageKind.REMINDER)
        assert sorted(m.appointment_id for m in sent) == sorted([first.id, second.id])
        assert all(m.body.startswith("Bonjour ") for m in sent)
        assert "demain" in sent[0].body


def test_the_digest_goes_once_a_day_to_each_dispatcher(app, world):
    morning = datetime(2026, 12, 2, 12, 30, tzinfo=UTC)  # 7:30 in Drummondville
    with app.app_context():
        session = db.session()
        booked(
            session,
            world,
            starts=morning + timedelta(days=1),
            now=morning,
            created_at=morning - timedelta(hours=5),
        )
        volunteer = session.get(Volunteer, world.volunteer_id)
        volunteer.absences.append(Absence(first_day=date(2026, 12, 3), last_day=date(2026, 12, 3)))
        session.commit()
        settings = settings_of(app)
        assert digest(session, morning - timedelta(hours=1), settings) == 0
        assert digest(session, morning, settings) == 2  # the dispatcher and the administrator
        assert digest(session, morning + timedelta(hours=3), settings) == 0
        (to_dispatcher,) = [
            m for m in kinds(session, MessageKind.DIGEST) if m.address == "dispatch@example.org"
        ]
        assert "Nouvelles demandes : 1" in to_dispatcher.body
        assert "Absences sur des rendez-vous publiés : 1" in to_dispatcher.body
        assert "Sylvie" in to_dispatcher.body
        reference = session.scalars(sa.select(HelpRequest.reference)).one()
        assert f"{reference} (visite)" in to_dispatcher.body
        assert "(home)" not in to_dispatcher.body
        # The next day, a new one.
        assert digest(session, morning + timedelta(days=1), settings) == 2


def test_the_digest_lists_appointments_their_volunteers_week_no_longer_holds(app, world):
    """The volunteer's week is Tuesday 9 h to 12 h: a Wednesday appointment (slots removed
    after it was made, or placed by hand) needs someone else, with or without a plan."""
    morning = datetime(2026, 12, 7, 12, 30, tzinfo=UTC)  # Monday, 7:30 in Drummondville
    earlier = morning - timedelta(days=3)
    with app.app_context():
        session = db.session()
        booked(session, world, starts=datetime(2026, 12, 8, 15, 0, tzinfo=UTC), now=earlier)
        booked(
            session,
            world,
            starts=datetime(2026, 12, 9, 15, 0, tzinfo=UTC),
            now=earlier,
            first_name="Omar",
            phone="+18195550177",
        )
        assert digest(session, morning, settings_of(app)) == 2
        (to_dispatcher,) = [
            m for m in kinds(session, MessageKind.DIGEST) if m.address == "dispatch@example.org"
        ]
        assert "Rendez-vous hors des plages de leur bénévole : 1" in to_dispatcher.body
        assert "9 décembre" in to_dispatcher.body
        assert "8 décembre" not in to_dispatcher.body


def test_next_weeks_draft_is_made_once_on_the_set_day_and_never_published(make_app, world_factory):
    app = make_app(PLANNING={"time_limit_s": 2.0})
    world = world_factory(app)
    wednesday = datetime(2026, 12, 2, 20, 0, tzinfo=UTC)
    thursday_afternoon = datetime(2026, 12, 3, 19, 30, tzinfo=UTC)  # 14:30 local
    with app.app_context():
        session = db.session()
        booked(session, world, starts=wednesday + timedelta(days=7), now=wednesday)
        settings = settings_of(app)
        assert weekly_draft(session, wednesday, settings) == 0
        assert weekly_draft(session, thursday_afternoon, settings) == 1
        # The jobs process restarts and runs again: no second draft.
        assert weekly_draft(session, thursday_afternoon + timedelta(hours=1), settings) == 0
        # It was down all Thursday evening: Friday's first run would have caught up.
        plans = session.scalars(sa.select(Plan)).all()
        assert [(p.week_start, p.status) for p in plans] == [(date(2026, 12, 7), PlanStatus.DRAFT)]
        assert session.scalar(sa.select(sa.func.count(TimedRun.id))) == 1


def test_a_missed_draft_moment_is_caught_up_the_next_day(make_app, world_factory):
    app = make_app(PLANNING={"time_limit_s": 2.0})
    world_factory(app)
    friday = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
    with app.app_context():
        assert weekly_draft(db.session(), friday, settings_of(app)) == 1
        (plan,) = db.session.scalars(sa.select(Plan)).all()
        assert plan.week_start == date(2026, 12, 7) and plan.status is PlanStatus.DRAFT


def test_every_message_job_is_in_the_jobs_list():
    ids = {spec.id for spec in JOBS}
    assert {"send_messages", "message_news", "reminders", "digest", "weekly_draft"} <= ids
