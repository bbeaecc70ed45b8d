"""Solomon VRPTW benchmark: the engine's general path and its shortcut against the
distance best-known values.

    python -m bench.solomon --time-limit 30 [--instances C101,R101] [--paths general,shortcut]
                            [--peers ortools,pyvrp,vroom] [--jobs 2]

Each instance becomes a planning ``Problem`` (one shift per vehicle, distance objective, the
product's other options less what plain VRPTW does not have: no fairness, no time grid, no
lead before a shift) and is solved by ``scheduler.planning.solve`` along each path:

- ``general``: ``engine="general"``, the path every real week takes (greedy start, PyVRP on
  the days it expresses exactly, the OR-Tools model, ruin and recreate);
- ``general-no-pyvrp``: the same without PyVRP on days (what the other stages reach alone);
- ``shortcut``: ``engine="auto"``, which hands plain VRPTW weeks to PyVRP whole.

Every plan is checked by ``scheduler.planning.check``; distances are recomputed and checked
again in double precision and compared with the ``distance_double`` rows of ``BKS.csv``
(``bench/data/solomon``). Peers' routes are timed at the earliest and judged by the same
checker. The last line is the general path's mean gap. With ``--jobs N`` instances run in N
processes, each pinned to its own core, so every solver still uses one core. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import Queue
from pathlib import Path

from bench.settings import add_set_option
from bench.settings import apply_settings
from bench.solomon_data import judge_routes
from bench.solomon_data import plan_from_routes
from bench.solomon_data import read_bks
from bench.solomon_data import read_instance
from bench.solomon_data import to_problem
from bench.solomon_peers import PEERS
from scheduler.planning import check
from scheduler.planning import solve

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "bench" / "data" / "solomon"
Row = dict[str, object]


PATHS = {
    "general": {"engine": "general"},
    "general-no-pyvrp": {"engine": "general", "pyvrp_days": False},
    "shortcut": {"engine": "auto"},
}


def run_instance(path: Path, seconds: float, seed: int, paths: list[str], peers: list[str]) -> Row:
    """Solve one instance along each path (and with the peers) and measure everything."""
    inst = read_instance(path)
    row: Row = {"instance": inst.name}
    problem = to_problem(inst, seconds, seed=seed)
    for name in paths:
        options = replace(problem.options, **PATHS[name])  # type: ignore[arg-type]
        variant = replace(problem, options=options)
        t0 = time.perf_counter()
        plan = solve(variant)
        elapsed = time.perf_counter() - t0
        violations = check(variant, plan)
        routes = [[int(s.visit_id) for s in r.stops] for r in plan.routes]
        dist, ok, why = judge_routes(inst, routes)
        feasible = ok and not violations and not plan.unassigned
        note = why or (violations[0].message if violations else plan.stats.solver)
        row[name] = (dist, feasible, elapsed, len(routes), note)
    for name in peers:
        t0 = time.perf_counter()
        peer_routes = PEERS[name](inst, path, seconds, seed)
        took = time.perf_counter() - t0
        d, good, _ = judge_routes(inst, peer_routes)
        # The same independent checker as ours, on the same integer problem.
        good = good and not check(problem, plan_from_routes(problem, peer_routes))
        row[name] = (d, good, took, len(peer_routes), "")
    return row


_cores: Queue[int] | None = None


def _pin_worker(cores: Queue[int]) -> None:
    os.sched_setaffinity(0, {cores.get()})


def _gap(distance: float, bks: float) -> float:
    return 100.0 * (distance / bks - 1.0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.solomon", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--time-limit", type=float, default=30.0, help="seconds per instance and solver"
    )
    parser.add_argument("--instances", default="", help="comma-separated names (default: all)")
    parser.add_argument(
        "--paths", default="general,shortcut", help=f"engine paths among {', '.join(PATHS)}"
    )
    parser.add_argument(
        "--peers",
        nargs="?",
        const=",".join(PEERS),
        default="",
        help="also run peers (all without a value: ortools, pyvrp, vroom)",
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder of .txt files and BKS.csv"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="instances in parallel, one core each")
    add_set_option(parser)
    args = parser.parse_args(argv)
    apply_settings(args.set)
    bks = read_bks(args.data / "BKS.csv")
    names = [n.strip().upper() for n in args.instances.split(",") if n.strip()] or sorted(bks)
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = [p for p in paths if p not in PATHS] + [p for p in peers if p not in PEERS]
    if unknown or not paths:
        parser.error(f"unknown path or peer: {', '.join(unknown) or '(none given)'}")
    files = [args.data / f"{n}.txt" for n in names]
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if args.jobs > 1:
        cores: Queue[int] = Queue()
        available = sorted(os.sched_getaffinity(0))
        for k in range(args.jobs):
            cores.put(available[k % len(available)])
        with ProcessPoolExecutor(args.jobs, initializer=_pin_worker, initargs=(cores,)) as pool:
            futures = [
                pool.submit(run_instance, f, args.time_limit, args.seed, paths, peers)
                for f in files
            ]
            rows = [f.result() for f in futures]
    else:
        rows = [run_instance(f, args.time_limit, args.seed, paths, peers) for f in files]
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    print_table(rows, bks, paths, peers)


def _class(name: str) -> str:
    return name.rstrip("0123456789")


def print_table(
    rows: list[Row], bks: dict[str, tuple[int, float]], paths: list[str], peers: list[str]
) -> None:
    """The side-by-side table, per-class means, a line per path and peer, and the closing
    line (the first path's mean gap)."""
    solvers = paths + peers
    print(
        f"{'instance':9} {'bks':>9}"
        + "".join(f" | {s + ' gap%':>20} {'veh':>3} {'t':>5}" for s in solvers)
    )
    gaps: dict[str, list[float]] = {s: [] for s in solvers}
    by_class: dict[tuple[str, str], list[float]] = {}
    bad: dict[str, list[str]] = {s: [] for s in solvers}
    for row in rows:
        name = str(row["instance"])
        ref = bks[name][1]
        line = f"{name:9} {ref:9.2f}"
        for s in solvers:
            dist, ok, took, vehicles, note = row[s]  # type: ignore[misc]
            gap = _gap(dist, ref) if ok and math.isfinite(dist) else math.inf
            if not ok:
                bad[s].append(f"{name} ({note})")
            gaps[s].append(gap)
            by_class.setdefault((s, _class(name)), []).append(gap)
            line += f" | {gap:20.2f} {vehicles:>3} {took:5.1f}"
        print(line)
    for s in solvers:
        values = gaps[s]
        feasible = sum(1 for v in values if math.isfinite(v))
        classes = ", ".join(
            f"{c} {sum(v) / len(v):.2f}%" for (q, c), v in sorted(by_class.items()) if q == s
        )
        kind = "path" if s in paths else "peer"
        print(
            f"{kind} {s}: mean gap {sum(values) / len(values):.2f}% over {len(values)} "
            f"({feasible}/{len(values)} feasible per checker; {classes})"
        )
        if bad[s]:
            print(f"  infeasible or incomplete: {', '.join(bad[s])}")
    if "ortools" in peers:
        for s in paths:
            worse = [
                (str(row["instance"]), g - o)
                for row, g, o in zip(rows, gaps[s], gaps["ortools"], strict=True)
                if g > o + 1e-9
            ]
            verdict = (
                "never"
                if not worse
                else f"on {len(worse)}: " + ", ".join(f"{n} (+{d:.2f} pt)" for n, d in worse)
            )
            print(f"{s} worse than the OR-Tools textbook model: {verdict}")
    first = gaps[paths[0]]
    mean = sum(first) / len(first) if first else math.nan
    print(f"mean gap to BKS: {mean:.2f}% over {len(first)} instances")


if __name__ == "__main__":
    main()
