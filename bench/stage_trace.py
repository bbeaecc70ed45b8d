"""The general path's stages one after the other on a generated week: what each one served.

    python -m bench.stage_trace --size M [--seed 1] [--search-seed 1] [--time-limit 10]
                                [--set scarcity.PRICE=100000 ...]

The search's clock is this process's CPU time, as in ``bench.week_seeds``. Each call of a
stage (greedy start, making room, ruin and recreate, local search, the per-day tightening,
exchange, regroup) is wrapped to print when it began, the CPU seconds it took, the seats
placed before and after, and the search's objective after it (route costs plus the
penalties of the seats the search could place; the plan's objective adds those no shift can
take). This is how the time shares of week M were read (``docs/planning.md``, 2 December
2026). Run it under ``taskset -c N``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from bench.settings import add_set_option
from bench.settings import apply_settings

STAGES = (
    "greedy_start",
    "make_room",
    "ruin_and_recreate",
    "improve_routes",
    "improve_by_day",
    "exchange",
    "regroup",
)


def main(argv: list[str] | None = None) -> None:
    time.monotonic = time.process_time  # before the engine reads the clock
    from bench.week_data import SIZES
    from bench.week_data import generate_week
    from scheduler.planning import Options
    from scheduler.planning import engine
    from scheduler.planning import solve
    from scheduler.planning.draft import Draft
    from scheduler.planning.solver import Seat

    parser = argparse.ArgumentParser(prog="python -m bench.stage_trace")
    parser.add_argument("--size", choices=list(SIZES), default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--search-seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=10.0)
    add_set_option(parser)
    args = parser.parse_args(argv)
    apply_settings(args.set)
    seats: list[Seat] = []
    began = [0.0]
    make_seats = engine.make_seats

    def remember_seats(*a: Any) -> Any:
        made = make_seats(*a)
        seats[:] = made[0]
        return made

    def traced(name: str, stage: Callable[..., Any]) -> Callable[..., Any]:
        def run(draft: Draft, *a: Any, **k: Any) -> Any:
            start = time.process_time()
            before = len(draft.where)
            result = stage(draft, *a, **k)
            objective = engine._objective(draft, seats)
            print(
                f"{start - began[0]:6.2f} s  {name:18s} {time.process_time() - start:5.2f} s  "
                f"seats {before} -> {len(draft.where)}  objective {objective}",
                flush=True,
            )
            return result

        return run

    engine.make_seats = remember_seats  # type: ignore[assignment]
    for name in STAGES:
        setattr(engine, name, traced(name, getattr(engine, name)))
    options = Options(time_limit_s=args.time_limit, seed=args.search_seed)
    problem = generate_week(args.size, args.seed, options)
    began[0] = time.process_time()
    plan = solve(problem)
    print(
        f"week {args.size} seed {args.seed}, search seed {args.search_seed}: served "
        f"{plan.stats.served}/{plan.stats.requested}, seats {plan.stats.seats_filled}/"
        f"{plan.stats.seats_requested}, objective {plan.stats.objective}"
    )


if __name__ == "__main__":
    main()
