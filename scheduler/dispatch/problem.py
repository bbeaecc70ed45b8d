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

Requests the planner cannot even be asked about (no slot of their grid left this week, a
confirmed appointment on a day its volunteer is away) come back in :attr:`Built.left_out`
with a reason code of the service's own (see :class:`SeamReason`).
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from scheduler.requests.booking_options import BookingOptions
from scheduler.requests.booking_options import parse_slot
from scheduler.requests.urgency import urgency

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import HelpRequest
from ..models import Mode
from ..models import Organisation
from ..models import RequestStatus
from ..models import Site
from ..models import Volunteer
from ..models import utcnow
from ..planning import Location
from ..planning import Pin
from ..planning import Problem
from ..planning import Visit
from ..planning import VisitKind
from ..planning import Window
from ..planning import Worker
from ..planning.travel import build_travel_matrix
from ..planning.travel import travel_model
from .dropin import Opening
from .dropin import Visitor
from .settings import PlanningSettings
from .shifts import ShiftBook
from .weeks import week_bounds
from .weeks import week_minute

Periods = tuple[tuple[str, time, time], ...]
ACTIVE = (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)
#: Priority (0 low … 3 urgent) of staffing a drop-in opening.
DROP_IN_PRIORITY = 2
KINDS = {Mode.HOME: VisitKind.HOME, Mode.PHONE: VisitKind.PHONE}


class SeamReason:
    """Reasons found before solving, beside the engine's :class:`~scheduler.planning.Reason`."""

    NO_TIME_THIS_WEEK = "no_time_this_week"
    """None of the person's free times is left in this week. ``slots`` (their grid codes)."""
    VOLUNTEER_ABSENT = "volunteer_absent"
    """A confirmed appointment falls on a day its volunteer is away. ``volunteer_id``."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a planning visit comes from: a request, or a site's drop-in opening."""

    mode: Mode
    request_id: int | None = None
    site_id: int | None = None
    opening_id: int | None = None


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A request (or a duty) kept out of the problem, with a :class:`SeamReason` code."""

    request_id: int | None
    reason: str
    detail: dict[str, object]


@dataclass(frozen=True)
class Built:
    """A problem and the way back from its string ids to database rows."""

    problem: Problem
    organisation_id: int
    week_start: date
    timezone: str
    #: Visit id → what it stands for.
    sources: dict[str, Source]
    #: Worker id and shift id → volunteer id.
    volunteers: dict[str, int]
    #: (visit id, seat) → the appointment that already holds that seat (pinned or movable).
    appointments: dict[tuple[str, int], int]
    left_out: tuple[LeftOut, ...] = ()
    #: Pinned seats: (visit id, seat).
    pinned: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    #: Drop-in sessions of the week, and the people who asked to come to one.
    openings: tuple[Opening, ...] = ()
    visitors: tuple[Visitor, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def request_count(self) -> int:
        """Requests of the week: those in the problem and those left out before solving."""
        in_problem = {s.request_id for s in self.sources.values() if s.request_id is not None}
        visitors = {v.request_id for v in self.visitors}
        return len(in_problem | visitors | {x.request_id for x in self.left_out if x.request_id})


class _Places:
    """Locations of the problem, one per distinct point."""

    def __init__(self) -> None:
        self.locations: list[Location] = []
        self._index: dict[tuple[float, float], int] = {}

    def add(self, name: str, lat: float, lon: float) -> int:
        key = (round(lat, 6), round(lon, 6))
        if key not in self._index:
            self._index[key] = len(self.locations)
            self.locations.append(Location(name, lat, lon))
        return self._index[key]


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
    now = now or utcnow()
    zone = ZoneInfo(organisation.timezone)
    starts, ends = week_bounds(week, zone)
    past = max(0, min(7 * 1440, week_minute(week, now, zone))) if now > starts else 0
    places = _Places()
    fallback = _fallback_place(organisation)

    volunteers = session.scalars(
        sa.select(Volunteer)
        .where(Volunteer.organisation_id == organisation.id, Volunteer.active.is_(True))
        .options(selectinload(Volunteer.availability), selectinload(Volunteer.absences))
        .order_by(Volunteer.id)
    ).all()
    sites = session.scalars(
        sa.select(Site)
        .where(Site.organisation_id == organisation.id, Site.active.is_(True))
        .options(selectinload(Site.openings))
        .order_by(Site.id)
    ).all()
    requests = session.scalars(
        sa.select(HelpRequest)
        .where(
            HelpRequest.organisation_id == organisation.id,
            HelpRequest.status.in_(
                (
                    RequestStatus.NEW,
                    RequestStatus.TRIAGED,
                    RequestStatus.PLANNED,
                    RequestStatus.CONFIRMED,
                )
            ),
            HelpRequest.merged_into_id.is_(None),
        )
        .options(selectinload(HelpRequest.municipality), selectinload(HelpRequest.series))
        .order_by(HelpRequest.id)
    ).all()
    appointments = session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.organisation_id == organisation.id,
            Appointment.status.in_(ACTIVE),
            Appointment.ends_at > now,
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()

    # Places first: the travel matrix is needed to widen shifts around confirmed visits.
    homes: dict[int, int | None] = {v.id: _home(places, v) for v in volunteers}
    site_places = {s.id: places.add(f"s{s.id}", s.lat, s.lon) for s in sites}
    request_places = {
        r.id: places.add(f"r{r.id}", *_where(r)) for r in requests if r.mode is Mode.HOME
    }
    fallback_place = places.add("org", *fallback)
    matrix = build_travel_matrix(
        places.locations, travel_model(settings.travel, _fetch), settings.travel
    )

    workers = [
        _worker(v, homes[v.id] if homes[v.id] is not None else fallback_place) for v in volunteers
    ]
    book = ShiftBook(week, past, matrix, {w.id: w for w in workers})
    for volunteer, worker in zip(volunteers, workers, strict=True):
        book.add_availability(volunteer, worker, phone_only=homes[volunteer.id] is None)

    in_week = [a for a in appointments if starts <= a.starts_at < ends]
    by_request: dict[int, list[Appointment]] = {}
    for appointment in appointments:
        if appointment.request_id is not None:
            by_request.setdefault(appointment.request_id, []).append(appointment)

    visits: list[Visit] = []
    sources: dict[str, Source] = {}
    held: dict[tuple[str, int], int] = {}
    pinned: set[tuple[str, int]] = set()
    left_out: list[LeftOut] = []
    previous = _previous_volunteers(session, requests, starts)
    today = now.astimezone(zone).date()
    volunteer_by_id = {v.id: v for v in volunteers}

    visitors: list[Visitor] = []
    for request in requests:
        held_by = by_request.get(request.id, [])
        if request.mode is Mode.DROPIN:
            visitor = _visitor(request, held_by, in_week, week, zone, now, today, periods, past)
            if isinstance(visitor, LeftOut):
                left_out.append(visitor)
            elif visitor is not None:
                visitors.append(visitor)
                booked = [a for a in held_by if a in in_week]
                if booked:
                    held[(f"d{request.id}", 0)] = booked[0].id
            continue
        this_week = [a for a in held_by if a in in_week and a.volunteer_id in volunteer_by_id]
        if held_by and not this_week:
            continue  # planned or confirmed in another week
        if any(a.starts_at < now for a in this_week):
            continue  # under way: nothing left to plan
        visit_id = f"r{request.id}"
        location = request_places.get(request.id)
        base = _request_visit(request, visit_id, location, week, today, previous, periods)
        appointment = this_week[0] if this_week else None
        if appointment is not None and _is_fixed(appointment):
            worker_id = f"v{appointment.volunteer_id}"
            start = week_minute(week, appointment.starts_at, zone)
            length = max(
                1, round((appointment.ends_at - appointment.starts_at).total_seconds() / 60)
            )
            shift_id = book.shift_for_pin(worker_id, start, length, location)
            if shift_id is None:
                volunteer_id = appointment.volunteer_id
                left_out.append(
                    LeftOut(request.id, SeamReason.VOLUNTEER_ABSENT, {"volunteer_id": volunteer_id})
                )
                continue
            base = _replace(
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
            pinned.add((visit_id, 0))
        else:
            windows = _windows(request, periods, past)
            if not windows:
                slots = sorted(request.availability) if not request.any_time else ["any"]
                left_out.append(LeftOut(request.id, SeamReason.NO_TIME_THIS_WEEK, {"slots": slots}))
                continue
            planned_shift = None
            if appointment is not None:
                start = week_minute(week, appointment.starts_at, zone)
                planned_shift = book.shift_at(f"v{appointment.volunteer_id}", start)
            base = _replace(base, windows=windows, planned_shift_id=planned_shift)
        if appointment is not None:
            held[(visit_id, 0)] = appointment.id
        visits.append(base)
        sources[visit_id] = Source(request.mode, request_id=request.id)

    duties = [a for a in in_week if a.request_id is None and a.site_id is not None]
    openings: list[Opening] = []
    for site in sites:
        for opening in site.openings:
            start = opening.weekday * 1440 + _minutes(opening.starts)
            end = opening.weekday * 1440 + _minutes(opening.ends)
            if start < past:
                continue
            visit_id = f"o{opening.id}"
            pins: list[Pin] = []
            for duty in duties:
                if duty.site_id != site.id or duty.volunteer_id not in volunteer_by_id:
                    continue
                if duty.starts_at < now:
                    continue
                if week_minute(week, duty.starts_at, zone) != start:
                    continue
                if len(pins) >= opening.volunteers_needed:
                    break
                worker_id = f"v{duty.volunteer_id}"
                shift_id = book.shift_for_pin(worker_id, start, end - start, site_places[site.id])
                if shift_id is None or any(p.shift_id == shift_id for p in pins):
                    continue
                key = (visit_id, len(pins))
                if _is_fixed(duty):
                    pins.append(Pin(shift_id, start))
                    pinned.add(key)
                held[key] = duty.id
            visits.append(
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
            sources[visit_id] = Source(Mode.DROPIN, site_id=site.id, opening_id=opening.id)
            per_hour = opening.visitors_per_hour or site.workstations or opening.volunteers_needed
            openings.append(Opening(visit_id, site.id, start, end, max(1, per_hour)))

    problem = Problem(
        locations=tuple(places.locations),
        travel=matrix,
        workers=tuple(workers),
        shifts=book.shifts(),
        visits=tuple(visits),
        options=settings.options,
    )
    volunteer_ids = {w.id: int(w.id[1:]) for w in workers}
    volunteer_ids.update({s.id: int(s.worker_id[1:]) for s in problem.shifts})
    return Built(
        problem=problem,
        organisation_id=organisation.id,
        week_start=week,
        timezone=organisation.timezone,
        sources=sources,
        volunteers=volunteer_ids,
        appointments=held,
        left_out=tuple(left_out),
        pinned=frozenset(pinned),
        openings=tuple(openings),
        visitors=tuple(visitors),
    )


def _visitor(
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
    if booked is not None and _is_fixed(booked):
        start = week_minute(week, booked.starts_at, zone)
        length = max(1, round((booked.ends_at - booked.starts_at).total_seconds() / 60))
        site_id = booked.site_id or request.site_id
        return Visitor(request.id, request.site_id, (), length, score, start, site_id)
    windows = _windows(request, periods, past)
    if not windows:
        slots = sorted(request.availability) if not request.any_time else ["any"]
        return LeftOut(request.id, SeamReason.NO_TIME_THIS_WEEK, {"slots": slots})
    return Visitor(request.id, request.site_id, windows, max(1, request.duration_min), score)


def _is_fixed(appointment: Appointment) -> bool:
    """Confirmed or pinned by a dispatcher: the plan keeps it where it is."""
    return appointment.pinned or appointment.status is AppointmentStatus.CONFIRMED


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _fallback_place(organisation: Organisation) -> tuple[float, float]:
    """Where a volunteer with no known home is put (they only take calls): the first site,
    else the first municipality's centre."""
    for site in organisation.sites:
        return site.lat, site.lon
    for town in organisation.municipalities:
        return town.lat, town.lon
    return 0.0, 0.0


def _home(places: _Places, volunteer: Volunteer) -> int | None:
    """Where the volunteer's days start: their site, their home, or their town's centre."""
    if volunteer.starts_from_site is not None:
        site = volunteer.starts_from_site
        return places.add(f"s{site.id}", site.lat, site.lon)
    if volunteer.home_lat is not None and volunteer.home_lon is not None:
        return places.add(f"v{volunteer.id}", volunteer.home_lat, volunteer.home_lon)
    if volunteer.home_municipality is not None:
        town = volunteer.home_municipality
        return places.add(f"m{town.id}", town.lat, town.lon)
    return None


def _where(request: HelpRequest) -> tuple[float, float]:
    """The geocoded place, else the municipality's centre."""
    if request.lat is not None and request.lon is not None:
        return request.lat, request.lon
    return request.municipality.lat, request.municipality.lon


def _worker(volunteer: Volunteer, home: int) -> Worker:
    return Worker(
        id=f"v{volunteer.id}",
        home=home,
        languages=frozenset(volunteer.languages or ()),
        skills=frozenset(volunteer.skills or ()),
        has_car=volunteer.has_car,
        walking_limit_km=volunteer.walking_km,
        max_visits_per_week=volunteer.max_visits_per_week,
        max_work_min_per_week=volunteer.max_work_min_per_week,
        max_km_per_day=(
            float(volunteer.max_km_per_day) if volunteer.max_km_per_day is not None else None
        ),
        max_road_min_per_day=volunteer.max_road_min_per_day,
        max_visits_per_day=volunteer.max_visits_per_day,
    )


def _request_visit(
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


def _windows(request: HelpRequest, periods: Periods, past: int) -> tuple[Window, ...]:
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
        start = day * 1440 + _minutes(hours[code][0])
        end = day * 1440 + _minutes(hours[code][1])
        start = max(start, past)
        if end - start >= request.duration_min:
            windows.add(Window(start, end))
    return tuple(sorted(windows, key=lambda w: (w.start, w.end)))


def _previous_volunteers(
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
    return {beneficiary: volunteer for beneficiary, volunteer in rows if beneficiary}


def _replace(visit: Visit, **changes: object) -> Visit:
    values = {name: getattr(visit, name) for name in Visit.__dataclass_fields__}
    values.update(changes)
    return Visit(**values)  # type: ignore[arg-type]


def _fetch(url: str) -> bytes:
    """HTTP GET for the OSRM travel model (only used when ``[TRAVEL] model = "osrm"``)."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (configured URL)
        body: bytes = response.read()
    json.loads(body)  # fail here, with the URL in the traceback, on a non-JSON answer
    return body
