"""The time-window filter of the insertion checks refuses only what they would refuse anyway.

Before pricing the positions of a seat in a route, the checks keep only the run of positions
where the seat's windows can fit (``insertion.window_span``); a seat that fits nowhere is
refused without pricing anything. Checking every position instead must give the same place,
cost and timing, or the same refusal, on a generated week and on a narrow-window VRPTW
instance where most offers are refused by time.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from bench.solomon_data import read_instance
from bench.solomon_data import to_problem
from bench.unseen import write_vrptw
from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import insertion
from scheduler.planning.draft import Draft
from scheduler.planning.draft import Insertion
from scheduler.planning.engine import make_seats
from scheduler.planning.greedy import greedy_start
from scheduler.planning.precheck import precheck
from scheduler.planning.problem import Visit
from scheduler.planning.ruin import ruin_and_recreate
from scheduler.planning.schedule import Index
from scheduler.planning.schedule import Task
from scheduler.planning.solver import Seat


def searched(problem: Problem) -> tuple[Draft, list[Seat]]:
    """A draft after the greedy start and some steps of ruin and recreate."""
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    draft = Draft.start(problem, idx, seats, [[] for _ in problem.shifts])
    greedy_start(draft, seats, time.monotonic() + 60)
    ruin_and_recreate(draft, seats, time.monotonic() + 60)
    return draft, seats


def fresh(draft: Draft, task: Task, shift_id: str) -> Insertion:
    """The check worked out again, nothing remembered."""
    draft.memo.clear()
    draft.places.clear()
    draft.slack.clear()
    return draft.try_insert(task, draft.idx.shifts[shift_id])


def narrow_vrptw(folder: Path) -> Problem:
    path = write_vrptw(folder, "U200-R1", 200, "R", 1, 1)
    return to_problem(read_instance(path), 10, seed=1, engine="general", solution_limit=200)


@pytest.mark.parametrize("kind", ["week", "vrptw"])
def test_filtered_checks_answer_as_checking_every_position(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind == "week":
        problem = generate_week("M", 1, Options(seed=1, solution_limit=300))
    else:
        problem = narrow_vrptw(tmp_path)
    draft, seats = searched(problem)
    rng = random.Random(7)
    pairs = [(s.task, sid) for s in seats for sid in s.shifts]
    sample = rng.sample(pairs, min(3000, len(pairs)))
    real_span = insertion.window_span
    refused = narrowed = 0

    def counted(
        latest_start: list[int], ends: list[int], visit: Visit, opens: int, latest: int
    ) -> tuple[int, int]:
        nonlocal refused, narrowed
        first, stop = real_span(latest_start, ends, visit, opens, latest)
        refused += first > stop
        narrowed += 0 < first <= stop or first <= stop < len(ends)
        return first, stop

    monkeypatch.setattr(insertion, "window_span", counted)
    filtered = [fresh(draft, task, sid) for task, sid in sample]
    monkeypatch.setattr(insertion, "window_span", lambda ls, ends, *_: (0, len(ends)))
    every = [fresh(draft, task, sid) for task, sid in sample]
    for (task, sid), got, want in zip(sample, filtered, every, strict=True):
        assert got == want, (task[0].id, task[1], sid)
    # The filter was put to work: some seats fit nowhere in a route and were refused so,
    # more were offered only part of a route.
    assert refused > 0
    assert narrowed > 100
    assert sum(not isinstance(a, str) for a in filtered) > 50
