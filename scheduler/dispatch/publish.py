"""Publish a draft: its stops become appointments, which calendars then show.

An appointment that already holds a stop (confirmed earlier, or created by the week's
previous publication) is kept and, if its time changed, moved with
:meth:`~scheduler.models.Appointment.move`, which raises its SEQUENCE so calendar apps
replace the event instead of adding one. A stop given to another volunteer cancels the old
appointment (the first volunteer's calendar shows it cancelled) and makes a new one.
Appointments made by an earlier publication that the new plan no longer holds are
cancelled and their requests go back to "triaged". Appointments a dispatcher made or
confirmed by hand are never cancelled here, except when the plan leaves their request out
because their volunteer is away that day.

Publishing is serialised per organisation and week and happens once: two dispatchers (or
one double click) publishing at the same moment make one publication, and the second is
told who published. The plan's status is read first without a lock, so a publication
that comes after another one finished is told at once, whoever holds the write lock then.
On PostgreSQL the week's plan rows are then locked (``SELECT … FOR UPDATE``); SQLite has
one writer at a time, so the first statement is a write on those rows, which waits for
any other publication of the week to commit. The plan's status is read again under that
lock. A partial unique index (one published plan per week)
guards whatever a future path might forget.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.core import audit

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import HelpRequest
from ..models import Mode
from ..models import Organisation
from ..models import Plan as PlanRow
from ..models import PlannedVisit
from ..models import PlanStatus
from ..models import RequestEvent
from ..models import RequestStatus
from ..models import User
from .built import SeamReason
from .store import PlanNotDraft
from .weeks import week_bounds
from .weeks import week_code

ACTIVE = (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)

log = logging.getLogger(__name__)


class WeekJustPublished(PlanNotDraft):
    """Someone else published this draft a moment ago; ``by`` is their name, if known."""

    def __init__(self, by: str | None) -> None:
        super().__init__("published")
        self.by = by


@dataclass(frozen=True, slots=True)
class Published:
    """What publishing changed, for the dispatcher's message."""

    created: int
    moved: int
    unchanged: int
    cancelled: int


def publish_plan(
    session: Session, plan: PlanRow, *, now: datetime, user: User | None = None
) -> Published:
    """Make ``plan`` the week's published plan and its stops the week's appointments; commit.

    :raises WeekJustPublished: another publication of this plan won the race.
    :raises PlanNotDraft: the plan was already published, superseded or discarded.
    """
    # Read the status again first, without any lock: a publication that lost the race by
    # more than a moment learns it at once, instead of queueing for the write lock behind
    # whoever holds it (on SQLite, up to the whole busy timeout).
    session.refresh(plan)
    _refuse_unless_draft(session, plan)
    _lock_week(session, plan)
    _refuse_unless_draft(session, plan)
    organisation = session.get_one(Organisation, plan.organisation_id)
    starts, ends = week_bounds(plan.week_start, ZoneInfo(organisation.timezone))
    active = list(
        session.scalars(
            sa.select(Appointment)
            .where(
                Appointment.organisation_id == organisation.id,
                Appointment.status.in_(ACTIVE),
                Appointment.starts_at >= starts,
                Appointment.starts_at < ends,
            )
            .order_by(Appointment.id)
        )
    )
    free = {a.id: a for a in active}
    created = moved = unchanged = cancelled = 0
    for stop in plan.visits:
        appointment = _holder(stop, free)
        if appointment is not None:
            del free[appointment.id]
            if appointment.volunteer_id != stop.volunteer_id:
                appointment.cancel(now)
                cancelled += 1
                appointment = None
        if appointment is None:
            appointment = Appointment(
                organisation_id=organisation.id,
                kind=stop.kind,
                request_id=stop.request_id,
                volunteer_id=stop.volunteer_id,
                site_id=stop.site_id,
                starts_at=stop.starts_at,
                ends_at=stop.ends_at,
                status=AppointmentStatus.SCHEDULED,
                created_at=now,
                updated_at=now,
            )
            session.add(appointment)
            created += 1
        else:
            sequence = appointment.sequence
            appointment.move(stop.starts_at, stop.ends_at)
            if appointment.sequence != sequence:
                moved += 1
            else:
                unchanged += 1
        appointment.plan_id = plan.id
        if stop.kind is not Mode.PHONE and stop.volunteer_id is not None:
            appointment.travel_min_before = stop.travel_min_before
            appointment.travel_km_before = stop.travel_km_before
        session.flush()
        stop.appointment_id = appointment.id
        if stop.request_id is not None:
            _set_status(session, stop.request_id, RequestStatus.PLANNED, now, user)
    away = {u.request_id for u in plan.unassigned if u.reason == SeamReason.VOLUNTEER_ABSENT}
    for appointment in free.values():
        if appointment.request_id is not None and appointment.request_id in away:
            # Confirmed or pinned, but its volunteer is away that day and nobody else
            # could take it: the draft showed it dropped, so it must not stay in her
            # calendar and on the person's page; the request is planned again.
            appointment.cancel(now)
            cancelled += 1
            _set_status(session, appointment.request_id, RequestStatus.TRIAGED, now, user, True)
            continue
        if appointment.plan_id is None or appointment.pinned:
            continue
        if appointment.status is not AppointmentStatus.SCHEDULED:
            continue
        appointment.cancel(now)
        cancelled += 1
        if appointment.request_id is not None:
            _set_status(session, appointment.request_id, RequestStatus.TRIAGED, now, user)
    for previous in session.scalars(
        sa.select(PlanRow).where(
            PlanRow.organisation_id == organisation.id,
            PlanRow.week_start == plan.week_start,
            PlanRow.status == PlanStatus.PUBLISHED,
        )
    ):
        previous.status = PlanStatus.SUPERSEDED
    session.flush()
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = now
    audit.record(
        session,
        actor=user,
        action="plan.publish",
        target=f"plan:{plan.id}",
        detail={
            "week": week_code(plan.week_start),
            "created": created,
            "moved": moved,
            "cancelled": cancelled,
        },
        now=now,
        organisation_id=organisation.id,
    )
    try:
        session.commit()
    except IntegrityError:
        # The one-published-plan-per-week index: another publication got there first.
        session.rollback()
        raise WeekJustPublished(None) from None
    log.info(
        "published plan %d for organisation %d, week %s: %d created, %d moved, "
        "%d unchanged, %d cancelled",
        plan.id,
        organisation.id,
        week_code(plan.week_start),
        created,
        moved,
        unchanged,
        cancelled,
    )
    return Published(created, moved, unchanged, cancelled)


def _refuse_unless_draft(session: Session, plan: PlanRow) -> None:
    """Raise (after a rollback) unless ``plan``, as last read, is still a draft."""
    if plan.status is PlanStatus.DRAFT:
        return
    session.rollback()
    if plan.status is PlanStatus.PUBLISHED:
        raise WeekJustPublished(_publisher(session, plan))
    raise PlanNotDraft(plan.status.value)


def _lock_week(session: Session, plan: PlanRow) -> None:
    """Wait for any other publication of the plan's week to finish, then hold the week
    until this transaction ends, and read the plan's status again."""
    week = sa.and_(
        PlanRow.organisation_id == plan.organisation_id, PlanRow.week_start == plan.week_start
    )
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(PlanRow.id).where(week).order_by(PlanRow.id).with_for_update())
    else:
        # SQLite: a write takes the database's single write lock (as BEGIN IMMEDIATE would)
        # and waits, within the busy timeout, for the writer that holds it.
        session.execute(
            sa.update(PlanRow)
            .where(week)
            .values(status=PlanRow.status)
            .execution_options(synchronize_session=False)
        )
    session.refresh(plan)


def _publisher(session: Session, plan: PlanRow) -> str | None:
    """The name of whoever published ``plan``, from the audit trail."""
    entry = audit.last_of(session, "plan.publish", f"plan:{plan.id}")
    if entry is None:
        return None
    actor = session.get(User, entry.actor_id) if entry.actor_id is not None else None
    return actor.display_name if actor is not None else (entry.actor_label or None)


def _holder(stop: PlannedVisit, free: dict[int, Appointment]) -> Appointment | None:
    """The still-free appointment that already holds this stop, if any."""
    if stop.appointment_id is not None and stop.appointment_id in free:
        return free[stop.appointment_id]
    if stop.request_id is not None:
        return next((a for a in free.values() if a.request_id == stop.request_id), None)
    return next(
        (
            a
            for a in free.values()
            if a.request_id is None
            and a.site_id == stop.site_id
            and a.volunteer_id == stop.volunteer_id
            and a.starts_at.date() == stop.starts_at.date()
        ),
        None,
    )


def _set_status(
    session: Session,
    request_id: int,
    status: RequestStatus,
    now: datetime,
    user: User | None,
    unconfirm: bool = False,
) -> None:
    """Move a request between "triaged" and "planned" (back from "confirmed" only when
    ``unconfirm``: the confirmed appointment itself was cancelled)."""
    request = session.get(HelpRequest, request_id)
    if request is None or request.status is status:
        return
    back = (
        (RequestStatus.PLANNED, RequestStatus.CONFIRMED) if unconfirm else (RequestStatus.PLANNED,)
    )
    movable = {
        RequestStatus.PLANNED: (RequestStatus.NEW, RequestStatus.TRIAGED),
        RequestStatus.TRIAGED: back,
    }
    if request.status not in movable.get(status, ()):
        return
    session.add(
        RequestEvent(
            request=request,
            at=now,
            user_id=user.id if user is not None else None,
            kind="status",
            detail={"from": request.status.value, "to": status.value},
        )
    )
    request.status = status
    request.updated_at = now
