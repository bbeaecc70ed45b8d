"""How far past its deadline a planning run ends, on each path.

    python -m bench.deadline [--limit 2] [--repeat 3]

Runs ``solve(problem, deadline=Deadline.after(limit))`` on one week per path and prints the
wall time of each run (median and worst of ``--repeat``) and its margin over the limit:

- ``shortcut``: Solomon C101 under ``engine="auto"`` (PyVRP);
- ``fallback``: a plain VRPTW week PyVRP cannot serve whole (eight volunteers, each with
  two requests at the same hour at either end of the territory), so PyVRP gives up and the
  general path plans it in the time left;
- ``general``: the generated M week (the general path);
- ``general, solution limit``: the same with ``solution_limit`` so large that only the
  deadline stops it.

The time to build each problem is outside the measure. Run it under ``taskset -c N``.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import replace

from bench.solomon import DEFAULT_DATA
from bench.solomon_data import read_instance
from bench.solomon_data import to_problem
from bench.week_data import generate_week
from scheduler.planning import Deadline
from scheduler.planning import Location
from scheduler.planning import Options
from scheduler.planning import Problem
from scheduler.planning import Shift
from scheduler.planning import Visit
from scheduler.planning import VisitKind
from scheduler.planning import Window
from scheduler.planning import Worker
from scheduler.planning import check
from scheduler.planning import solve
from scheduler.planning.matrix import scale_matrices


def clash_week(volunteers: int = 8) -> Problem:
    """Each volunteer has two requests at 10:00, 40 km east and 40 km west of home."""
    xs = [0.0]
    for _ in range(volunteers):
        xs += [40_000.0, -40_000.0]
    n = len(xs)
    metres = [[abs(a - b) for b in xs] for a in xs]
    seconds = [[m / (50 / 3.6) for m in row] for row in metres]
    travel = scale_matrices(seconds, metres)
    places = tuple(Location(str(k), 45.0, -72.0 + x / 80_000) for k, x in enumerate(xs))
    workers = tuple(Worker(f"w{k}", 0) for k in range(volunteers))
    shifts = tuple(Shift(f"s{k}", f"w{k}", 0, 480, 1020, 0, 0) for k in range(volunteers))
    visits = tuple(
        Visit(str(j), str(j), VisitKind.HOME, 60, (Window(600, 660),), location=j)
        for j in range(1, n)
    )
    options = Options(fairness=0.0, time_grid_min=1, engine="auto")
    return Problem(places, travel, workers, shifts, visits, options)


def cases() -> dict[str, Problem]:
    c101 = to_problem(read_instance(DEFAULT_DATA / "C101.txt"), 1.0, seed=1)
    week = generate_week("M", 1, Options(seed=1))
    return {
        "shortcut (PyVRP)": c101,
        "fallback (PyVRP, then general)": clash_week(),
        "general": week,
        "general, solution limit 10^9": replace(
            week, options=replace(week.options, solution_limit=10**9)
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.deadline", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--limit", type=float, default=2.0, help="seconds")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    worst_margin = 0.0
    for name, problem in cases().items():
        walls: list[float] = []
        solver = ""
        refused = 0
        for _ in range(args.repeat):
            t0 = time.monotonic()
            plan = solve(problem, deadline=Deadline.after(args.limit))
            walls.append(time.monotonic() - t0)
            solver = plan.stats.solver
            refused += bool(check(problem, plan))
        margin = max(walls) - args.limit
        worst_margin = max(worst_margin, margin)
        print(
            f"{name:32} solver {solver:20} wall median {statistics.median(walls):.2f} s, "
            f"worst {max(walls):.2f} s, margin {margin:+.2f} s over {args.limit:g} s"
            + (f", {refused} plans REFUSED by the checker" if refused else ", checker: feasible")
        )
    print(f"worst margin over the limit: {worst_margin:+.2f} s")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
