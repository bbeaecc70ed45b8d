"""CPU time of the general path's search steps on a generated week, for a fixed amount of work.

    python -m bench.search_steps --size M [--seed 1] [--steps 3000] [--set chains.SHARE=0.1]

Builds the week, makes the greedy start and one pass of making room, then runs ruin and
recreate until ``--steps`` steps in a row bring no new best (the solution-limit rule, so the
run does not depend on the clock), and prints the CPU seconds of each stage, the steps made
per CPU second, and the seats placed and the route cost reached. Two engines whose insertion
checks give the same answers make the same steps and reach the same plan: run this once with
each (``PYTHONPATH=<tree> python <tree>/bench/search_steps.py``) to compare their speed alone,
whatever the load. Run it under ``taskset -c N``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import time

from bench.settings import add_set_option
from bench.settings import apply_settings
from bench.week_data import SIZES
from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning.draft import Draft
from scheduler.planning.engine import make_seats
from scheduler.planning.greedy import greedy_start
from scheduler.planning.precheck import precheck
from scheduler.planning.room import make_room
from scheduler.planning.ruin import ruin_and_recreate
from scheduler.planning.schedule import Index


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search_steps")
    parser.add_argument("--size", choices=list(SIZES), default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3000)
    add_set_option(parser)
    args = parser.parse_args(argv)
    apply_settings(args.set)
    options = Options(seed=args.seed, solution_limit=args.steps)
    problem = generate_week(args.size, args.seed, options)
    idx = Index(problem)
    seats, _ = make_seats(problem, idx, precheck(problem, idx))
    draft = Draft.start(problem, idx, seats, [[] for _ in problem.shifts])
    far = time.monotonic() + 3600
    began = time.process_time()
    greedy_start(draft, seats, far)
    greedy = time.process_time() - began
    began = time.process_time()
    make_room(draft, seats, far)
    room = time.process_time() - began
    began = time.process_time()
    steps = ruin_and_recreate(draft, seats, far)
    search = time.process_time() - began
    cost = sum(draft.cost_of(s) for s in problem.shifts if draft.routes[s.id])
    print(
        f"{' '.join(args.set) or 'defaults'}: "
        f"week {args.size} seed {args.seed}: greedy start {greedy:.2f} s CPU, making room "
        f"{room:.2f} s, ruin and recreate {steps} steps in {search:.2f} s "
        f"({steps / max(search, 1e-9):.0f} steps per CPU second); "
        f"{len(draft.where)}/{len(seats)} seats placed, route cost {cost}"
    )


if __name__ == "__main__":
    main()
