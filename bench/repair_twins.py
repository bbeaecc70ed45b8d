"""The final repair with and without grouping identical empty shifts: the same plan, fewer checks.

    python -m bench.repair_twins [--seed 1]

On U1000-R1 (``bench.unseen``: 1,000 customers, narrow windows, 250 identical vehicles) and on
week M (``bench.week_data``, one shift per volunteer-day, no twins), builds the plan of an
empty draft with ``explain.build_plan`` and no deadline (greedy start over every seat, then
the explanations), once with ``greedy.Twins`` and once with every seat offered every shift.
Prints the groups of shifts, the insertion checks worked out, the process CPU time, the seats
served and the objective, and whether the routes (with their times), the objective and every
reason with its detail are the same. Run it under ``taskset -c N``. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.solomon_data import read_instance
from bench.solomon_data import to_problem
from bench.unseen import write_vrptw
from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import Plan
from scheduler.planning import greedy
from scheduler.planning.draft import Draft
from scheduler.planning.explain import build_plan
from scheduler.planning.precheck import precheck
from scheduler.planning.problem import Problem
from scheduler.planning.schedule import Index
from scheduler.planning.seats import make_seats


def _problems(seed: int) -> Iterator[tuple[str, Problem]]:
    path = write_vrptw(Path(tempfile.mkdtemp(prefix="twins-")), "U1000-R1", 1000, "R", 1, seed)
    yield "U1000-R1", to_problem(read_instance(path), 5, seed=seed, engine="general")
    yield "week M", generate_week("M", seed, Options(seed=seed))


def _run(problem: Problem, twins: bool) -> tuple[Draft, Plan, float]:
    idx = Index(problem)
    verdicts = precheck(problem, idx)
    seats, conflicts = make_seats(problem, idx, verdicts)
    draft = Draft.start(problem, idx, seats, [[] for _ in problem.shifts])
    saved = greedy.Twins.__dict__["apply"]
    if not twins:
        greedy.Twins.apply = staticmethod(lambda seat: False)  # type: ignore[method-assign]
    try:
        began = time.process_time()
        plan = build_plan(draft, seats, verdicts, conflicts, "general", True, math.inf)
        cpu = time.process_time() - began
    finally:
        greedy.Twins.apply = saved  # type: ignore[method-assign]
    return draft, plan, cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.repair_twins", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for name, problem in _problems(args.seed):
        empty = Draft.start(problem, Index(problem), [], [[] for _ in problem.shifts])
        twins = greedy.Twins(empty)
        groups: dict[object, int] = {}
        for s in problem.shifts:
            key = twins.key(s.id)
            groups[key] = groups.get(key, 0) + 1
        print(
            f"{name}: {len(problem.shifts)} shifts in {len(groups)} groups "
            f"(largest {max(groups.values())})"
        )
        seen: list[tuple[object, int, object]] = []
        for on in (False, True):
            draft, plan, cpu = _run(problem, on)
            stats = plan.stats
            routes = {k: (tuple(v), draft.timings[k].starts) for k, v in draft.routes.items()}
            reasons = [(u.visit_id, u.reason, u.detail) for u in plan.unassigned]
            seen.append((routes, stats.objective, reasons))
            print(
                f"  {'twins grouped' if on else 'every shift  '}: {draft.checks:>7} checks "
                f"worked out, {cpu:5.2f} s CPU, served {stats.served}/{stats.requested}, "
                f"objective {stats.objective}"
            )
        (r0, o0, u0), (r1, o1, u1) = seen
        print(f"  same routes and times: {r0 == r1}, objective: {o0 == o1}, reasons: {u0 == u1}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
