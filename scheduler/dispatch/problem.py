"""From the database to a planning :class:`~scheduler.planning.Problem`, and back to ids.

What goes in, for one organisation and one week (local Monday to Sunday):

- every open home-visit or phone request (new, triaged, or planned / confirmed for this
  week), with the windows of its availability grid (or the whole grid when "any time"),
  its duration, priority, deadline, time waited, languages (the one required at triage,
  else any the person speaks), skills and cycle;
- every active volunteer's availability windows as shifts, except on days of absence and
  times already past, with their limits, languages, skills, car and home (or start site);
- every drop-in opening of an active site, as a slot to staff with N volunteers;
- confirmed (or pinned) appointments of the week as pins: they stay on their volunteer and
  time. Appointments created by an earlier publication of this week may move; the planner
  is told where they were, so it keeps them there unless it gains by moving them.
- an appointment the dispatcher placed by hand outside its volunteer's time slots (the
  recorded edit says so) fits no shift made of those slots; like a confirmed one it gets a
  shift around it, and its time is one of the visit's windows, so keeping the published
  plan keeps it (unless the volunteer is away that day: then it is planned again). A
  drop-in duty placed so keeps its seat the same way.

Requests the planner cannot even be asked about (no slot of their grid left this week, a
confirmed appointment on a day its volunteer is away) come back in :attr:`Built.left_out`
with a reason code of the service's own (see :class:`SeamReason`).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime

from sqlalchemy.orm import Session

from ..models import Appointment
from ..models import Mode
from ..models import Organisation
from ..models import utcnow
from ..planning import Pin
from ..planning import Problem
from ..planning import Visit
from ..planning import VisitKind
from ..planning import Window
from ..planning.travel import build_travel_matrix
from ..planning.travel import travel_model
from ..requests.booking_options import BookingOptions
from .built import Built
from .built import LeftOut
from .built import Opening
from .built import Periods
from .built import SeamReason
from .built import Source
from .built import Visitor
from .hand_placed import around_hand_placed
from .hand_placed import duty_shift
from .hand_placed import kept_where_placed
from .hand_placed import placed_outside_by_hand
from .places import Places
from .places import fallback_place
from .places import fetch_json
from .places import home_place
from .places import request_point
from .places import worker_for
from .settings import PlanningSettings
from .shifts import ShiftBook
from .visits import free_windows
from .visits import is_fixed
from .visits import minutes_of
from .visits import previous_volunteers
from .visits import replace_visit
from .visits import request_visit
from .visits import visitor_for
from .week_rows import WeekRows
from .week_rows import load_week
from .weeks import week_bounds
from .weeks import week_minute

#: Priority (0 low … 3 urgent) of staffing a drop-in opening.
DROP_IN_PRIORITY = 2


@dataclass
class _Parts:
    """What the builder gathers before it freezes the problem."""

    visits: list[Visit] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    held: dict[tuple[str, int], int] = field(default_factory=dict)
    pinned: set[tuple[str, int]] = field(default_factory=set)
    left_out: list[LeftOut] = field(default_factory=list)
    visitors: list[Visitor] = field(default_factory=list)
    openings: list[Opening] = field(default_factory=list)
    reassigned: dict[str, int] = field(default_factory=dict)


def build_problem(
    session: Session,
    organisation: Organisation,
    week: date,
    *,
    settings: PlanningSettings | None = None,
    periods: Periods | None = None,
    now: datetime | None = None,
) -> Built:
    """The planning problem of ``organisation`` for the week starting on Monday ``week``.

    :param periods: the hours of the availability grid's periods (``[BOOKING] periods``).
    :param now: times before this instant are not planned (the week may have begun).
    """
    settings = settings or PlanningSettings()
    periods = periods or BookingOptions().periods
    rows = load_week(session, organisation, week, now or utcnow())

    # Places first: the travel matrix is needed to widen shifts around confirmed visits.
    places = Places()
    homes: dict[int, int | None] = {v.id: home_place(places, v) for v in rows.volunteers}
    site_places = {s.id: places.add(f"s{s.id}", s.lat, s.lon) for s in rows.sites}
    request_places = {
        r.id: places.add(f"r{r.id}", *request_point(r))
        for r in rows.requests
        if r.mode is Mode.HOME
    }
    fallback = places.add("org", *fallback_place(organisation))
    matrix = build_travel_matrix(
        places.locations, travel_model(settings.travel, fetch_json), settings.travel
    )

    workers = [
        worker_for(v, h if (h := homes[v.id]) is not None else fallback) for v in rows.volunteers
    ]
    book = ShiftBook(week, rows.past, matrix, {w.id: w for w in workers}, settings.options.lead_min)
    for volunteer, worker in zip(rows.volunteers, workers, strict=True):
        book.add_availability(volunteer, worker, phone_only=homes[volunteer.id] is None)

    parts = _Parts()
    by_hand = placed_outside_by_hand(session, organisation.id, week)
    _add_requests(session, rows, parts, book, request_places, periods, by_hand)
    _add_openings(rows, parts, book, site_places, by_hand)

    problem = Problem(
        locations=tuple(places.locations),
        travel=matrix,
        workers=tuple(workers),
        shifts=book.shifts(),
        visits=tuple(parts.visits),
        options=settings.options,
    )
    volunteer_ids = {w.id: int(w.id[1:]) for w in workers}
    volunteer_ids.update({s.id: int(s.worker_id[1:]) for s in problem.shifts})
    return Built(
        problem=problem,
        organisation_id=organisation.id,
        week_start=week,
        timezone=organisation.timezone,
        sources=parts.sources,
        volunteers=volunteer_ids,
        appointments=parts.held,
        left_out=tuple(parts.left_out),
        pinned=frozenset(parts.pinned),
        openings=tuple(parts.openings),
        visitors=tuple(parts.visitors),
        reassigned=dict(parts.reassigned),
    )


def _or(place: int | None, fallback: int) -> int:
    return place if place is not None else fallback


def _add_requests(
    session: Session,
    rows: WeekRows,
    parts: _Parts,
    book: ShiftBook,
    request_places: dict[int, int],
    periods: Periods,
    by_hand: set[tuple[int | None, int | None, datetime]],
) -> None:
    """Each open request: a visit to place, a pinned visit, a drop-in visitor, or left out."""
    week, zone, now, past = rows.monday, rows.zone, rows.now, rows.past
    in_week = rows.in_week
    by_request: dict[int, list[Appointment]] = {}
    for coming in rows.appointments:
        if coming.request_id is not None:
            by_request.setdefault(coming.request_id, []).append(coming)
    starts, _ends = week_bounds(week, zone)
    previous = previous_volunteers(session, list(rows.requests), starts)
    today = now.astimezone(zone).date()
    active = {v.id for v in rows.volunteers}

    for request in rows.requests:
        held_by = by_request.get(request.id, [])
        if request.mode is Mode.DROPIN:
            visitor = visitor_for(request, held_by, in_week, week, zone, now, today, periods, past)
            if isinstance(visitor, LeftOut):
                parts.left_out.append(visitor)
            elif visitor is not None:
                parts.visitors.append(visitor)
                booked = [a for a in held_by if a in in_week]
                if booked:
                    parts.held[(f"d{request.id}", 0)] = booked[0].id
            continue
        this_week = [a for a in held_by if a in in_week and a.volunteer_id in active]
        if held_by and not this_week:
            continue  # planned or confirmed in another week
        if any(a.starts_at < now for a in this_week):
            continue  # under way: nothing left to plan
        visit_id = f"r{request.id}"
        location = request_places.get(request.id)
        base = request_visit(request, visit_id, location, week, today, previous, periods)
        appointment = this_week[0] if this_week else None
        if appointment is not None and is_fixed(appointment):
            start = week_minute(week, appointment.starts_at, zone)
            length = max(
                1, round((appointment.ends_at - appointment.starts_at).total_seconds() / 60)
            )
            shift_id = book.shift_for_pin(f"v{appointment.volunteer_id}", start, length, location)
            if shift_id is None and appointment.volunteer_id is not None:
                # Its volunteer is away that day: the person keeps the time they agreed
                # to, with whoever else can come then (when nobody can, the reason left
                # out stays "the volunteer is away").
                base = replace_visit(
                    base, duration_min=length, windows=(Window(start, start + length),)
                )
                parts.reassigned[visit_id] = appointment.volunteer_id
                parts.held[(visit_id, 0)] = appointment.id
                parts.visits.append(base)
                parts.sources[visit_id] = Source(request.mode, request_id=request.id)
                continue
            if shift_id is None:
                absent: dict[str, object] = {"volunteer_id": appointment.volunteer_id}
                parts.left_out.append(LeftOut(request.id, SeamReason.VOLUNTEER_ABSENT, absent))
                continue
            base = replace_visit(
                base,
                duration_min=length,
                windows=(Window(start, start + length),),
                pins=(Pin(shift_id, start),),
                # Someone agreed to this appointment: it is kept even if the volunteer
                # does not match the rules a new placement would have to follow.
                languages=frozenset(),
                skills=frozenset(),
                series_worker_id=None,
            )
            parts.pinned.add((visit_id, 0))
        else:
            windows = free_windows(request, periods, past)
            planned_shift = None
            if appointment is not None and (
                (request.id, appointment.volunteer_id, appointment.starts_at) in by_hand
            ):
                planned_shift, windows = around_hand_placed(
                    book, appointment, base, windows, week, zone
                )
                if planned_shift is not None:
                    base = kept_where_placed(base, planned_shift, appointment, week, zone)
            if not windows:
                slots = sorted(request.availability) if not request.any_time else ["any"]
                reason = SeamReason.NO_TIME_THIS_WEEK
                parts.left_out.append(LeftOut(request.id, reason, {"slots": slots}))
                continue
            if appointment is not None and planned_shift is None:
                start = week_minute(week, appointment.starts_at, zone)
                worker_id = f"v{appointment.volunteer_id}"
                planned_shift = book.reach_published(worker_id, start, location)
            base = replace_visit(base, windows=windows, planned_shift_id=planned_shift)
        if appointment is not None:
            parts.held[(visit_id, 0)] = appointment.id
        parts.visits.append(base)
        parts.sources[visit_id] = Source(request.mode, request_id=request.id)


def _add_openings(
    rows: WeekRows,
    parts: _Parts,
    book: ShiftBook,
    site_places: dict[int, int],
    by_hand: set[tuple[int | None, int | None, datetime]],
) -> None:
    """Each drop-in opening of the week still to come: a visit staffed by N volunteers."""
    week, zone, now = rows.monday, rows.zone, rows.now
    active = {v.id for v in rows.volunteers}
    duties = [a for a in rows.in_week if a.request_id is None and a.site_id is not None]
    for site in rows.sites:
        for opening in site.openings:
            start = opening.weekday * 1440 + minutes_of(opening.starts)
            end = opening.weekday * 1440 + minutes_of(opening.ends)
            if start < rows.past:
                continue
            visit_id = f"o{opening.id}"
            pins: list[Pin] = []
            taken: set[str] = set()
            # Fixed duties first: pin k holds seat k. Then those placed by hand, which
            # their lock pins next. Every duty kept holds its own seat, so publishing
            # finds each volunteer's appointment again.
            for duty in sorted(duties, key=lambda d: _seat_order(d, by_hand)):
                if duty.site_id != site.id or duty.volunteer_id not in active:
                    continue
                if duty.starts_at < now:
                    continue
                if week_minute(week, duty.starts_at, zone) != start:
                    continue
                if len(taken) >= opening.volunteers_needed:
                    break
                place = site_places[site.id]
                shift_id = duty_shift(book, duty, start, end - start, place, by_hand)
                if shift_id is None or shift_id in taken:
                    continue
                key = (visit_id, len(taken))
                taken.add(shift_id)
                if is_fixed(duty):
                    pins.append(Pin(shift_id, start))
                    parts.pinned.add(key)
                parts.held[key] = duty.id
            parts.visits.append(
                Visit(
                    id=visit_id,
                    request_id=visit_id,
                    kind=VisitKind.DROP_IN,
                    duration_min=end - start,
                    windows=(Window(start, end),),
                    location=site_places[site.id],
                    staff_needed=max(1, opening.volunteers_needed),
                    # An unstaffed drop-in turns several visitors away: rank it high.
                    priority=DROP_IN_PRIORITY,
                    pins=tuple(pins),
                )
            )
            parts.sources[visit_id] = Source(Mode.DROPIN, site_id=site.id, opening_id=opening.id)
            per_hour = opening.visitors_per_hour or site.workstations or opening.volunteers_needed
            parts.openings.append(Opening(visit_id, site.id, start, end, max(1, per_hour)))


def _seat_order(duty: Appointment, by_hand: set[tuple[int | None, int | None, datetime]]) -> int:
    if is_fixed(duty):
        return 0
    return 1 if (None, duty.volunteer_id, duty.starts_at) in by_hand else 2
