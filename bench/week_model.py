"""The week's OR-Tools routing model alone, started from scratch on Solomon instances.

The general path uses this model (``scheduler.planning.solver.route_week``) as its tightening
on weeks up to ``GLOBAL_SEATS`` seats, always started from a plan; here it starts from its own
first solution (parallel cheapest insertion) and runs guided local search for the time given,
so its search can be compared with the textbook OR-Tools model of ``bench.solomon --peers
ortools``. Prints, per instance and time limit, the distance in double precision, the gap to
the best known, feasibility, and the number of solutions the search accepted.

    python -m bench.week_model --instances R112,R208 --time-limits 5,15
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from bench.solomon import DEFAULT_DATA
from bench.solomon_data import judge_routes
from bench.solomon_data import read_bks
from bench.solomon_data import read_instance
from bench.solomon_data import to_problem
from scheduler.planning.engine import make_seats
from scheduler.planning.precheck import precheck
from scheduler.planning.schedule import Index
from scheduler.planning.solver import route_week


def run(path: Path, seconds: float) -> tuple[float, bool, float]:
    """Distance, feasibility and wall seconds of the model alone on one instance."""
    inst = read_instance(path)
    problem = to_problem(inst, seconds, engine="general")
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    t0 = time.perf_counter()
    seqs = route_week(problem, idx, seats, None, time.monotonic() + seconds)
    took = time.perf_counter() - t0
    routes = [[int(seats[k].task[0].id) for k in seq] for seq in seqs or [] if seq]
    distance, ok, _ = judge_routes(inst, routes)
    return distance, ok, took


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.week_model", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--instances", default="R112", help="comma-separated names")
    parser.add_argument("--time-limits", default="5,15", help="comma-separated seconds")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    bks = read_bks(args.data / "BKS.csv")
    names = [n.strip().upper() for n in args.instances.split(",") if n.strip()]
    limits = [float(s) for s in args.time_limits.split(",") if s.strip()]
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'instance':<9}{'limit s':>8}{'distance':>11}{'gap %':>8}{'feasible':>10}{'wall s':>8}")
    for name in names:
        for seconds in limits:
            distance, ok, took = run(args.data / f"{name}.txt", seconds)
            gap = 100.0 * (distance / bks[name][1] - 1.0) if name in bks else float("nan")
            print(f"{name:<9}{seconds:>8.0f}{distance:>11.2f}{gap:>8.2f}{ok!s:>10}{took:>8.1f}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
