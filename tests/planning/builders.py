"""Builders for hand-checkable planning problems.

Places sit on a line: place ``i`` is at kilometre ``positions[i]``; driving takes one minute
per kilometre, walking twelve. Monday is day 0; ``at(day, "HH:MM")`` gives a minute on the
week axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scheduler.planning import Location
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import Shift
from scheduler.planning import TravelMatrix
from scheduler.planning import Visit
from scheduler.planning import VisitKind
from scheduler.planning import Window
from scheduler.planning import Worker

SOLOMON = Path(__file__).resolve().parents[2] / "bench" / "data" / "solomon"


def at(day: int, hhmm: str) -> int:
    """Minute on the week axis of a local time on a day (0 = Monday)."""
    h, m = hhmm.split(":")
    return day * 1440 + int(h) * 60 + int(m)


def line_travel(positions: Sequence[int]) -> TravelMatrix:
    """One minute and one kilometre per unit of distance by car, twelve minutes on foot."""
    n = len(positions)
    d = [[abs(positions[a] - positions[b]) for b in range(n)] for a in range(n)]
    return TravelMatrix(
        minutes=tuple(tuple(row) for row in d),
        metres=tuple(tuple(x * 1000 for x in row) for row in d),
        walk_minutes=tuple(tuple(x * 12 for x in row) for row in d),
    )


def make_worker(id: str = "w1", home: int = 0, **kw: Any) -> Worker:
    kw.setdefault("languages", frozenset({"fr"}))
    return Worker(id=id, home=home, **kw)


def make_shift(
    id: str = "s1", worker_id: str = "w1", day: int = 0, location: int = 0, **kw: Any
) -> Shift:
    kw.setdefault("start", at(day, "08:00"))
    kw.setdefault("end", at(day, "17:00"))
    kw.setdefault("start_location", location)
    kw.setdefault("end_location", location)
    return Shift(id=id, worker_id=worker_id, day=day, **kw)


def make_visit(id: str = "a", location: int | None = 1, **kw: Any) -> Visit:
    kind = kw.pop("kind", VisitKind.HOME if location is not None else VisitKind.PHONE)
    windows = kw.pop("windows", [(at(0, "08:00"), at(0, "17:00"))])
    kw.setdefault("duration_min", 60)
    return Visit(
        id=id,
        request_id=kw.pop("request_id", id),
        kind=kind,
        windows=tuple(Window(a, b) for a, b in windows),
        location=location,
        **kw,
    )


def make_problem(
    positions: Sequence[int],
    workers: Sequence[Worker],
    shifts: Sequence[Shift],
    visits: Sequence[Visit],
    **options: Any,
) -> Problem:
    options.setdefault("solution_limit", 40)
    options.setdefault("time_limit_s", 1.0)
    options.setdefault("fairness", 0.0)
    options.setdefault("engine", "ortools")
    return Problem(
        locations=tuple(Location(str(i), 45.0, -72.0 + p / 100) for i, p in enumerate(positions)),
        travel=line_travel(positions),
        workers=tuple(workers),
        shifts=tuple(shifts),
        visits=tuple(visits),
        options=Options(**options),
    )
