"""From task sequences to a :class:`Plan`: greedy repair, times, reasons and statistics.

After the search, every seat still left out that could be served alone is offered to every
eligible shift at every position. If one accepts it without breaking a rule, it is inserted
(the search ran out of time there). Otherwise the reason is CAPACITY, with the cap that
blocked it: that statement was just verified shift by shift. The repair stops at the run's
deadline (less the time the explanations need): the shifts a seat was not offered by then
are counted as ``time_limit``, not guessed.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Hashable
from collections.abc import Mapping
from collections.abc import Sequence

from scheduler.planning.costs import unserved_penalty
from scheduler.planning.draft import Draft
from scheduler.planning.draft import Insertion
from scheduler.planning.greedy import Twins
from scheduler.planning.greedy import greedy_start
from scheduler.planning.greedy import repair
from scheduler.planning.plan import Late
from scheduler.planning.plan import Plan
from scheduler.planning.plan import Reason
from scheduler.planning.plan import Route
from scheduler.planning.plan import Stats
from scheduler.planning.plan import Stop
from scheduler.planning.plan import Unassigned
from scheduler.planning.precheck import Verdict
from scheduler.planning.problem import Shift
from scheduler.planning.solver import Seat

__all__ = ["Draft", "Insertion", "RepairClock", "build_plan", "capacity_detail", "repair"]


def capacity_detail(
    draft: Draft,
    seat: Seat,
    locked: int = 0,
    until: float = math.inf,
    twins: Twins | None = None,
) -> dict[str, object]:
    """Which cap blocks a seat that every eligible shift refuses, counted over shifts
    (``locked`` eligible shifts were locked and not offered).

    After ``until`` (monotonic seconds, the run's deadline) only the answers the draft
    remembers are read; a shift it would have to check is counted as ``time_limit``. With
    ``twins``, an empty shift counts what its first identical twin answered (the repair
    offered the seat that one only).
    """
    bounds: Counter[str] = Counter()
    if locked:
        bounds["locked"] = locked
    visit = seat.task[0]
    shared = visit.seats > 1 or (visit.series_id is not None and visit.series_worker_id is None)
    by_id = draft.idx.shifts
    late = time.monotonic() >= until
    alike_of = twins.key if twins is not None and twins.apply(seat) else None
    answered: dict[Hashable, str] = {}
    for sid in seat.shifts:
        alike = alike_of(sid) if alike_of is not None else None
        if alike is not None and alike in answered:
            bounds[answered[alike]] += 1
            continue
        bound = _bound(draft, seat, by_id[sid], shared, late)
        bounds[bound] += 1
        if alike is not None and bound != "time_limit":
            answered[alike] = bound
    main = bounds.most_common(1)[0][0] if bounds else "schedule"
    shifts = len(seat.shifts) + locked
    return {"bound": main, "shifts": shifts, "bounds": dict(sorted(bounds.items()))}


def _bound(draft: Draft, seat: Seat, shift: Shift, shared: bool, late: bool) -> str:
    """What one shift answers a left-out seat (``time_limit`` when late and not known)."""
    full = None if shared else draft.fulls.get(shift.id)
    if full is not None and full[1] is not None and full[0] == draft.versions[shift.worker_id]:
        # What ``try_insert`` answers first for a volunteer with no visit left to give.
        return full[1]
    if late and not draft.known(seat.task, shift):
        return "time_limit"
    found = draft.try_insert(seat.task, shift)
    if isinstance(found, str):
        return found
    # A place exists: leaving the seat out was cheaper, or the search stopped early.
    return "cost" if found[0] >= seat.penalty else "search"


REPAIR_MARGIN = 2.0
"""The time kept for the final repair, as a multiple of its measured estimate: the load of a
shared machine may rise (halving the share of a core the repair gets), and the search's last
stage changes routes after the estimate. On the XL week, with 1.5, one run of four ended
4.3 s late while the load went from 6 to 8 on 2 cores; successive estimates of one run
varied from 14 s to 29 s (margin included) for a repair that took 15 s."""
REPAIR_SAMPLE = 64
"""One estimate of the final repair works out about this share of its checks (1/64)."""


class RepairClock:
    """How long the final repair would take now, measured on the repair's own work.

    The final repair offers every left-out seat to every candidate shift: a check the draft
    remembers (or a volunteer with no visit left to give) costs a lookup, one it must work
    out costs a timing of the route. Each estimate does the checks of a few left-out seats
    spread over the list (a different few each time, and the draft keeps their answers for
    the repair), about a ``REPAIR_SAMPLE``-th of the pairs of a seat and a candidate shift
    (offered, as the repair does, one of each group of identical empty shifts), times them
    on this machine under its present load, and scales up to every pair. The
    search asks before each stage and ends its stages that much (``REPAIR_MARGIN`` times)
    before the run's deadline.
    """

    def __init__(self, draft: Draft, seats: Sequence[Seat]) -> None:
        self.draft = draft
        self.seats = seats
        self.turn = 0
        self.twins: Twins | None = None

    def seconds(self, draft: Draft | None = None) -> float:
        """Estimated wall seconds of the final repair and explanations, margin included."""
        d = draft or self.draft
        where = d.where
        left = [s for s in self.seats if (s.task[0].id, s.task[1]) not in where]
        if not left:
            return 0.0
        pairs = sum(len(s.shifts) for s in left)
        step = min(REPAIR_SAMPLE, len(left))
        offset = self.turn % step
        self.turn += 1
        shifts = d.idx.shifts
        done = 0
        # The engine's clock (wall time; a benchmark on CPU time replaces it), so that the
        # estimate and the deadline it is taken from are in the same seconds.
        began = time.monotonic()
        if self.twins is None or self.twins.routes is not d.routes:
            self.twins = Twins(d)
        twins = self.twins
        for seat in left[offset::step]:
            # As the repair does: one of each group of identical empty shifts.
            alike_of = twins.key if twins.apply(seat) else None
            seen: set[Hashable] = set()
            for sid in seat.shifts:
                alike = alike_of(sid) if alike_of is not None else None
                if alike is not None:
                    if alike in seen:
                        continue
                    seen.add(alike)
                d.try_insert(seat.task, shifts[sid])
            done += len(seat.shifts)
        took = time.monotonic() - began
        # Asking ``try_insert`` for every pair costs about what the repair (which skips a
        # volunteer known to be full without asking) and the explanations (which ask every
        # candidate shift of one seat per visit again, mostly remembered) take together: on
        # the XL week after the greedy start, one pass over the 630,000 pairs took 0.8 s of
        # CPU, the repair and explanations 1.2 s, and this estimate said 1.3 s.
        return REPAIR_MARGIN * took * pairs / max(done, 1)


def lookup_seconds(draft: Draft, left: Sequence[Seat]) -> float:
    """Estimated wall seconds of reading the remembered answer of every pair of a left-out
    seat and a candidate shift (the explanations once the deadline has passed), margin
    included: a ``REPAIR_SAMPLE``-th of the pairs read now, scaled up."""
    if not left:
        return 0.0
    shifts = draft.idx.shifts
    done = 0
    began = time.monotonic()
    for seat in left[:: min(REPAIR_SAMPLE, len(left))]:
        for sid in seat.shifts:
            draft.known(seat.task, shifts[sid])
        done += len(seat.shifts)
    took = time.monotonic() - began
    return REPAIR_MARGIN * took * sum(len(s.shifts) for s in left) / max(done, 1)


def build_plan(
    draft: Draft,
    seats: Sequence[Seat],
    verdicts: Mapping[str, Verdict],
    pin_conflicts: Mapping[tuple[str, int], int],
    solver: str,
    fix: bool = True,
    until: float = math.inf,
) -> Plan:
    """Repair (unless ``fix`` is false), explain and total a draft into a :class:`Plan`.

    :param until: the run's deadline (monotonic seconds): the repair offers no seat after
        it, less the time the explanations need (:func:`lookup_seconds`), and they then read
        only what the draft remembers, so a run whose search left many seats out on a slow
        core still ends on time.
    """
    began, wall = time.process_time(), time.monotonic()
    problem = draft.problem
    left = [s for s in seats if (s.task[0].id, s.task[1]) not in draft.where]
    if until < math.inf:
        # After this point the explanations only read what the draft remembers: that much
        # time is kept for them, so that the plan is returned by ``until``.
        until -= lookup_seconds(draft, left)
    if fix:
        # Every seat still left out is offered to every candidate shift (nearest first), so
        # that a CAPACITY reason below states what was just verified; the seats not reached
        # by the deadline stay out, their unchecked shifts counted as ``time_limit``.
        left, _ = greedy_start(draft, left, until)
    left_by_visit: dict[str, list[Seat]] = {}
    for seat in left:
        left_by_visit.setdefault(seat.task[0].id, []).append(seat)
    seated = draft.where
    twins = Twins(draft)
    unassigned: list[Unassigned] = []
    penalties = 0
    for visit in problem.visits:
        missing = [k for k in range(visit.seats) if (visit.id, k) not in seated]
        if not missing:
            continue
        penalties += len(missing) * unserved_penalty(visit, problem.options)
        verdict = verdicts[visit.id]
        conflicts = [
            (k, pin_conflicts[(visit.id, k)]) for k in missing if (visit.id, k) in pin_conflicts
        ]
        pinned_left = [s for s in left_by_visit.get(visit.id, []) if s.pin is not None]
        if conflicts or pinned_left:
            k, start = conflicts[0] if conflicts else (pinned_left[0].task[1], pinned_left[0].pin)
            pin = visit.pins[k]
            detail: dict[str, object] = {"shift_id": pin.shift_id, "start": start}
            unassigned.append(Unassigned(visit.id, Reason.PIN_CONFLICT, detail, len(missing)))
        elif verdict.reason is not None:
            detail = dict(verdict.detail or {})
            unassigned.append(Unassigned(visit.id, verdict.reason, detail, len(missing)))
        else:
            seat = left_by_visit[visit.id][0]
            locked = len(verdict.shifts) - len(seat.shifts)
            detail = capacity_detail(draft, seat, locked, until, twins)
            unassigned.append(Unassigned(visit.id, Reason.CAPACITY, detail, len(missing)))
    stages = dict(draft.stage_cpu)
    stages["repair and explanations"] = (time.process_time() - began, time.monotonic() - wall)
    return _assemble(draft, tuple(unassigned), penalties, solver, stages)


def _assemble(
    draft: Draft,
    unassigned: tuple[Unassigned, ...],
    penalties: int,
    solver: str,
    stages: dict[str, tuple[float, float]],
) -> Plan:
    problem = draft.problem
    routes: list[Route] = []
    cost = penalties
    for shift in problem.shifts:
        tasks = draft.routes[shift.id]
        if not tasks:
            continue
        t = draft.timings[shift.id]
        cost += draft.route_cost(shift, tasks, t)
        stops = tuple(
            Stop(v.id, start, start + v.duration_min, seat)
            for (v, seat), start in zip(tasks, t.starts, strict=True)
        )
        routes.append(
            Route(
                shift.id, shift.worker_id, t.depart, t.back, stops, t.metres, t.road_min, t.work_min
            )
        )
    late = tuple(
        Late(stop.visit_id, stop.seat, deadline, stop.start, stop.end)
        for route in routes
        for stop in route.stops
        if (deadline := draft.idx.visits[stop.visit_id].deadline) is not None
        and stop.end > deadline
    )
    missing_seats = sum(u.seats_missing for u in unassigned)
    seats_requested = sum(v.seats for v in problem.visits)
    by_reason = Counter(u.reason.value for u in unassigned)
    stats = Stats(
        requested=len(problem.visits),
        served=len(problem.visits) - len(unassigned),
        seats_requested=seats_requested,
        seats_filled=seats_requested - missing_seats,
        metres=sum(r.metres for r in routes),
        road_min=sum(r.road_min for r in routes),
        work_min=sum(r.work_min for r in routes),
        objective=cost,
        unassigned_by_reason=dict(sorted(by_reason.items())),
        solver=solver,
        stage_cpu={name: cpu for name, (cpu, _) in stages.items()},
        stage_wall={name: wall for name, (_, wall) in stages.items()},
    )
    return Plan(tuple(routes), unassigned, stats, late)
