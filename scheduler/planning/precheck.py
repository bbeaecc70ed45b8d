"""Which shifts could take each visit on its own, and why none can when none can.

Constraint families are checked one after the other over every shift, narrowing the
candidates; the family that removes the last candidate is the reason, with parameters
measured on the candidates it removed. So a reason is a fact about the problem, not a guess.
:func:`precheck` finds the candidates of every visit with :mod:`scheduler.planning.alone`
(all shifts at once, in numpy) and runs :func:`judge` only for a visit that none survives,
to name the family and its parameters; ``exhaustive=True`` runs :func:`judge` for all.
"""

from __future__ import annotations

from bisect import bisect_left
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace

import numpy as np

from scheduler.planning.alone import AloneTable
from scheduler.planning.plan import Reason
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Visit
from scheduler.planning.problem import VisitKind
from scheduler.planning.problem import Window
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import Timing
from scheduler.planning.schedule import time_route


@dataclass(frozen=True, slots=True)
class Verdict:
    """The shifts that can take a visit alone (ids), or the reason there are none."""

    shifts: tuple[str, ...]
    reason: Reason | None = None
    detail: Mapping[str, object] | None = None


def _overlaps(visit: Visit, shift: Shift) -> bool:
    return any(
        max(w.start, shift.start) + visit.duration_min <= min(w.end, shift.end)
        for w in visit.windows
    )


def _days(shifts: list[Shift]) -> list[int]:
    return sorted({s.day for s in shifts})


def _walk_ok(idx: Index, visit: Visit, shift: Shift) -> bool:
    worker = idx.worker_of(shift)
    if worker.has_car:
        return True
    if visit.needs_car:
        return False
    if visit.kind is not VisitKind.HOME or visit.location is None:
        return True
    metres = idx.problem.travel.metres
    limit = worker.walking_limit_km * 1000.0
    return (
        metres[shift.start_location][visit.location] <= limit
        and metres[visit.location][shift.end_location] <= limit
    )


def alone_cap_failure(idx: Index, visit: Visit, shift: Shift, timing: Timing) -> str | None:
    """The weekly or daily cap that even this visit alone would exceed, if any."""
    worker = idx.worker_of(shift)
    if worker.max_visits_per_week is not None and worker.max_visits_per_week < 1:
        return "visits_per_week"
    if worker.max_visits_per_day is not None and worker.max_visits_per_day < 1:
        return "visits_per_day"
    if worker.max_work_min_per_week is not None and timing.work_min > worker.max_work_min_per_week:
        return "work_min_per_week"
    if shift.capacity is not None and visit.load > shift.capacity:
        return "load"
    return None


def _overlapping(idx: Index, visit: Visit) -> list[Shift]:
    """Shifts (in problem order) that overlap a window for the visit's whole duration."""
    found: set[int] = set()
    for w in visit.windows:
        # A shift that fits starts by w.end - duration and ends after w.start + duration.
        lo = bisect_left(idx.shift_starts, w.start + visit.duration_min - idx.longest_shift)
        hi = bisect_right(idx.shift_starts, w.end - visit.duration_min)
        found.update(idx.shift_order[lo:hi])
    shifts = idx.problem.shifts
    return [shifts[k] for k in sorted(found) if _overlaps(visit, shifts[k])]


def judge(idx: Index, visit: Visit) -> Verdict:
    """Shifts that can take ``visit`` by itself, checking each constraint family in turn."""
    physical = visit.is_physical
    cands = [s for s in _overlapping(idx, visit) if not (physical and s.phone_only)]
    if not cands:
        windows = [[w.start, w.end] for w in visit.windows]
        return Verdict((), Reason.NO_AVAILABILITY, {"windows": windows})
    if visit.series_worker_id is not None:
        cands = [s for s in cands if s.worker_id == visit.series_worker_id]
        if not cands:
            return Verdict(
                (), Reason.SERIES_VOLUNTEER_UNAVAILABLE, {"worker_id": visit.series_worker_id}
            )
    if visit.languages:
        left = [s for s in cands if idx.worker_of(s).languages & visit.languages]
        if not left:
            detail = {"languages": sorted(visit.languages), "days": _days(cands)}
            return Verdict((), Reason.NO_LANGUAGE_MATCH, detail)
        cands = left
    if visit.skills:
        left = [s for s in cands if visit.skills <= idx.worker_of(s).skills]
        if not left:
            have = set().union(*(idx.worker_of(s).skills for s in cands))
            detail = {"skills": sorted(visit.skills - have) or sorted(visit.skills)}
            return Verdict((), Reason.MISSING_SKILL, {**detail, "days": _days(cands)})
        cands = left
    left = [s for s in cands if _walk_ok(idx, visit, s)]
    if not left:
        limits = [idx.worker_of(s).walking_limit_km for s in cands]
        detail = {"needs_car": visit.needs_car, "walking_limit_km": max(limits)}
        if visit.location is not None:
            metres = idx.problem.travel.metres
            km = min(metres[s.start_location][visit.location] for s in cands) / 1000.0
            detail["km_from_home"] = round(km, 1)
        return Verdict((), Reason.NEEDS_CAR, detail)
    cands = left
    # One route holding this visit alone, per shift: its km, road time and schedule.
    alone = {s.id: time_route(idx.problem, s, idx.worker_of(s), [(visit, 0)]) for s in cands}
    trips = {sid: (t.metres, t.road_min) for sid, t in alone.items()}
    left = [
        s
        for s in cands
        if (lim := idx.worker_of(s).max_km_per_day) is None or trips[s.id][0] <= lim * 1000
    ]
    if not left:
        limit = max(idx.worker_of(s).max_km_per_day or 0.0 for s in cands)
        km = min(trips[s.id][0] for s in cands) / 1000.0
        return Verdict((), Reason.BEYOND_KM_LIMIT, {"km": round(km, 1), "limit_km": limit})
    cands = left
    left = [
        s
        for s in cands
        if (lim := idx.worker_of(s).max_road_min_per_day) is None or trips[s.id][1] <= lim
    ]
    if not left:
        limit = max(idx.worker_of(s).max_road_min_per_day or 0 for s in cands)
        minutes = min(trips[s.id][1] for s in cands)
        return Verdict((), Reason.BEYOND_ROAD_TIME_LIMIT, {"minutes": minutes, "limit_min": limit})
    cands = left
    left = [s for s in cands if alone[s.id].feasible]
    if not left:
        return Verdict((), Reason.TRAVEL_DOES_NOT_FIT, {"shifts": len(cands)})
    cands = left
    failures = [alone_cap_failure(idx, visit, s, alone[s.id]) for s in cands]
    left = [s for s, f in zip(cands, failures, strict=True) if f is None]
    if not left:
        bound = max(set(failures), key=lambda f: failures.count(f))
        return Verdict((), Reason.CAPACITY, {"bound": bound, "shifts": len(cands)})
    return Verdict(tuple(s.id for s in left))


def pin_ok(idx: Index, visit: Visit, verdict: Verdict, shift_id: str, start: int) -> bool:
    """True when the pinned placement is feasible on its own."""
    if shift_id not in verdict.shifts:
        return False
    shift = idx.shifts[shift_id]
    pins = {(visit.id, 0): start}
    return time_route(idx.problem, shift, idx.worker_of(shift), [(visit, 0)], pins).feasible


def precheck(
    problem: Problem,
    idx: Index | None = None,
    before_deadline: Mapping[str, Visit] | None = None,
    *,
    exhaustive: bool = False,
) -> dict[str, Verdict]:
    """A verdict for every visit, by id.

    :param before_deadline: with hard deadlines, the visits as they were before
        :func:`clip_to_deadlines`; one that nothing before its deadline can serve, but that
        could be served later, is :attr:`Reason.AFTER_DEADLINE`.
    :param exhaustive: time every visit alone on each candidate shift with
        :func:`judge` (the reference the array evaluation of :mod:`alone` is tested against)
        instead of evaluating all shifts at once and judging only the visits none takes.
    """
    idx = idx or Index(problem)
    if exhaustive:

        def verdict_of(visit: Visit) -> Verdict:
            return judge(idx, visit)

    else:
        table = AloneTable(idx)

        def verdict_of(visit: Visit) -> Verdict:
            keep = table.survivors(visit)
            if keep.any():
                return Verdict(tuple(table.ids[k] for k in np.flatnonzero(keep)))
            return judge(idx, visit)

    out: dict[str, Verdict] = {}
    for visit in problem.visits:
        verdict = verdict_of(visit)
        original = (before_deadline or {}).get(visit.id)
        if original is not None and (not verdict.shifts or original.windows == visit.windows):
            later = verdict_of(original)
            if later.shifts:
                detail = {"deadline": original.deadline}
                verdict = Verdict((), Reason.AFTER_DEADLINE, detail)
            else:
                verdict = later
        out[visit.id] = verdict
    return out


def clip_to_deadlines(problem: Problem) -> tuple[Problem, dict[str, Visit]]:
    """The problem with each window cut at its visit's deadline (the whole visit must end by
    it), and the original of every visit that changed. A visit with no window left keeps its
    windows here, and :func:`precheck` then keeps it out."""
    changed: dict[str, Visit] = {}
    visits: list[Visit] = []
    for visit in problem.visits:
        deadline = visit.deadline
        if deadline is None or all(w.end <= deadline for w in visit.windows):
            visits.append(visit)
            continue
        windows = tuple(
            Window(w.start, min(w.end, deadline))
            for w in visit.windows
            if min(w.end, deadline) - w.start >= visit.duration_min
        )
        changed[visit.id] = visit
        visits.append(replace(visit, windows=windows or visit.windows))
    return replace(problem, visits=tuple(visits)), changed
