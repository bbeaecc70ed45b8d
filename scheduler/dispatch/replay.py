"""A stored plan read back as the engine's :class:`~scheduler.planning.Plan`.

Re-planning starts from the published plan, the checker judges a draft edited by hand, and
the difference list compares two stored plans: all three need the rows of a stored plan as
routes on the shifts of a freshly built problem. Routes are timed here the plain way (leave
as late as the first stop allows, then drive, wait and serve in time order), which is how
the independent checker walks them; so a route that breaks no rule passes it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from ..models import Mode
from ..models import Plan as PlanRow
from ..models import PlannedVisit
from ..planning import Plan
from ..planning import Problem
from ..planning import Reason
from ..planning import Route
from ..planning import Shift
from ..planning import Stats
from ..planning import Stop
from ..planning import Unassigned
from ..planning import Visit
from ..planning import VisitKind
from .built import Built
from .weeks import week_minute


@dataclass(frozen=True, slots=True)
class Placed:
    """One routed row of a stored plan on the week axis."""

    row: PlannedVisit
    visit_id: str
    worker_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Replayed:
    """A stored plan as an engine plan, and the rows it could not put on a shift."""

    plan: Plan
    #: Planned visit id → (shift id, stop) for every row placed on a shift.
    where: dict[int, tuple[str, Stop]]
    #: Rows outside every shift of their volunteer (away that day, or moved outside
    #: their availability), or standing for nothing the problem knows.
    strays: tuple[PlannedVisit, ...]


def visit_id_of(row: PlannedVisit, openings: dict[tuple[int, int], str], minute: int) -> str:
    """The planning visit a routed row stands for (``""`` when the problem has none)."""
    if row.request_id is not None and row.kind is not Mode.DROPIN:
        return f"r{row.request_id}"
    if row.request_id is None and row.site_id is not None:
        return openings.get((row.site_id, minute), "")
    return ""


def placed_rows(
    rows: list[PlannedVisit], monday: date, zone: ZoneInfo, openings: dict[tuple[int, int], str]
) -> list[Placed]:
    """The routed rows (a volunteer goes or calls) of a stored plan, in time order."""
    out = []
    for row in sorted(rows, key=lambda r: (r.starts_at, r.volunteer_id or 0, r.id or 0)):
        if row.volunteer_id is None:
            continue
        start = week_minute(monday, row.starts_at, zone)
        end = week_minute(monday, row.ends_at, zone)
        out.append(
            Placed(row, visit_id_of(row, openings, start), f"v{row.volunteer_id}", start, end)
        )
    return out


def shift_holding(problem: Problem, worker_id: str, start: int) -> Shift | None:
    """The shift of this volunteer in which a stop starting at ``start`` lies."""
    for shift in problem.shifts:
        if shift.worker_id == worker_id and shift.start <= start < shift.end:
            return shift
    return None


def replay(built: Built, plan: PlanRow, rows: list[PlannedVisit] | None = None) -> Replayed:
    """``plan`` (or ``rows``, an edited copy of its stops) on the shifts of ``built``."""
    problem = built.problem
    visits = {v.id: v for v in problem.visits}
    openings = {(o.site_id, o.start): o.visit_id for o in built.openings}
    by_shift: dict[str, list[Stop]] = defaultdict(list)
    where: dict[int, tuple[str, Stop]] = {}
    seats: dict[str, set[int]] = defaultdict(set)
    strays: list[PlannedVisit] = []
    # A stop that already holds an appointment keeps the seat the builder gave that
    # appointment, so publishing finds it again; the others take the free seats.
    held = {appointment: key for key, appointment in built.appointments.items()}
    stored = rows if rows is not None else list(plan.visits)
    placed_on: list[tuple[Placed, Shift, Visit]] = []
    for placed in placed_rows(stored, built.week_start, built.zone, openings):
        shift = shift_holding(problem, placed.worker_id, placed.start)
        visit = visits.get(placed.visit_id)
        if shift is None or visit is None:
            strays.append(placed.row)
        else:
            placed_on.append((placed, shift, visit))
    chosen: dict[int, int] = {}
    for placed, _shift, visit in placed_on:
        key = held.get(placed.row.appointment_id or 0)
        if key is not None and key[0] == visit.id and key[1] not in seats[visit.id]:
            chosen[placed.row.id] = key[1]
            seats[visit.id].add(key[1])
    for placed, shift, visit in placed_on:
        seat = chosen.get(placed.row.id)
        if seat is None:
            seat = min(set(range(visit.seats + len(seats[visit.id]) + 1)) - seats[visit.id])
            seats[visit.id].add(seat)
        stop = Stop(visit.id, placed.start, placed.end, seat)
        by_shift[shift.id].append(stop)
        where[placed.row.id] = (shift.id, stop)
    routes = tuple(
        time_route(problem, shift, sorted(by_shift[shift.id], key=lambda s: s.start), visits)
        for shift in problem.shifts
        if by_shift.get(shift.id)
    )
    reasons = {u.request_id: u.reason for u in plan.unassigned if u.request_id is not None}
    unassigned = []
    for visit in problem.visits:
        missing = visit.seats - len(seats.get(visit.id, ()))
        if missing > 0:
            code = reasons.get(int(visit.request_id)) if visit.request_id.isdigit() else None
            reason = Reason(code) if code in {r.value for r in Reason} else Reason.CAPACITY
            unassigned.append(Unassigned(visit.id, reason, {}, missing))
    return Replayed(stored_plan(routes, tuple(unassigned), problem), where, tuple(strays))


def time_route(
    problem: Problem, shift: Shift, stops: list[Stop], visits: dict[str, Visit]
) -> Route:
    """A route serving ``stops`` in order: leave as late as the first stop allows."""
    worker = problem.worker(shift.worker_id)
    travel = problem.travel
    minutes = travel.minutes if worker.has_car else travel.walk_minutes
    kinds = [visits[s.visit_id] for s in stops]
    physical = [k for k, v in enumerate(kinds) if v.kind is not VisitKind.PHONE]
    here = shift.start_location
    depart: int | None = None
    clock = metres = road = work = 0
    for k, (stop, visit) in enumerate(zip(stops, kinds, strict=True)):
        if visit.kind is VisitKind.PHONE:
            target = here if not physical or k < physical[0] else shift.end_location
        else:
            assert visit.location is not None
            target = visit.location
        leg = minutes[here][target] if target != here else 0
        if depart is None:
            depart = stop.start - leg
            clock = depart
        free = clock
        if target != here:
            clock += leg
            metres += travel.metres[here][target]
            road += leg
            here = target
        # At its own time even when it runs into the stop before, as the checker walks it.
        clock = max(free, stop.start + visit.duration_min)
        work += visit.duration_min
    if depart is None:
        return Route(shift.id, shift.worker_id, shift.start, shift.start, (), 0, 0, 0)
    if here != shift.end_location:
        clock += minutes[here][shift.end_location]
        metres += travel.metres[here][shift.end_location]
        road += minutes[here][shift.end_location]
    return Route(shift.id, shift.worker_id, depart, clock, tuple(stops), metres, road, work + road)


def stored_plan(
    routes: tuple[Route, ...], unassigned: tuple[Unassigned, ...], problem: Problem
) -> Plan:
    """An engine plan of these routes (figures summed, no objective: nothing was solved)."""
    seats = sum(v.seats for v in problem.visits)
    filled = sum(len(r.stops) for r in routes)
    served = len({s.visit_id for r in routes for s in r.stops})
    stats = Stats(
        requested=len(problem.visits),
        served=served,
        seats_requested=seats,
        seats_filled=filled,
        metres=sum(r.metres for r in routes),
        road_min=sum(r.road_min for r in routes),
        work_min=sum(r.work_min for r in routes),
        objective=0,
        unassigned_by_reason={},
        solver="stored",
    )
    return Plan(routes, unassigned, stats)
