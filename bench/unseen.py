"""The general path on instances the repository does not hold, one fresh process per case.

    python -m bench.unseen [--only vrptw,weeks,odd] [--cases NAME,...] [--vrptw-seconds 30]

Makes, from fixed seeds, what others will measure the engine on:

- VRPTW instances in Solomon's text format of 200, 400 and 1,000 customers, in the manner of
  the Gehring–Homberger families: random (R), clustered (C) and mixed (RC) coordinates,
  narrow (1) and wide (2) time windows; written to a temporary folder, read back by
  ``bench.solomon_data`` as any Solomon file, planned along the general path
  (``engine="general"``) and by the OR-Tools textbook model (``bench.solomon_peers``) with
  the same time each, one after the other;
- generated weeks S, M and L (``bench.week_data``) with seeds 2 to 5, at ``bench.week``'s
  default budgets;
- odd weeks made from week M seed 2: one volunteer, no volunteer, every request a phone call,
  every request a drop-in, every volunteer with a 30-minute weekly work cap, every request in
  a town 330 km from every volunteer, no request.

Each case runs in its own process (so the peak RSS is that case's), and prints one line: the
solve's wall and CPU seconds against its limit, the independent checker's verdict, the peak
RSS, served, vehicles used, distance, and for VRPTW the textbook model's distance and the
general path's gap to it. Run it under ``taskset -c 1``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.planning import Problem

VRPTW = [
    ("U200-R1", 200, "R", 1),
    ("U200-C2", 200, "C", 2),
    ("U200-RC1", 200, "RC", 1),
    ("U400-R2", 400, "R", 2),
    ("U400-C1", 400, "C", 1),
    ("U400-RC2", 400, "RC", 2),
    ("U1000-R1", 1000, "R", 1),
    ("U1000-C2", 1000, "C", 2),
    ("U1000-RC1", 1000, "RC", 1),
    ("U1000-R1-short", 1000, "R", 1),
]
"""Names ending in ``-short`` get a fifth of the vehicles: many customers are left out, so the
final repair and the explanations face every pair of a left-out customer and a vehicle."""
WEEK_SECONDS = {"S": 5.0, "M": 10.0, "L": 60.0}
WEEKS = [(f"week-{size}-{seed}", size, seed) for size in WEEK_SECONDS for seed in (2, 3, 4, 5)]
ODD = [
    "one-volunteer",
    "no-volunteer",
    "all-phone",
    "all-drop-in",
    "tiny-work-cap",
    "all-far",
    "no-request",
]


@dataclass(frozen=True, slots=True)
class Result:
    case: str
    limit: float
    wall: float
    cpu: float
    verdict: str
    rss_mb: float
    served: str
    vehicles: int
    distance: float
    peer: float = math.nan
    note: str = ""


def write_vrptw(folder: Path, name: str, n: int, family: str, tw: int, seed: int) -> Path:
    """A Solomon-format instance: depot in the middle, customers uniform (R), in clusters
    (C) or half and half (RC); windows a few units wide (1) or a good part of a long horizon
    (2), each reachable from the depot and back; vehicles enough for everyone."""
    rng = random.Random(f"{name}-{seed}")
    side = 100.0 * math.sqrt(n / 100)
    depot = (side / 2, side / 2)
    centres = [(rng.uniform(0, side), rng.uniform(0, side)) for _ in range(max(3, n // 25))]

    def clustered() -> tuple[float, float]:
        cx, cy = rng.choice(centres)
        return (
            min(side, max(0.0, rng.gauss(cx, side / 40))),
            min(side, max(0.0, rng.gauss(cy, side / 40))),
        )

    points = []
    for k in range(n):
        use_cluster = family == "C" or (family == "RC" and k % 2 == 0)
        points.append(clustered() if use_cluster else (rng.uniform(0, side), rng.uniform(0, side)))
    horizon = round(side * (4.0 if tw == 1 else 12.0))
    service = 90 if family == "C" else 10
    capacity = 200 if tw == 1 else 1000
    vehicles = max(25, n // 4) if tw == 1 else max(10, n // 10)
    if name.endswith("-short"):
        vehicles //= 5
    lines = [name, "", "VEHICLE", "NUMBER     CAPACITY", f"  {vehicles}         {capacity}", ""]
    lines += [
        "CUSTOMER",
        "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE TIME",
        "",
    ]
    lines.append(f"    0   {depot[0]:.0f}   {depot[1]:.0f}   0   0   {horizon}   0")
    for k, (x, y) in enumerate(points, start=1):
        x, y = round(x), round(y)
        d = math.ceil(math.hypot(x - depot[0], y - depot[1])) + 1
        latest = horizon - d - service
        centre = rng.randint(d, max(d, latest))
        half = rng.randint(5, 30) if tw == 1 else rng.randint(horizon // 8, horizon // 3)
        ready, due = max(0, centre - half), min(latest, centre + half)
        demand = rng.randint(1, 40)
        lines.append(f"  {k:3d}   {x}   {y}   {demand}   {ready}   {due}   {service}")
    path = folder / f"{name}.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_vrptw(path: Path, seconds: float, seed: int) -> Result:
    from bench.solomon_data import judge_routes
    from bench.solomon_data import plan_from_routes
    from bench.solomon_data import read_instance
    from bench.solomon_data import to_problem
    from bench.solomon_peers import PEERS
    from scheduler.planning import check
    from scheduler.planning import solve

    inst = read_instance(path)
    problem = to_problem(inst, seconds, seed=seed, engine="general")
    t0, c0 = time.perf_counter(), time.process_time()
    plan = solve(problem)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = _rss_mb()
    violations = check(problem, plan)
    routes = [[int(s.visit_id) for s in r.stops] for r in plan.routes if r.stops]
    dist, ok, why = judge_routes(inst, routes)
    verdict = "accepted" if not violations else f"REFUSED: {violations[0].message}"
    peer_routes = PEERS["ortools"](inst, path, seconds, seed)
    pd, pok, _ = judge_routes(inst, peer_routes)
    pok = pok and not check(problem, plan_from_routes(problem, peer_routes))
    served = f"{plan.stats.served}/{plan.stats.requested}"
    return Result(
        inst.name,
        seconds,
        wall,
        cpu,
        verdict,
        rss,
        served,
        len(routes),
        dist if ok else math.nan,
        pd if pok else math.nan,
        why or plan.stats.solver,
    )


def odd_week(kind: str, seed: int = 2) -> Problem:
    """Week M of ``seed`` bent into one of the odd shapes (``ODD``)."""
    from bench.week_data import SIZES
    from bench.week_data import _Generator
    from scheduler.planning import Options
    from scheduler.planning import Problem
    from scheduler.planning import VisitKind
    from scheduler.planning import Window
    from scheduler.planning.travel import GeodesicTravel
    from scheduler.planning.travel import TravelOptions
    from scheduler.planning.travel import build_travel_matrix

    gen = _Generator(SIZES["M"], seed)
    workers, shifts = gen.volunteers()
    visits = gen.requests(workers, shifts)
    if kind in ("one-volunteer", "no-volunteer"):
        keep = {w.id for w in workers[: 1 if kind == "one-volunteer" else 0]}
        workers = [w for w in workers if w.id in keep]
        shifts = [s for s in shifts if s.worker_id in keep]
        names = {s.id for s in shifts}
        visits = [
            replace(
                v,
                pins=tuple(p for p in v.pins if p.shift_id in names),
                series_worker_id=v.series_worker_id if v.series_worker_id in keep else None,
                previous_worker_id=v.previous_worker_id if v.previous_worker_id in keep else None,
            )
            for v in visits
        ]
    elif kind == "all-phone":
        visits = [
            replace(
                v,
                kind=VisitKind.PHONE,
                location=None,
                staff_needed=1,
                needs_car=False,
                duration_min=min(v.duration_min, 45),
                pins=(),
            )
            for v in visits
        ]
    elif kind == "all-drop-in":
        sites = sorted({v.location for v in visits if v.kind is VisitKind.DROP_IN})
        visits = [
            replace(
                v,
                kind=VisitKind.DROP_IN,
                location=sites[k % len(sites)],
                staff_needed=1 + k % 2,
                windows=(Window(v.windows[0].start, v.windows[0].start + 60),),
                duration_min=60,
                series_id=None,
                series_worker_id=None,
                pins=(),
            )
            for k, v in enumerate(visits)
        ]
    elif kind == "tiny-work-cap":
        workers = [replace(w, max_work_min_per_week=30) for w in workers]
    elif kind == "all-far":
        far = []
        for _ in visits:
            town = gen.towns[len(far) % len(gen.towns)]
            far.append(gen.place(replace(town, lat=town.lat + 3.0), 3.0))
        visits = [
            replace(v, kind=VisitKind.HOME, location=far[k], staff_needed=1, pins=())
            for k, v in enumerate(visits)
        ]
    elif kind == "no-request":
        visits = []
    travel_options = TravelOptions(zone_speed_kmh={"urban": 35.0, "rural": 70.0})
    model = GeodesicTravel(
        travel_options.detour_factor, travel_options.speed_kmh, travel_options.zone_speed_kmh
    )
    matrix = build_travel_matrix(gen.places, model, travel_options)
    options = Options(time_limit_s=WEEK_SECONDS["M"], seed=seed)
    return Problem(tuple(gen.places), matrix, tuple(workers), tuple(shifts), tuple(visits), options)


def run_week(case: str, size: str, seed: int) -> Result:
    from bench.week_data import generate_week
    from scheduler.planning import Options
    from scheduler.planning import check
    from scheduler.planning import solve

    if size == "odd":
        problem = odd_week(case)
    else:
        problem = generate_week(size, seed, Options(time_limit_s=WEEK_SECONDS[size], seed=seed))
    limit = problem.options.time_limit_s
    t0, c0 = time.perf_counter(), time.process_time()
    plan = solve(problem)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = _rss_mb()
    violations = check(problem, plan)
    verdict = "accepted" if not violations else f"REFUSED: {violations[0].message}"
    s = plan.stats
    return Result(
        case,
        limit,
        wall,
        cpu,
        verdict,
        rss,
        f"{s.served}/{s.requested} ({s.seats_filled}/{s.seats_requested} seats)",
        sum(1 for r in plan.routes if r.stops),
        s.metres / 1000,
        note=s.solver,
    )


def _guard(fn, *args) -> Result:  # type: ignore[no-untyped-def]
    try:
        return fn(*args)  # type: ignore[no-any-return]
    except Exception as exc:  # noqa: BLE001 - a crash is a result here
        traceback.print_exc()
        return Result(
            str(args[0]),
            math.nan,
            math.nan,
            math.nan,
            f"CRASH {exc!r}"[:80],
            _rss_mb(),
            "",
            0,
            math.nan,
        )


def print_row(r: Result) -> None:
    over = r.wall - r.limit
    past = f"+{over:.1f}" if over > 0 else "ok"
    gap = 100 * (r.distance / r.peer - 1) if math.isfinite(r.peer) else math.nan
    peer = f"{r.peer:10.1f} {gap:+7.2f}%" if math.isfinite(r.peer) else f"{'':10} {'':8}"
    print(
        f"{r.case:16} {r.limit:5.0f} {r.wall:6.1f} {past:>6} {r.cpu:6.1f} {r.rss_mb:6.0f} "
        f"{r.served:26} {r.vehicles:4d} {r.distance:10.1f} {peer} {r.verdict} ({r.note})",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.unseen", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--only", default="vrptw,weeks,odd")
    parser.add_argument("--cases", default="", help="comma-separated case names (default: all)")
    parser.add_argument("--vrptw-seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    groups = set(args.only.split(","))
    wanted = {c for c in args.cases.split(",") if c}
    folder = Path(tempfile.mkdtemp(prefix="unseen-"))
    jobs: list[tuple[object, tuple[object, ...]]] = []
    if "vrptw" in groups:
        for name, n, family, tw in VRPTW:
            if not wanted or name in wanted:
                path = write_vrptw(folder, name, n, family, tw, args.seed)
                jobs.append((run_vrptw, (path, args.vrptw_seconds, args.seed)))
    if "weeks" in groups:
        jobs += [
            (run_week, (c, size, seed)) for c, size, seed in WEEKS if not wanted or c in wanted
        ]
    if "odd" in groups:
        jobs += [(run_week, (c, "odd", 2)) for c in ODD if not wanted or c in wanted]
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(
        f"{'case':16} {'limit':>5} {'wall':>6} {'past':>6} {'cpu':>6} {'rss MB':>6} "
        f"{'served':26} {'veh':>4} {'distance':>10} {'OR-Tools':>10} {'gap':>8} checker (solver)"
    )
    for fn, fargs in jobs:
        with ProcessPoolExecutor(1, max_tasks_per_child=1) as pool:
            print_row(pool.submit(_guard, fn, *fargs).result())
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
