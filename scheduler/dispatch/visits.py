"""One request as the planner sees it: its visit, its free times this week, its history.

A home visit or a call becomes a planning :class:`~scheduler.planning.Visit`; a drop-in
request becomes a :class:`~scheduler.dispatch.built.Visitor` to seat after solving.
Confirmed (or pinned) appointments are fixed: the plan keeps them where they are.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import HelpRequest
from ..models import Mode
from ..planning import Visit
from ..planning import VisitKind
from ..planning import Window
from ..requests.booking_options import parse_slot
from ..requests.urgency import urgency
from .built import LeftOut
from .built import Periods
from .built import SeamReason
from .built import Visitor
from .weeks import week_minute

KINDS = {Mode.HOME: VisitKind.HOME, Mode.PHONE: VisitKind.PHONE}


def visitor_for(
    request: HelpRequest,
    held_by: list[Appointment],
    in_week: list[Appointment],
    week: date,
    zone: ZoneInfo,
    now: datetime,
    today: date,
    periods: Periods,
    past: int,
) -> Visitor | LeftOut | None:
    """A drop-in request to book; None when it is booked in another week or under way."""
    this_week = [a for a in held_by if a in in_week]
    if (held_by and not this_week) or any(a.starts_at < now for a in this_week):
        return None
    created = request.created_at.date() if request.created_at else today
    score = urgency(request.priority, request.deadline, created, today).score
    booked = this_week[0] if this_week else None
    if booked is not None and is_fixed(booked):
        start = week_minute(week, booked.starts_at, zone)
        length = max(1, round((booked.ends_at - booked.starts_at).total_seconds() / 60))
        site_id = booked.site_id or request.site_id
        return Visitor(request.id, request.site_id, (), length, score, start, site_id)
    windows = free_windows(request, periods, past)
    if not windows:
        slots = sorted(request.availability) if not request.any_time else ["any"]
        return LeftOut(request.id, SeamReason.NO_TIME_THIS_WEEK, {"slots": slots})
    return Visitor(request.id, request.site_id, windows, max(1, request.duration_min), score)


def is_fixed(appointment: Appointment) -> bool:
    """Confirmed or pinned by a dispatcher: the plan keeps it where it is."""
    return appointment.pinned or appointment.status is AppointmentStatus.CONFIRMED


def minutes_of(value: time) -> int:
    return value.hour * 60 + value.minute


def request_visit(
    request: HelpRequest,
    visit_id: str,
    location: int | None,
    week: date,
    today: date,
    previous: dict[int, int],
    periods: Periods,
) -> Visit:
    languages = (
        frozenset({request.required_language})
        if request.required_language
        else frozenset(request.languages or ())
    )
    deadline = None
    if request.deadline is not None:
        # The end of the deadline day, on the week axis (negative when already past).
        deadline = (request.deadline - week).days * 1440 + 1439
    created = request.created_at.date() if request.created_at else today
    series = request.series
    series_worker = f"v{series.volunteer_id}" if series and series.volunteer_id else None
    last = previous.get(request.beneficiary_id or 0)
    return Visit(
        id=visit_id,
        request_id=str(request.id),
        kind=KINDS[request.mode],
        duration_min=max(1, request.duration_min),
        windows=(Window(0, 0),),
        location=location,
        languages=languages,
        skills=frozenset(request.required_skills or ()),
        priority=min(3, max(0, int(request.priority))),
        deadline=deadline,
        waiting_days=max(0, (today - created).days),
        series_id=f"series{series.id}" if series else None,
        series_worker_id=series_worker,
        previous_worker_id=f"v{last}" if last else None,
    )


def free_windows(request: HelpRequest, periods: Periods, past: int) -> tuple[Window, ...]:
    """The request's free times this week, on the week axis, from ``past`` on."""
    hours = {code: (start, end) for code, start, end in periods}
    if request.any_time:
        cells = [(day, code) for day in range(7) for code in hours]
    else:
        cells = [cell for cell in map(parse_slot, request.availability or ()) if cell]
    windows = set()
    for day, code in cells:
        if code not in hours:
            continue
        start = day * 1440 + minutes_of(hours[code][0])
        end = day * 1440 + minutes_of(hours[code][1])
        start = max(start, past)
        if end - start >= request.duration_min:
            windows.add(Window(start, end))
    return tuple(sorted(windows, key=lambda w: (w.start, w.end)))


def previous_volunteers(
    session: Session, requests: list[HelpRequest], before: datetime
) -> dict[int, int]:
    """Beneficiary id → the volunteer of their latest appointment before the week."""
    people = {r.beneficiary_id for r in requests if r.beneficiary_id is not None}
    if not people:
        return {}
    rows = session.execute(
        sa.select(HelpRequest.beneficiary_id, Appointment.volunteer_id)
        .join(Appointment, Appointment.request_id == HelpRequest.id)
        .where(
            HelpRequest.beneficiary_id.in_(people),
            Appointment.volunteer_id.is_not(None),
            Appointment.status.in_(
                (AppointmentStatus.DONE, AppointmentStatus.CONFIRMED, AppointmentStatus.SCHEDULED)
            ),
            Appointment.starts_at < before,
        )
        .order_by(Appointment.starts_at)
    ).all()
    return {
        beneficiary: volunteer
        for beneficiary, volunteer in rows
        if beneficiary and volunteer is not None
    }


def replace_visit(visit: Visit, **changes: object) -> Visit:
    values = {name: getattr(visit, name) for name in Visit.__dataclass_fields__}
    values.update(changes)
    return Visit(**values)  # type: ignore[arg-type]
