"""Re-planning modes, locked volunteer-days, and the difference a dispatcher reviews."""

from __future__ import annotations

from scheduler.planning import ChangeKind
from scheduler.planning import Changes
from scheduler.planning import Plan
from scheduler.planning import Problem
from scheduler.planning import Reason
from scheduler.planning import ReplanMode
from scheduler.planning import VisitKind
from scheduler.planning import check
from scheduler.planning import replan
from scheduler.planning import solve
from tests.planning.builders import at
from tests.planning.builders import make_problem
from tests.planning.builders import make_shift
from tests.planning.builders import make_visit
from tests.planning.builders import make_worker

MORNING = [(at(0, "08:00"), at(0, "10:00"))]


def two_volunteers() -> tuple[Problem, Plan]:
    """``a`` is published on w1's short Monday morning; w2 (farther) could take it too.
    An urgent ``e`` that only w1 can serve that morning arrives afterwards."""
    problem = make_problem(
        [0, 2, 3, 30],
        [make_worker("w1", 0, languages=frozenset({"fr", "ar"})), make_worker("w2", 3)],
        [
            make_shift("w1-mon", "w1", end=at(0, "10:00")),
            make_shift("w2-mon", "w2", location=3),
        ],
        [make_visit("a", 1, windows=[(at(0, "08:00"), at(0, "17:00"))])],
    )
    published = solve(problem)
    assert published.route_of("w1-mon") is not None
    return problem, published


URGENT = make_visit("e", 2, priority=3, windows=MORNING, languages=frozenset({"ar"}))


def placed(plan: Plan) -> dict[str, tuple[str, int]]:
    return {s.visit_id: (r.shift_id, s.start) for r in plan.routes for s in r.stops}


def test_keep_mode_moves_no_published_visit_and_explains_what_does_not_fit() -> None:
    problem, published = two_volunteers()
    result = replan(problem, published, Changes(added=(URGENT,)), mode=ReplanMode.KEEP)
    assert check(result.problem, result.plan) == []
    assert placed(result.plan)["a"] == placed(published)["a"]
    assert [c.kind for c in result.diff.of_visit("a")] == [ChangeKind.UNCHANGED]
    (left,) = result.plan.unassigned
    assert left.visit_id == "e" and left.reason is Reason.CAPACITY


def test_move_unconfirmed_mode_moves_an_unconfirmed_visit_to_make_room() -> None:
    problem, published = two_volunteers()
    result = replan(problem, published, Changes(added=(URGENT,)))
    assert check(result.problem, result.plan) == []
    kinds = {c.visit_id: c.kind for c in result.diff.changes}
    assert kinds == {"a": ChangeKind.MOVED, "e": ChangeKind.ADDED}
    (moved,) = result.diff.of_visit("a")
    assert moved.before is not None and moved.before[0] == "w1-mon"
    assert moved.after is not None and moved.after[0] == "w2-mon"


def test_confirmed_visits_stay_in_every_mode() -> None:
    problem, published = two_volunteers()
    for mode in ReplanMode:
        result = replan(problem, published, Changes(added=(URGENT,)), frozenset({"a"}), mode=mode)
        assert check(result.problem, result.plan) == [], mode
        assert placed(result.plan)["a"] == placed(published)["a"], mode


def test_free_mode_replans_everything_unconfirmed_and_charges_each_move() -> None:
    problem, published = two_volunteers()
    result = replan(problem, published, Changes(added=(URGENT,)), mode=ReplanMode.FREE)
    assert check(result.problem, result.plan) == []
    assert placed(result.plan)["a"][0] == "w2-mon"
    assert placed(result.plan)["e"][0] == "w1-mon"


def test_a_locked_volunteer_day_keeps_its_route_as_it_is() -> None:
    problem, published = two_volunteers()
    result = replan(
        problem,
        published,
        Changes(added=(URGENT,)),
        mode=ReplanMode.FREE,
        locked_shifts=frozenset({"w1-mon"}),
    )
    assert check(result.problem, result.plan) == []
    route = result.plan.route_of("w1-mon")
    assert route is not None
    assert [(s.visit_id, s.start) for s in route.stops] == [
        (s.visit_id, s.start)
        for s in published.route_of("w1-mon").stops  # type: ignore[union-attr]
    ]
    assert {u.visit_id for u in result.plan.unassigned} == {"e"}


def test_diff_tells_new_moved_dropped_with_reason_and_unchanged() -> None:
    problem = make_problem(
        [0, 2, 4, 6],
        [make_worker("w1", 0)],
        [make_shift("s1", "w1"), make_shift("s2", "w1", day=1)],
        [
            make_visit("stay", 1),
            make_visit("go", 2, windows=[(at(0, "08:00"), at(1, "17:00"))]),
            make_visit("gone", 3),
        ],
    )
    published = solve(problem)
    assert published.stats.served == 3
    # Monday shrinks to the morning: only one visit fits there now; "gone" has no other day.
    narrower = make_problem(
        [0, 2, 4, 6],
        [make_worker("w1", 0)],
        [make_shift("s1", "w1", end=at(0, "09:30")), make_shift("s2", "w1", day=1)],
        list(problem.visits),
    )
    new = make_visit("new", 1, windows=[(at(1, "08:00"), at(1, "17:00"))])
    result = replan(narrower, published, Changes(added=(new,)), mode=ReplanMode.FREE)
    assert check(result.problem, result.plan) == []
    kinds = {c.visit_id: c.kind for c in (*result.diff.changes, *result.diff.unchanged)}
    assert kinds["new"] is ChangeKind.ADDED
    assert ChangeKind.REMOVED in kinds.values()
    dropped = [c for c in result.diff.changes if c.kind is ChangeKind.REMOVED]
    for change in dropped:
        assert change.reason is not None and change.before is not None
    assert result.diff.count(ChangeKind.UNCHANGED) == len(result.diff.unchanged)


def test_a_cancelled_visit_is_dropped_without_a_reason() -> None:
    problem, published = two_volunteers()
    result = replan(problem, published, Changes(cancelled=frozenset({"a"})))
    (change,) = result.diff.changes
    assert change.kind is ChangeKind.REMOVED and change.reason is None


def test_a_drop_in_seat_on_a_locked_day_pins_that_seat_alone() -> None:
    """w1 and w2 staff Monday's 9:00 drop-in; w1's day is locked. A call in Arabic that only
    w2 can take then comes in, and w3 is free: freely re-planned, w1 keeps the seat on the
    locked day, while w2's seat (on a day nobody locked) goes to w3 so that w2 takes the
    call. Locking one seat used to pin every seat of the drop-in, and the call waited."""
    nine = [(at(0, "09:00"), at(0, "10:00"))]
    drop_in = make_visit("d", 1, kind=VisitKind.DROP_IN, staff_needed=2, windows=nine)
    short = {"start": at(0, "09:00"), "end": at(0, "10:30")}
    arabic = frozenset({"fr", "ar"})
    workers = [make_worker("w1", 1), make_worker("w2", 1, languages=arabic)]
    shifts = [make_shift("w1-mon", "w1", location=1, **short)]
    shifts.append(make_shift("w2-mon", "w2", location=1, **short))
    before = make_problem([0, 0], workers, shifts, [drop_in])
    published = solve(before)
    assert {r.shift_id for r in published.routes if r.stops} == {"w1-mon", "w2-mon"}
    later = make_problem(
        [0, 0],
        [*workers, make_worker("w3", 1)],
        [*shifts, make_shift("w3-mon", "w3", location=1, **short)],
        [drop_in],
    )
    call = make_visit(
        "e", None, duration_min=45, priority=3, windows=nine, languages=frozenset({"ar"})
    )
    result = replan(
        later,
        published,
        Changes(added=(call,)),
        mode=ReplanMode.FREE,
        locked_shifts=frozenset({"w1-mon"}),
    )
    assert check(result.problem, result.plan) == []
    seats = {r.shift_id for r in result.plan.routes for s in r.stops if s.visit_id == "d"}
    assert seats == {"w1-mon", "w3-mon"}
    assert placed(result.plan)["e"][0] == "w2-mon"
