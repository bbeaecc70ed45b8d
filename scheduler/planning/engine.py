"""``solve``: from a :class:`Problem` to a :class:`Plan`.

Steps: judge every visit alone (reasons for the impossible ones), build one seat per
volunteer needed, route the seats (PyVRP for plain VRPTW weeks; else a greedy start, then the
week's OR-Tools model up to ``GLOBAL_SEATS`` seats, or making room and per-day OR-Tools sweeps
above), then repair, time and explain in pure Python. ``docs/planning.md`` tells the whole
story.
"""

from __future__ import annotations

import time

from scheduler.planning.deadline import Deadline
from scheduler.planning.decompose import improve_by_day
from scheduler.planning.decompose import pyvrp_days
from scheduler.planning.draft import Draft
from scheduler.planning.exchange import exchange
from scheduler.planning.explain import RepairClock
from scheduler.planning.explain import build_plan
from scheduler.planning.explain import repair as repair_draft
from scheduler.planning.greedy import greedy_start
from scheduler.planning.local import improve_routes
from scheduler.planning.plan import Plan
from scheduler.planning.polish import polish
from scheduler.planning.portfolio import is_plain_vrptw
from scheduler.planning.portfolio import solve_plain
from scheduler.planning.precheck import clip_to_deadlines
from scheduler.planning.precheck import precheck
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Visit
from scheduler.planning.progress import OnBetter
from scheduler.planning.progress import Progress
from scheduler.planning.regroup import regroup
from scheduler.planning.room import make_room
from scheduler.planning.ruin import ruin_and_recreate
from scheduler.planning.schedule import Index
from scheduler.planning.seats import make_seats
from scheduler.planning.settled import settled
from scheduler.planning.solver import Seat
from scheduler.planning.solver import route_week
from scheduler.planning.stage_clock import StageClock


def solve(
    problem: Problem,
    initial: Plan | None = None,
    *,
    repair: bool = True,
    deadline: Deadline | None = None,
    on_better: OnBetter | None = None,
) -> Plan:
    """Plan the week.

    Repeatable: the same problem with the same ``options.seed`` and ``options.solution_limit``
    gives the same plan. Without a solution limit, ``options.time_limit_s`` bounds the
    search and the result may vary with machine load.

    :param initial: a plan to start the search from (re-planning); its stops that still
        exist seed the routes.
    :param repair: insert what the search left out where a place remains. ``False`` returns
        the search's own routes, and raises if one of them cannot be timed (tests use it to
        check the model itself).
    :param deadline: when the whole run must end; by default ``options.time_limit_s`` from now.
    :param on_better: told each better plan the search finds, then the plan returned (see
        :mod:`scheduler.planning.progress`); it changes nothing of the result.
    """
    if deadline is None:
        deadline = Deadline.after(problem.options.time_limit_s)
    if problem.options.engine not in ENGINES:
        raise ValueError(f"unknown engine {problem.options.engine!r}")
    originals: dict[str, Visit] = {}
    if problem.options.hard_deadlines:
        problem, originals = clip_to_deadlines(problem)
    cpu: dict[str, tuple[float, float]] = {}
    with StageClock(cpu)("precheck"):
        idx = Index(problem)
        verdicts = precheck(problem, idx, originals)
        seats, conflicts = make_seats(problem, idx, verdicts)
    solver = "general"
    plain = problem.options.engine == "auto" and is_plain_vrptw(problem, seats)
    if initial is None and plain:
        seqs = solve_plain(problem, seats, _reserve(deadline))
        if seqs is not None:
            draft = Draft.start(problem, idx, seats, seqs)
            draft.stage_cpu = cpu
            return _told(
                build_plan(draft, seats, verdicts, conflicts, "pyvrp", repair, deadline.at),
                on_better,
            )
        # PyVRP gave up without serving everyone: the general path gets the rest of the time.
        solver = "general after pyvrp"
    draft = _search(problem, idx, seats, initial, repair, deadline, cpu, on_better)
    # The final repair stops at the run's deadline (``explain.build_plan``).
    plan = build_plan(draft, seats, verdicts, conflicts, solver, repair, deadline.at)
    return _told(plan, on_better)


def _told(plan: Plan, on_better: OnBetter | None) -> Plan:
    """Tell the listener the plan returned: the repair may place more than the search."""
    if on_better is not None:
        placed = frozenset(s.visit_id for r in plan.routes for s in r.stops)
        on_better(Progress(placed, plan.stats.metres, plan.stats.objective))
    return plan


def _tell(on_better: OnBetter | None, draft: Draft, seats: list[Seat], objective: int) -> None:
    if on_better is None:
        return
    placed = frozenset(visit_id for visit_id, _ in draft.where)
    metres = sum(draft.timings[s.id].metres for s in draft.problem.shifts if draft.routes[s.id])
    on_better(Progress(placed, metres, objective))


ENGINES = ("auto", "ortools", "general")
"""``auto``: PyVRP for plain VRPTW weeks, else the general path. ``general`` (or its older
name ``ortools``): always the general path."""
GLOBAL_SEATS = 150
"""Up to this many seats the OR-Tools stage is one model of the whole week; above, one day at
a time."""
RESERVE = 0.1
"""Share of the time left kept for the repair, the timing and the explanations."""
STALE_ROUNDS = 3
"""The search has converged after this many rounds in a row without a better plan."""
TIGHTEN_GROWTH = 2.0
"""A tightening that improved the plan makes the next one this many times longer (up to half
of the time left); one that did not, this many times shorter (down to the base). Short
slices between rounds of ruin and recreate beat one long guided local search from the first
round's plan on small weeks: 12 Solomon instances at 30 s, 2.33 % and 2.56 % against 3.58 %
(ruin and recreate up to half of the time, then the model to the end) and 3.91 % (a fifth,
then the model); ``docs/planning.md``, fifth session."""
GREEDY_SHARE = 0.25
"""The share of the search's time the greedy start may take (a large week on a slow core):
the seats it has not reached are left to the search and the final repair."""
RUIN_SHARE = 0.5
"""The share of the time left that one round of ruin and recreate may take."""
EXCHANGE_SHARE = 0.0
"""The share of the time left that one pass of the exchange search (``exchange.py``) may
take, after the making room that follows each tightening on a large week; 0 leaves it out.
Off by default: with 0.1, weeks M and L served no more (M 346.4 requests on average against
347.0, L 1,310 against 1,317.5; ``docs/planning.md``, fourth session). Never before the first
round of ruin and recreate: there, on week L, a pass took 9.7 s of CPU for 5 seats where ruin
and recreate placed 23 in 14.6 s. ``bench.week_seeds --set engine.EXCHANGE_SHARE=0.1``
measures it."""
REGROUP_SHARE = 0.0
"""The share of the time left that re-planning groups of neighbouring volunteers together
(``regroup.py``) may take after the making room that follows each tightening on a large week;
0 leaves it out. Off by default: with 0.2, week M at 10 s of CPU served 343.2 requests on
average over six search seeds against 343.7 without (``docs/planning.md``, fifth session):
its groups lower the travel but serve no more, and ruin and recreate, which serves more, gets
less time. ``bench.week_seeds --set engine.REGROUP_SHARE=0.2`` measures it."""
REGROUP_TAIL = 0.0
"""The share of a large week's search time kept at its end for re-planning groups of
neighbouring volunteers together (``regroup.py``); 0 leaves it out. Off by default: with
0.15, week M at 10 s of CPU served 343.0 and 342.3 on average against 344.7 and 344.0 without
(fifth session). ``bench.week_seeds --set engine.REGROUP_TAIL=0.15`` measures it."""
ROOM_SHARE = 0.25
"""The share of the time left that one pass of making room (``room.py``) may take on a large
week (before each round of ruin and recreate, and after each tightening)."""
LOCAL_SHARE = 0.1
"""The share of the time left that the local search inside routes may take after a round."""
POLISH_SHARE = 0.0
"""The share of the time left that moving seats between routes (``polish.py``: relocate, swap,
chains of two) may take after each round's local search, on a week of at most
``POLISH_PAIRS`` pairs of a seat and a candidate shift; 0 leaves it out. Off by default: on
the demo week at 3 s of CPU, 0.5 reached the best-known objective on 3 runs of 12 against 1
without, but the mean was the same (77,231,680 against 77,231,718; ``docs/planning.md``,
sixth session). ``bench.week_seeds --set engine.POLISH_SHARE=0.5`` measures it."""
POLISH_PAIRS = 1000
"""Moving seats between routes runs (when ``POLISH_SHARE`` turns it on) on weeks of at most
this many pairs of a seat and a candidate shift: the demo week has 598, week S 218, a Solomon
instance 2,500 (every vehicle may take every customer), where the chains are many trials and
the moves gained nothing (12 instances at 30 s, two alternated passes: 2.88 % and 2.53 %
against 2.46 % and 2.98 % without; sixth session)."""
TIGHTEN_SECONDS_PER_SEAT = 0.02
"""Time given to each OR-Tools tightening, per seat (at least half a second, at most half of
what is left)."""
SMALL_SCRATCH_SHARE = 0.0
"""On a small week (up to ``GLOBAL_SEATS`` seats), the share of the search's time given first
to the OR-Tools model alone, from its own first solution; its plan replaces the greedy
start's if better. Off by default: with 0.35 on 12 Solomon instances at 30 s (general path
without PyVRP days) the mean gap was 2.55 % against 2.33 % and 2.56 % without (R112 0.41 %
against 1.79 % and 2.08 %, R201 6.22 % against 3.85 % and 3.53 %), and week S lost its
+0.00 % on two search seeds of three (+0.01 %); ``docs/planning.md``, fifth session.
``bench.solomon --set engine.SMALL_SCRATCH_SHARE=0.35`` measures it."""


def _reserve(until: Deadline) -> Deadline:
    """The search's own deadline: the run's, less a share kept for building the plan."""
    return until.share(1.0 - RESERVE)


def _search(
    problem: Problem,
    idx: Index,
    seats: list[Seat],
    initial: Plan | None,
    repair: bool,
    until: Deadline,
    cpu: dict[str, tuple[float, float]],
    on_better: OnBetter | None = None,
) -> Draft:
    """The general path.

    A greedy start (cheapest insertion, most pressing first, completing the published routes
    when re-planning), PyVRP on the days it expresses exactly, then rounds of: ruin and
    recreate until it converges or has spent ``RUIN_SHARE`` of the time left (each round
    with its own random stream), and an OR-Tools
    tightening from its best plan (the week's model up to ``GLOBAL_SEATS`` seats, else one
    sweep of the days, with making room for left-out requests across volunteers, then the
    exchange search's chains of hand-overs when ``EXCHANGE_SHARE`` turns it on, and groups of
    neighbouring volunteers re-planned together when ``REGROUP_SHARE`` or ``REGROUP_TAIL``
    does). The search
    stops at the deadline, or after ``STALE_ROUNDS`` rounds in a row that bring no better
    plan (the convergence rule), or, re-planning a small week, once it is settled.
    """
    deadline = _reserve(until).at
    start = _initial_routes(problem, seats, initial)
    if not repair:
        seqs = route_week(problem, idx, seats, start, deadline) or [[] for _ in problem.shifts]
        return Draft.start(problem, idx, seats, seqs, strict=True)
    clock = StageClock(cpu)
    draft = Draft.start(problem, idx, seats, start or [[] for _ in problem.shifts])
    with clock("greedy start"):
        greedy_start(draft, seats, _share(deadline, GREEDY_SHARE))
    # The final repair offers the seats still left out to every candidate shift. Before each
    # stage the search measures what that would take now (``RepairClock``) and ends its
    # stages so much before the run's deadline, so that a large week ends on time.
    repair_clock = RepairClock(draft, seats)
    search_end = deadline

    def ends() -> float:
        with clock("repair estimate"):
            final = repair_clock.seconds(draft)
        return max(time.monotonic(), min(search_end, until.at - final))

    deadline = ends()
    if problem.options.pyvrp_days:
        with clock("pyvrp days"):
            pyvrp_days(draft, seats, _share(deadline, 0.5), deadline)
    big = len(seats) > GLOBAL_SEATS
    full_end = search_end
    if big and REGROUP_TAIL > 0:
        # The last part of a large week's search re-plans groups of volunteers (below).
        search_end = _share(deadline, 1.0 - REGROUP_TAIL)
        deadline = ends()
    best = _objective(draft, seats)
    _tell(on_better, draft, seats, best)
    if not big and SMALL_SCRATCH_SHARE > 0:
        with clock("tightening"):
            draft, _ = _tighten(
                problem, idx, seats, draft, _share(deadline, SMALL_SCRATCH_SHARE), scratch=True
            )
        best = _objective(draft, seats)
    polished = not big and POLISH_SHARE > 0 and sum(len(s.shifts) for s in seats) <= POLISH_PAIRS
    stale = rounds = 0
    growth = 1.0
    while time.monotonic() < deadline and stale < STALE_ROUNDS:
        deadline = ends()
        if big:
            # Weekly caps bind in a large week: serve left-out requests by moving a seat of a
            # full volunteer to another one.
            with clock("making room"):
                make_room(draft, seats, _share(deadline, ROOM_SHARE))
        # One round of ruin and recreate may not converge in the time (a large week, a slow
        # core): it gets a share of what is left, so that the tightening runs too.
        with clock("ruin and recreate"):
            ruin_end = _share(deadline, RUIN_SHARE)
            ruin_and_recreate(draft, seats, ruin_end, rounds)
            converged = time.monotonic() < ruin_end
        with clock("local search"):
            # 2-opt and or-opt inside each route (local.py): cheap, and ruin and recreate,
            # which re-inserts one stop at a time, leaves such moves on long routes.
            improve_routes(draft, _share(deadline, LOCAL_SHARE))
        if polished:
            with clock("polish"):
                polish(draft, seats, _share(deadline, POLISH_SHARE))
        rounds += 1
        deadline = ends()
        if time.monotonic() >= deadline:
            break
        if initial is not None and not big and converged and _objective(draft, seats) >= best:
            if settled(draft, seats):  # a repair with nothing left to gain (settled.py)
                break
        left = deadline - time.monotonic()
        seconds = min(left / 2, max(0.5, growth * TIGHTEN_SECONDS_PER_SEAT * len(seats)))
        if problem.options.solution_limit is not None:
            # Repeatable runs: the solution count stops OR-Tools, the time only guards.
            seconds = left / 2
        if big:
            with clock("tightening"):
                improve_by_day(draft, seats, time.monotonic() + seconds, sweeps=1)
            deadline = ends()
            with clock("making room"):
                make_room(draft, seats, _share(deadline, ROOM_SHARE))
            if EXCHANGE_SHARE > 0:
                deadline = ends()
                with clock("exchange"):
                    exchange(draft, seats, _share(deadline, EXCHANGE_SHARE))
            if REGROUP_SHARE > 0:
                deadline = ends()
                with clock("regroup"):
                    regroup(draft, seats, _share(deadline, REGROUP_SHARE), rounds)
        else:
            with clock("tightening"):
                draft, better = _tighten(problem, idx, seats, draft, time.monotonic() + seconds)
            # Guided local search keeps improving where ruin and recreate has stalled
            # (tight windows): give it longer while it wins, shorter when it does not.
            growth = growth * TIGHTEN_GROWTH if better else max(1.0, growth / TIGHTEN_GROWTH)
        now = _objective(draft, seats)
        stale = 0 if now < best else stale + 1
        if now < best:
            _tell(on_better, draft, seats, now)
        best = min(best, now)
    if big and REGROUP_TAIL > 0:
        search_end = full_end
        deadline = ends()
        with clock("regroup"):
            if regroup(draft, seats, deadline, rounds):
                _tell(on_better, draft, seats, _objective(draft, seats))
    draft.stage_cpu = cpu
    return draft


def _tighten(
    problem: Problem,
    idx: Index,
    seats: list[Seat],
    draft: Draft,
    until: float,
    scratch: bool = False,
) -> tuple[Draft, bool]:
    """The OR-Tools model of the whole week, started from the draft (or, with ``scratch``,
    from its own first solution); its plan (repaired) replaces the draft only if the
    objective improves."""
    number = {(s.task[0].id, s.task[1]): k for k, s in enumerate(seats)}
    first: list[list[int]] | None = [
        [number[(v.id, k)] for v, k in draft.routes[s.id]] for s in problem.shifts
    ]
    if scratch:
        first = None
    found = route_week(problem, idx, seats, first, until)
    if found is None:
        return draft, False
    other = Draft.start(problem, idx, seats, found)
    repair_draft(other, [s for s in seats if (s.task[0].id, s.task[1]) not in other.where])
    if _objective(other, seats) < _objective(draft, seats):
        return other, True
    return draft, False


def _share(deadline: float, fraction: float) -> float:
    """A point ``fraction`` of the way from now to ``deadline`` (monotonic seconds)."""
    now = time.monotonic()
    return now + max(0.0, deadline - now) * fraction


def _objective(draft: Draft, seats: list[Seat]) -> int:
    cost = sum(draft.cost_of(s) for s in draft.problem.shifts if draft.routes[s.id])
    return cost + sum(s.penalty for s in seats if (s.task[0].id, s.task[1]) not in draft.where)


def _initial_routes(
    problem: Problem, seats: list[Seat], initial: Plan | None
) -> list[list[int]] | None:
    if initial is None:
        return None
    number = {(s.task[0].id, s.task[1]): k for k, s in enumerate(seats)}
    routes: list[list[int]] = []
    for shift in problem.shifts:
        route = initial.route_of(shift.id)
        seq: list[int] = []
        if route is not None:
            for stop in route.stops:
                k = number.get((stop.visit_id, stop.seat))
                if k is not None and shift.id in seats[k].shifts:
                    seq.append(k)
        routes.append(seq)
    return routes
