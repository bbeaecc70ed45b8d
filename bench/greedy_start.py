"""The general path's greedy start, with and without sparse neighbourhoods, without a clock.

    python -m bench.greedy_start [--sizes M,L,XL] [--seed 1]

For each generated week (``bench.week_data``), builds the first plan twice from the same seats:
``every shift`` offers each seat to every candidate shift (the greedy start before sparse
neighbourhoods, which is also what the final repair does), ``nearest first`` is
``scheduler.planning.greedy.greedy_start`` with no deadline. Prints the process CPU time each
took, the seats placed and the objective of the draft. Neither depends on the time the run
gets, so the figures compare the two on a loaded machine too (the CPU time still varies a
little with cache pressure). Run it under ``taskset -c N``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import time

from bench.week_data import SIZES
from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning.draft import Draft
from scheduler.planning.engine import make_seats
from scheduler.planning.explain import repair
from scheduler.planning.greedy import greedy_start
from scheduler.planning.precheck import precheck
from scheduler.planning.schedule import Index


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.greedy_start", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="M,L,XL")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for size in args.sizes.split(","):
        if size not in SIZES:
            parser.error(f"unknown size {size!r}")
        problem = generate_week(size, args.seed, Options(seed=args.seed))
        idx = Index(problem)
        seats, _ = make_seats(problem, idx, precheck(problem, idx))
        print(f"week {size} seed {args.seed}: {len(problem.shifts)} shifts, {len(seats)} seats")
        for label in ("every shift", "nearest first"):
            draft = Draft.start(problem, idx, seats, [[] for _ in problem.shifts])
            began = time.process_time()
            if label == "every shift":
                still = repair(draft, seats)
            else:
                still, _ = greedy_start(draft, seats, float("inf"))
            cpu = time.process_time() - began
            routes = sum(draft.cost_of(s) for s in problem.shifts if draft.routes[s.id])
            objective = routes + sum(s.penalty for s in still)
            print(
                f"  {label:13s} CPU {cpu:6.1f} s  seats placed {len(seats) - len(still):5d}"
                f"  objective {objective}"
            )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
