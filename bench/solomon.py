"""Solomon VRPTW benchmark: the engine's VRPTW path against the distance best-known values.

    python -m bench.solomon --time-limit 30 [--instances C101,R101] [--peers] [--jobs 2]

Each instance becomes a planning ``Problem`` (one shift per vehicle, pure distance
objective), is solved by ``scheduler.planning.solve`` and checked by
``scheduler.planning.check``; the distance is then recomputed in double precision, checked
again in double precision, and compared with the ``distance_double`` rows of ``BKS.csv``.
Peers' routes are timed at the earliest and judged by the same checker.
With ``--jobs N`` instances run in N processes, each pinned to its own core, so every solver
still uses one core. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Queue
from pathlib import Path

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


def run_instance(path: Path, seconds: float, seed: int, peers: bool) -> Row:
    """Solve one instance with the engine (and the peers) and measure everything."""
    inst = read_instance(path)
    problem = to_problem(inst, seconds, seed=seed)
    t0 = time.perf_counter()
    plan = solve(problem)
    elapsed = time.perf_counter() - t0
    violations = check(problem, plan)
    routes = [[int(s.visit_id) for s in r.stops] for r in plan.routes]
    dist, ok, why = judge_routes(inst, routes)
    row: Row = {
        "instance": inst.name,
        "vehicles": len(routes),
        "distance": dist,
        "time": elapsed,
        "feasible": ok and not violations and not plan.unassigned,
        "note": why or (violations[0].message if violations else plan.stats.solver),
    }
    if peers:
        for name, peer in PEERS.items():
            t0 = time.perf_counter()
            peer_routes = peer(inst, path, seconds, seed)
            took = time.perf_counter() - t0
            d, good, _ = judge_routes(inst, peer_routes)
            # The same independent checker as ours, on the same integer problem.
            good = good and not check(problem, plan_from_routes(problem, peer_routes))
            row[name] = (d, good, took, len(peer_routes))
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
        "--peers", action="store_true", help="also run OR-Tools textbook, PyVRP, VROOM"
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder of .txt files and BKS.csv"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="instances in parallel, one core each")
    args = parser.parse_args(argv)
    bks = read_bks(args.data / "BKS.csv")
    names = [n.strip().upper() for n in args.instances.split(",") if n.strip()] or sorted(bks)
    paths = [args.data / f"{n}.txt" for n in names]
    if args.jobs > 1:
        cores: Queue[int] = Queue()
        available = sorted(os.sched_getaffinity(0))
        for k in range(args.jobs):
            cores.put(available[k % len(available)])
        with ProcessPoolExecutor(args.jobs, initializer=_pin_worker, initargs=(cores,)) as pool:
            futures = [
                pool.submit(run_instance, p, args.time_limit, args.seed, args.peers) for p in paths
            ]
            rows = [f.result() for f in futures]
    else:
        rows = [run_instance(p, args.time_limit, args.seed, args.peers) for p in paths]
    print_table(rows, bks, args.peers)


def print_table(rows: list[Row], bks: dict[str, tuple[int, float]], peers: bool) -> None:
    """The side-by-side table, per-class means, and the closing line."""
    head = f"{'instance':9} {'veh':>4} {'distance':>9} {'bks':>9} {'gap%':>6} {'time':>6} ok"
    if peers:
        head += "".join(f" | {p + ' gap%':>12} {'t':>5}" for p in PEERS)
    print(head)
    gaps: list[float] = []
    peer_gaps: dict[str, list[float]] = {p: [] for p in PEERS}
    by_class: dict[str, list[float]] = {}
    peer_class: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        name = str(row["instance"])
        ref = bks[name][1]
        dist = float(row["distance"])  # type: ignore[arg-type]
        gap = _gap(dist, ref) if math.isfinite(dist) else math.inf
        gaps.append(gap)
        by_class.setdefault(name.rstrip("0123456789"), []).append(gap)
        ok = "yes" if row["feasible"] else f"NO ({row['note']})"
        line = (
            f"{name:9} {row['vehicles']:>4} {dist:9.2f} {ref:9.2f} {gap:6.2f} "
            f"{float(row['time']):6.1f} {ok}"  # type: ignore[arg-type]
        )
        if peers:
            for p in PEERS:
                d, good, took, _ = row[p]  # type: ignore[misc]
                g = _gap(d, ref) if good else math.inf
                peer_gaps[p].append(g)
                peer_class.setdefault((p, name.rstrip("0123456789")), []).append(g)
                line += f" | {g:12.2f} {took:5.1f}"
        print(line)
    for cls, values in sorted(by_class.items()):
        print(f"class {cls}: mean gap {sum(values) / len(values):.2f}% over {len(values)}")
    if peers:
        for p, values in peer_gaps.items():
            feasible = sum(1 for v in values if math.isfinite(v))
            mean = sum(values) / len(values) if values else math.nan
            print(f"peer {p}: mean gap {mean:.2f}% ({feasible}/{len(values)} feasible)")
            for (q, cls), cv in sorted(peer_class.items()):
                if q == p:
                    print(f"  peer {p} class {cls}: mean gap {sum(cv) / len(cv):.2f}%")
    feasible = sum(1 for row in rows if row["feasible"])
    print(f"engine feasible per checker: {feasible}/{len(rows)}")
    mean = sum(gaps) / len(gaps) if gaps else math.nan
    print(f"mean gap to BKS: {mean:.2f}% over {len(gaps)} instances")


if __name__ == "__main__":
    main()
