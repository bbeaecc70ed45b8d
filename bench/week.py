"""Weekly planning benchmark over the demo territory.

    python -m bench.week --size {demo,S,M,L,XL} [--seed 1] [--time-limit S]
                         [--reference-factor 0]

Generates a week (demo: 14 volunteers / 60 requests; S: 8 / 50; M: 40 / 400; L: 150 / 2000;
XL: 400 / 6000, an association network across every town of the territory), plans it along
the general path (the one real weeks take), checks the plan with the independent checker and
prints the solve time, requests served, km, hours on the road, peak memory, and the gap to the
best-known objective of that size and seed (``bench/data/week-best.csv``, made by
``bench.week_best``). ``--reference-factor F`` also runs F times longer and prints the ratio
(for the demo week, 20 gives the 60 s run it must equal). ``--time-limit`` is the whole
wall-clock budget, building the problem (places, travel matrix) included: the solver gets what
is left after the build, and the total is printed. Run it under ``taskset -c N`` to hold it to
one core. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from dataclasses import replace

from bench.week_best import read_best
from bench.week_data import SIZES
from bench.week_data import generate_week
from scheduler.planning import Options
from scheduler.planning import Plan
from scheduler.planning import Problem
from scheduler.planning import check
from scheduler.planning import solve

DEFAULT_SECONDS = {"demo": 3.0, "S": 5.0, "M": 10.0, "L": 60.0, "XL": 120.0}


def timed(problem: Problem) -> tuple[Plan, float]:
    """Solve and measure wall time (and print the CPU time: on a shared machine, the share
    of a core the run really had)."""
    t0 = time.perf_counter()
    c0 = time.process_time()
    plan = solve(problem)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(f"solve CPU time: {cpu:.1f} s ({100 * cpu / max(wall, 1e-9):.0f}% of its wall time)")
    walls = plan.stats.stage_wall
    stages = ", ".join(
        f"{name} {s:.1f} s ({walls.get(name, 0.0):.1f} s wall)"
        for name, s in plan.stats.stage_cpu.items()
    )
    print(f"  CPU per stage: {stages}")
    return plan, wall


def describe(label: str, problem: Problem, plan: Plan, seconds: float) -> None:
    """One block of figures for a plan."""
    s = plan.stats
    violations = check(problem, plan)
    print(f"{label}: solved in {seconds:.1f} s wall")
    seats = f"(seats {s.seats_filled}/{s.seats_requested})"
    print(f"  requests served    {s.served}/{s.requested} {seats}")
    print(f"  km                 {s.metres / 1000:.1f}")
    print(f"  hours on the road  {s.road_min / 60:.1f}  (work {s.work_min / 60:.1f} h)")
    print(f"  objective          {s.objective}")
    print(f"  left out by reason {dict(s.unassigned_by_reason)}")
    print(f"  checker            {'feasible' if not violations else violations[:3]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.week", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--size", choices=list(SIZES), default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None, help="seconds (default by size)")
    parser.add_argument("--reference-factor", type=float, default=0.0)
    args = parser.parse_args(argv)
    budget = args.time_limit or DEFAULT_SECONDS[args.size]
    t0 = time.perf_counter()
    c0 = time.process_time()
    problem = generate_week(args.size, args.seed, Options(time_limit_s=budget, seed=args.seed))
    built = time.perf_counter() - t0
    built_cpu = time.process_time() - c0
    seconds = max(0.1, budget - built)
    problem = replace(problem, options=replace(problem.options, time_limit_s=seconds))
    print(
        f"week {args.size} seed {args.seed}: {len(problem.workers)} volunteers, "
        f"{len(problem.shifts)} shifts, {len(problem.visits)} requests, "
        f"{sum(v.seats for v in problem.visits)} seats, {len(problem.locations)} places "
        f"(generated and measured in {built:.1f} s)"
    )
    # The machine may be shared: the load says how much of a core the run really had.
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    plan, took = timed(problem)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    describe(f"run ({budget:g} s budget, {seconds:.1f} s left to solve)", problem, plan, took)
    print(f"  total wall         {built + took:.1f} s (build {built:.1f} s + solve {took:.1f} s)")
    over = built + took - budget
    print(f"  against the budget {'over' if over > 0 else 'within'} by {abs(over):.1f} s")
    # The stages that run whatever the budget: they decide whether a loaded core ends on time.
    fixed = {"build": (built_cpu, built)}
    for name in ("precheck", "repair and explanations"):
        fixed[name] = (plan.stats.stage_cpu.get(name, 0.0), plan.stats.stage_wall.get(name, 0.0))
    costs = ", ".join(
        f"{name} {cpu:.1f} s ({wall:.1f} s wall)" for name, (cpu, wall) in fixed.items()
    )
    print(f"  fixed costs (CPU)  {costs}")
    print(f"  peak RSS           {peak_mb:.0f} MB")
    best = read_best().get((args.size, args.seed))
    if best is None:
        print("gap to best-known: none stored (python -m bench.week_best makes one)")
    else:
        gap = 100 * (plan.stats.objective / int(best["objective"]) - 1)
        print(
            f"gap to best-known: {gap:+.2f}% (best-known {best['objective']}, "
            f"{best['how']}: {best['command']})"
        )
    if args.reference_factor > 0:
        longer = replace(
            problem, options=replace(problem.options, time_limit_s=seconds * args.reference_factor)
        )
        ref, ref_took = timed(longer)
        label = f"reference ({seconds * args.reference_factor:.1f} s limit)"
        describe(label, longer, ref, ref_took)
        ratio = plan.stats.objective / ref.stats.objective
        factor = f"{args.reference_factor:g}x"
        print(f"objective ratio to the {factor} run: {ratio:.4f} ({100 * (ratio - 1):+.2f}%)")


if __name__ == "__main__":
    main()
