"""Publishing the same draft several times at once makes one publication (a double click,
two dispatchers): no appointment twice, no event twice in a volunteer's calendar.

Runs on SQLite here and on a real PostgreSQL in the database pass (marker ``db``): each
thread has its own connection and transaction, as gunicorn workers would.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.extensions import db
from scheduler.dispatch import WeekJustPublished
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.models import Appointment
from scheduler.models import AuditEntry
from scheduler.models import AvailabilityWindow
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.models import utcnow

from ..builders import make_request
from ..calendars.builders import volunteer_link
from ..calendars.parsers import read_with_ical

THREADS = 6


@pytest.fixture
def draft(app, world, settings):
    """A draft of next week with three home visits for Sylvie."""
    today = utcnow().date()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(17)))
        for _ in range(3):
            make_request(db.session, org, availability=["thu-am", "thu-pm"], duration_min=60)
        db.session.commit()
        plan = plan_week(db.session, org, monday, settings=settings, now=utcnow())
        assert len(plan.visits) >= 3
        return plan.id, len(plan.visits)


def _publish_at_once(app, plan_id, user_id):
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def publish() -> None:
        with app.app_context():
            plan = db.session.get(Plan, plan_id)
            user = db.session.get(User, user_id)
            barrier.wait(timeout=30)
            try:
                publish_plan(db.session, plan, now=utcnow(), user=user)
                outcome = "published"
            except WeekJustPublished as lost:
                outcome = f"lost to {lost.by}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=publish) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_concurrent_publications_of_one_draft_make_one(app, client, world, draft):
    plan_id, stops = draft
    with app.app_context():
        dispatcher = db.session.scalar(
            sa.select(User.id).where(User.email == world.email_for(Role.DISPATCHER))
        )
    outcomes = _publish_at_once(app, plan_id, dispatcher)
    assert len(outcomes) == THREADS
    counts = Counter(outcomes)
    assert counts["published"] == 1, counts
    # Every loser is told who won, by name.
    assert counts["lost to dispatch"] == THREADS - 1, counts
    with app.app_context():
        appointments = db.session.scalars(sa.select(Appointment)).all()
        assert len(appointments) == stops
        # No appointment twice: each visit and each drop-in duty once.
        keys = {(a.request_id, a.volunteer_id, a.site_id, a.starts_at) for a in appointments}
        assert len(keys) == stops
        sylvies = sum(1 for a in appointments if a.volunteer_id == world.volunteer_id)
        assert db.session.get(Plan, plan_id).status is PlanStatus.PUBLISHED
        published = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "plan.publish")
        ).all()
        assert len(published) == 1
        link = volunteer_link(db.session, db.session.get(Volunteer, world.volunteer_id))
        db.session.commit()
    events = read_with_ical(client.get(link).get_data())["events"]
    visits = [e for e in events if not e["uid"].startswith("travel-")]
    # One event per stop: a duplicate appointment would show a second event at the same time.
    assert len(visits) == sylvies
    assert len({e["start"] for e in visits}) == sylvies


def test_two_drafts_of_one_week_never_both_stay_published(app, world, draft, settings):
    plan_id, _ = draft
    with app.app_context():
        first = db.session.get(Plan, plan_id)
        org = db.session.get(Organisation, world.org_id)
        second = plan_week(db.session, org, first.week_start, settings=settings, now=utcnow())
        publish_plan(db.session, second, now=utcnow())
        published = db.session.scalars(
            sa.select(Plan).where(Plan.status == PlanStatus.PUBLISHED)
        ).all()
        assert [p.id for p in published] == [second.id]


def test_a_late_publication_is_told_at_once_even_while_another_writer_holds_the_lock(
    app, world, draft
):
    """The loser of a race learns who won without waiting for the write lock: on SQLite a
    writer (a worker saving another week) would otherwise keep it waiting the whole busy
    timeout and then fail with "database is locked"; on PostgreSQL it would wait for the
    row lock."""
    plan_id, _ = draft
    with app.app_context():
        stale = db.session.get(Plan, plan_id)  # this dispatcher's page, read before the race
        assert stale.status is PlanStatus.DRAFT
        winner = Session(db.engine)
        dispatcher = winner.scalar(
            sa.select(User).where(User.email == world.email_for(Role.DISPATCHER))
        )
        publish_plan(winner, winner.get(Plan, plan_id), now=utcnow(), user=dispatcher)
        winner.close()
        with db.engine.connect() as other:
            if other.dialect.name == "postgresql":
                other.execute(sa.select(Plan.id).with_for_update())
                # Without the fix this would wait for ever: bound it, so the test fails.
                db.session.execute(sa.text("SET lock_timeout = '3s'"))
            else:
                other.exec_driver_sql("BEGIN IMMEDIATE")
            with pytest.raises(WeekJustPublished) as lost:
                publish_plan(db.session, stale, now=utcnow())
            other.rollback()
        assert lost.value.by == "dispatch"
        db.session.rollback()
