"""The proposal's problem, read from the database.

Times: a slot is one of the booking form's periods (``tue-pm``) on a weekday; its session
starts when the period opens and lasts :data:`SESSION_MIN` (cut at the period's end). The
series runs weekly from the chosen Monday, one session a week, so the laptops free on a
weekday are the fewest free on any of its session dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import time
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from scheduler.devices import free_devices
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Programme
from scheduler.models import Site
from scheduler.models import Volunteer
from scheduler.planning import Location
from scheduler.planning import Person
from scheduler.planning import Place
from scheduler.planning import Shift
from scheduler.planning import Slot
from scheduler.planning import Window
from scheduler.planning import Worker
from scheduler.planning import WorkshopProblem
from scheduler.planning.travel import GeodesicTravel
from scheduler.planning.travel import TravelOptions
from scheduler.planning.travel import build_travel_matrix

#: How long a session lasts, in minutes.
SESSION_MIN = 120
#: How far (one way) a person waiting is taken to travel: the public page's "near you".
PERSON_KM = 35.0
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ProposalInput:
    """The problem and what its ids stand for."""

    problem: WorkshopProblem
    places: dict[str, Municipality | Site]
    slots: dict[str, tuple[int, time, time]]
    people: dict[str, Enrolment]
    leaders: dict[str, Volunteer]
    first_monday: date


def _minute(day: int, at: time) -> int:
    return day * 1440 + at.hour * 60 + at.minute


def session_dates(first_monday: date, weekday: int, count: int) -> list[date]:
    return [first_monday + timedelta(days=weekday + 7 * k) for k in range(count)]


def build_problem(
    session: Session,
    org: Organisation,
    programme: Programme,
    first_monday: date,
    *,
    periods: Sequence[tuple[str, time, time]],
    weekdays: Sequence[int] = (0, 1, 2, 3, 4, 5),
    time_limit_s: float = 10.0,
    travel: TravelOptions | None = None,
) -> ProposalInput:
    """Everyone waiting for ``programme``, the places, the leaders and the free laptops."""
    locations: list[Location] = []
    known: dict[str, int] = {}

    def place_of(key: str, lat: float, lon: float) -> int:
        """The index of ``key``'s place; one per key, so people of one municipality share
        it and the engine sees them as one group."""
        if key not in known:
            locations.append(Location(key, lat, lon))
            known[key] = len(locations) - 1
        return known[key]

    places: dict[str, Municipality | Site] = {}
    planned_places = []
    for town in session.scalars(
        sa.select(Municipality).where(
            Municipality.organisation_id == org.id, Municipality.active.is_(True)
        )
    ):
        key = f"m{town.id}"
        places[key] = town
        planned_places.append(Place(key, town.name, place_of(key, town.lat, town.lon)))
    for site in session.scalars(
        sa.select(Site).where(Site.organisation_id == org.id, Site.active.is_(True))
    ):
        key = f"s{site.id}"
        places[key] = site
        planned_places.append(Place(key, site.name, place_of(key, site.lat, site.lon)))

    slots: dict[str, tuple[int, time, time]] = {}
    planned_slots = []
    for day in weekdays:
        for code, opens, closes in periods:
            key = f"{WEEKDAY_CODES[day]}-{code}"
            start = _minute(day, opens)
            end = min(start + SESSION_MIN, _minute(day, closes))
            slots[key] = (day, opens, closes)
            planned_slots.append(Slot(key, Window(start, end)))
    by_code = {s.id: s for s in planned_slots}

    people: dict[str, Enrolment] = {}
    planned_people = []
    waiting = session.scalars(
        sa.select(Enrolment)
        .where(
            Enrolment.programme_id == programme.id,
            Enrolment.status == EnrolmentStatus.WAITING,
        )
        .options(selectinload(Enrolment.municipality))
        .order_by(Enrolment.waiting_position.nulls_last(), Enrolment.created_at)
    )
    for enrolment in waiting:
        home = enrolment.municipality
        if home is None:
            continue
        key = f"e{enrolment.id}"
        people[key] = enrolment
        free = [by_code[c].window for c in enrolment.availability or () if c in by_code]
        windows = tuple(free) if enrolment.availability else tuple(s.window for s in planned_slots)
        where = place_of(f"town{home.id}", home.lat, home.lon)
        planned_people.append(Person(key, where, windows, PERSON_KM))

    leaders: dict[str, Volunteer] = {}
    workers: list[Worker] = []
    shifts: list[Shift] = []
    volunteers = session.scalars(
        sa.select(Volunteer)
        .where(Volunteer.organisation_id == org.id, Volunteer.active.is_(True))
        .options(selectinload(Volunteer.availability), selectinload(Volunteer.home_municipality))
    )
    for volunteer in volunteers:
        lat = volunteer.home_lat
        lon = volunteer.home_lon
        if (lat is None or lon is None) and volunteer.home_municipality is not None:
            lat, lon = volunteer.home_municipality.lat, volunteer.home_municipality.lon
        if lat is None or lon is None or not volunteer.availability:
            continue
        key = f"v{volunteer.id}"
        start = place_of(key, lat, lon)
        leaders[key] = volunteer
        workers.append(
            Worker(
                key,
                start,
                languages=frozenset(volunteer.languages or ()),
                skills=frozenset(volunteer.skills or ()),
                has_car=volunteer.has_car,
                walking_limit_km=volunteer.walking_km,
                max_km_per_day=volunteer.max_km_per_day,
            )
        )
        for n, window in enumerate(volunteer.availability):
            shifts.append(
                Shift(
                    f"{key}-{n}",
                    key,
                    window.weekday,
                    _minute(window.weekday, window.starts),
                    _minute(window.weekday, window.ends),
                    start,
                    start,
                )
            )

    laptops_free = {
        day: min(
            len(free_devices(session, org.id, d))
            for d in session_dates(first_monday, day, programme.sessions_count)
        )
        for day in weekdays
    }
    # The geodesic model always: a proposal compares places tens of km apart, where the
    # road engine's precision changes no choice and its server may not be running.
    options = travel or TravelOptions()
    model = GeodesicTravel(options.detour_factor, options.speed_kmh, options.zone_speed_kmh)
    matrix = build_travel_matrix(locations, model, options)
    problem = WorkshopProblem(
        locations=tuple(locations),
        travel=matrix,
        places=tuple(planned_places),
        slots=tuple(planned_slots),
        people=tuple(planned_people),
        leaders=tuple(workers),
        shifts=tuple(shifts),
        laptops_free=laptops_free,
        capacity=programme.capacity,
        laptops_per_session=programme.laptops_per_session,
        time_limit_s=time_limit_s,
    )
    return ProposalInput(problem, places, slots, people, leaders, first_monday)
