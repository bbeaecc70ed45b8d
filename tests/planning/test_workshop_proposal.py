"""Series proposals: hand-checked cases, reasons for everyone left out, and random instances
whose proposals never need more laptops than are free and always pass the checker.

Places sit on a line (one km and one minute per unit, see ``builders``): 0 is the leaders'
office, 10 Wickham, 30 Saint-Majorique, 60 Saint-Félix.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from scheduler.planning import Location
from scheduler.planning import Person
from scheduler.planning import Place
from scheduler.planning import Reason
from scheduler.planning import Slot
from scheduler.planning import Window
from scheduler.planning import WorkshopProblem
from scheduler.planning import check_proposal
from scheduler.planning import propose
from scheduler.planning.workshops import Shift
from tests.planning.builders import at
from tests.planning.builders import line_travel
from tests.planning.builders import make_shift
from tests.planning.builders import make_worker

POSITIONS = [0, 10, 30, 60]
TUESDAY_PM = Slot("tue-pm", Window(at(1, "13:30"), at(1, "15:30")))
THURSDAY_PM = Slot("thu-pm", Window(at(3, "13:30"), at(3, "15:30")))
PLACES = (Place("wickham", "Wickham", 1), Place("majorique", "Saint-Majorique", 2))


def person(pid: str, location: int, *slots: Slot, max_km: float | None = 20) -> Person:
    return Person(pid, location, tuple(s.window for s in slots), max_km)


def problem(**kw: object) -> WorkshopProblem:
    defaults: dict[str, object] = {
        "locations": tuple(Location(str(i), 46.0, -72.0 + i / 100) for i in range(len(POSITIONS))),
        "travel": line_travel(POSITIONS),
        "places": PLACES,
        "slots": (TUESDAY_PM, THURSDAY_PM),
        "people": (),
        "leaders": (make_worker("anne", max_km_per_day=100),),
        "shifts": (
            make_shift("anne-tue", "anne", day=1, capacity=8),
            make_shift("anne-thu", "anne", day=3, capacity=8),
        ),
        "laptops_free": {1: 8, 3: 8},
        "capacity": 3,
        "laptops_per_session": 8,
        "time_limit_s": 5,
    }
    defaults.update(kw)
    return WorkshopProblem(**defaults)  # type: ignore[arg-type]


def test_a_series_goes_where_most_people_wait_and_takes_them():
    people = (
        person("a", 1, TUESDAY_PM),
        person("b", 1, TUESDAY_PM),
        person("c", 2, TUESDAY_PM),
    )
    p = problem(people=people, laptops_free={1: 8, 3: 0}, capacity=8)
    proposal = propose(p)
    assert check_proposal(p, proposal) == []
    # Wickham (10 km) and Saint-Majorique (30 km) are 20 km apart: c can reach Wickham.
    assert [(s.place_id, s.slot_id, s.leader_ids) for s in proposal.series] == [
        ("wickham", "tue-pm", ("anne",))
    ]
    assert sorted(proposal.series[0].people) == ["a", "b", "c"]
    assert proposal.left_out == ()


def test_no_series_on_a_day_without_enough_free_laptops_and_the_reason_says_so():
    people = (person("a", 2, THURSDAY_PM, max_km=5), person("b", 2, TUESDAY_PM, max_km=5))
    p = problem(people=people, laptops_free={1: 8, 3: 5})
    proposal = propose(p)
    assert check_proposal(p, proposal) == []
    assert [s.slot_id for s in proposal.series] == ["tue-pm"]
    (left,) = proposal.left_out
    assert left.person_id == "a"
    assert left.reason is Reason.CAPACITY
    assert left.detail["bound"] == "load"
    assert (left.detail["place"], left.detail["day"]) == ("majorique", 3)
    assert (left.detail["free"], left.detail["needed"]) == (5, 8)


def test_a_place_beyond_every_leaders_km_limit_is_explained_with_the_place_and_day():
    far = Place("felix", "Saint-Félix", 3)
    people = (person("a", 3, TUESDAY_PM, max_km=5),)
    p = problem(
        places=(*PLACES, far), people=people, leaders=(make_worker("anne", max_km_per_day=100),)
    )
    proposal = propose(p)
    assert proposal.series == ()
    (left,) = proposal.left_out
    assert left.reason is Reason.BEYOND_KM_LIMIT
    assert left.detail["who"] == "leader"
    assert (left.detail["place"], left.detail["day"], left.detail["km"]) == ("felix", 1, 120.0)


def test_people_free_at_no_proposed_time_or_too_far_from_every_place_get_their_own_reason():
    monday = Window(at(0, "09:00"), at(0, "12:00"))
    people = (Person("a", 3, (monday,), 20), person("b", 3, TUESDAY_PM, max_km=5))
    p = problem(people=people, places=PLACES)
    proposal = propose(p)
    reasons = {left.person_id: (left.reason, left.detail.get("who")) for left in proposal.left_out}
    assert reasons == {
        "a": (Reason.NO_AVAILABILITY, "person"),
        "b": (Reason.BEYOND_KM_LIMIT, "person"),
    }


def test_a_full_series_leaves_the_rest_out_with_seats_as_the_bound():
    people = tuple(person(f"p{i}", 1, TUESDAY_PM, max_km=5) for i in range(5))
    p = problem(people=people, capacity=3, slots=(TUESDAY_PM,))
    proposal = propose(p)
    assert check_proposal(p, proposal) == []
    assert proposal.reached == 3
    assert Counter(left.detail["bound"] for left in proposal.left_out) == {"seats": 2}
    # The first ones waiting get the seats.
    assert proposal.series[0].people == ("p0", "p1", "p2")


def test_the_laptops_are_carried_by_the_leaders_shifts():
    # Anne carries 4, Brigitte 4: a session of 8 laptops needs both (two leaders per session).
    leaders = (make_worker("anne"), make_worker("brigitte"))
    shifts: tuple[Shift, ...] = (
        make_shift("anne-tue", "anne", day=1, capacity=4),
        make_shift("brigitte-tue", "brigitte", day=1, capacity=4),
    )
    people = (person("a", 1, TUESDAY_PM),)
    one = problem(people=people, leaders=leaders, shifts=shifts, slots=(TUESDAY_PM,))
    assert propose(one).series == ()
    two = problem(
        people=people, leaders=leaders, shifts=shifts, slots=(TUESDAY_PM,), leaders_per_session=2
    )
    proposal = propose(two)
    assert check_proposal(two, proposal) == []
    assert sorted(proposal.series[0].leader_ids) == ["anne", "brigitte"]


def test_the_checker_catches_a_proposal_needing_more_laptops_than_free():
    people = (person("a", 1, TUESDAY_PM),)
    p = problem(people=people, slots=(TUESDAY_PM,))
    proposal = propose(p)
    assert proposal.series
    fewer = problem(people=people, slots=(TUESDAY_PM,), laptops_free={1: 7})
    assert "laptops" in {v.rule for v in check_proposal(fewer, proposal)}


# --- random instances ------------------------------------------------------------------------

SLOTS = tuple(
    Slot(f"d{d}{h}", Window(at(d, f"{h}:00"), at(d, f"{h + 2}:00")))
    for d in range(5)
    for h in (9, 14)
)


@st.composite
def instances(draw: st.DrawFn) -> WorkshopProblem:
    n_places = draw(st.integers(1, 4))
    positions = [0] + draw(
        st.lists(st.integers(0, 80), min_size=n_places + 3, max_size=n_places + 3)
    )
    n = len(positions)
    slots = tuple(draw(st.lists(st.sampled_from(SLOTS), min_size=1, max_size=5, unique=True)))
    leaders = []
    shifts = []
    for k in range(draw(st.integers(1, 4))):
        leaders.append(
            make_worker(
                f"l{k}",
                home=draw(st.integers(0, n - 1)),
                max_km_per_day=draw(st.sampled_from([None, 20, 60, 120])),
                has_car=draw(st.booleans()),
                walking_limit_km=draw(st.sampled_from([2.0, 15.0])),
            )
        )
        for day in draw(st.lists(st.integers(0, 4), min_size=1, max_size=4, unique=True)):
            shifts.append(
                make_shift(
                    f"l{k}-{day}",
                    f"l{k}",
                    day=day,
                    location=leaders[-1].home,
                    capacity=draw(st.sampled_from([None, 2, 4, 8])),
                )
            )
    people = tuple(
        Person(
            f"p{i}",
            draw(st.integers(0, n - 1)),
            tuple(
                s.window
                for s in draw(st.lists(st.sampled_from(slots), min_size=1, max_size=3, unique=True))
            ),
            draw(st.sampled_from([None, 20, 40])),
        )
        for i in range(draw(st.integers(0, 30)))
    )
    return WorkshopProblem(
        locations=tuple(Location(str(i), 46.0, -72.0) for i in range(n)),
        travel=line_travel(positions),
        places=tuple(Place(f"m{i}", f"M{i}", 1 + i) for i in range(n_places)),
        slots=slots,
        people=people,
        leaders=tuple(leaders),
        shifts=tuple(shifts),
        laptops_free={d: draw(st.integers(0, 16)) for d in range(5)},
        capacity=draw(st.integers(1, 8)),
        laptops_per_session=draw(st.sampled_from([0, 2, 4, 8])),
        leaders_per_session=draw(st.integers(1, 2)),
        min_participants=draw(st.integers(1, 2)),
        max_series=draw(st.sampled_from([None, 1, 2])),
        time_limit_s=5,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_proposals_never_need_more_laptops_than_free_and_pass_the_checker(p):
    proposal = propose(p)
    assert check_proposal(p, proposal) == []
    used: Counter[int] = Counter()
    for series in proposal.series:
        used[next(s for s in p.slots if s.id == series.slot_id).day] += series.laptops
        assert series.laptops == p.laptops_per_session
    assert all(used[d] <= p.laptops_free.get(d, 0) for d in used)
    reached = {pid for s in proposal.series for pid in s.people}
    assert {left.person_id for left in proposal.left_out} == {x.id for x in p.people} - reached
    assert all(isinstance(left.reason, Reason) for left in proposal.left_out)
