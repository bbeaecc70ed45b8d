"""The weekly benchmark over several search seeds, on a clock that a busy machine does not move.

    python -m bench.week_seeds --size M [--seed 1] [--search-seeds 1,2,3,4,5,6]
                               [--time-limit S] [--set chains.SHARE=0 ...]

``bench.week`` gives the search a wall-clock budget, as the planning page does; on a machine
shared by several people a 10 s run may get two seconds of a core, so its figure says more
about the load than about the engine. Here the search's clock is this process's CPU time
(``time.monotonic`` is replaced by ``time.process_time`` before the engine is imported; the
OR-Tools stages still take wall-clock limits, computed from it), the week is generated from
``--seed`` and planned once per search seed, each plan is checked by the independent checker,
and the requests served and the gap to the best-known objective are printed per seed, then
their median and mean. ``--set module.NAME=value`` changes a constant of
``scheduler.planning.<module>`` for the run (how variants of the search were compared).
Run it under ``taskset -c N``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.settings import add_set_option
from bench.settings import apply_settings


def main(argv: list[str] | None = None) -> None:
    time.monotonic = time.process_time  # before the engine reads the clock
    from bench.week import DEFAULT_SECONDS
    from bench.week_best import read_best
    from bench.week_data import SIZES
    from bench.week_data import generate_week
    from scheduler.planning import Options
    from scheduler.planning import check
    from scheduler.planning import solve

    parser = argparse.ArgumentParser(prog="python -m bench.week_seeds")
    parser.add_argument("--size", choices=list(SIZES), default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--search-seeds", default="1,2,3,4,5,6")
    parser.add_argument("--time-limit", type=float, default=None)
    add_set_option(parser)
    args = parser.parse_args(argv)
    apply_settings(args.set)
    budget = args.time_limit or DEFAULT_SECONDS[args.size]
    best = read_best().get((args.size, args.seed))
    served: list[int] = []
    gaps: list[float] = []
    for search_seed in (int(s) for s in args.search_seeds.split(",")):
        options = Options(time_limit_s=budget, seed=search_seed)
        problem = generate_week(args.size, args.seed, options)
        began = time.process_time()
        plan = solve(problem)
        cpu = time.process_time() - began
        verdict = "feasible" if not check(problem, plan) else "CHECKER REFUSED"
        gap = 100 * (plan.stats.objective / int(best["objective"]) - 1) if best else float("nan")
        served.append(plan.stats.served)
        gaps.append(gap)
        print(
            f"week {args.size} seed {args.seed}, search seed {search_seed}, {budget:g} s of CPU: "
            f"served {plan.stats.served}/{plan.stats.requested}, objective "
            f"{plan.stats.objective}, gap {gap:+.2f}%, CPU {cpu:.1f} s, {verdict}",
            flush=True,
        )
    print(
        f"served {sorted(served)} (mean {statistics.mean(served):.1f}); gap to best-known "
        f"median {statistics.median(gaps):+.2f}%, mean {statistics.mean(gaps):+.2f}%"
    )


if __name__ == "__main__":
    main()
