"""Realistic weekly planning problems over the demo territory, generated from a seed.

The territory is the 14 municipalities around Drummondville listed in
``bench/data/centre-du-quebec.csv`` (Simplemaps Canada Cities Database (basic), CC BY 4.0).
People live around their town's centre, weighted by population; volunteers offer half or
whole days on weekdays; requests mix home visits, phone calls and drop-in slots, languages,
skills, cars, windows, deadlines, pins and series.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from scheduler.planning import Location
from scheduler.planning import Options
from scheduler.planning import Pin
from scheduler.planning import Problem
from scheduler.planning import Shift
from scheduler.planning import Visit
from scheduler.planning import VisitKind
from scheduler.planning import Window
from scheduler.planning import Worker
from scheduler.planning.travel import GeodesicTravel
from scheduler.planning.travel import TravelOptions
from scheduler.planning.travel import build_travel_matrix

TERRITORY = Path(__file__).resolve().parent / "data" / "centre-du-quebec.csv"
SKILLS = ("smartphone", "computer", "online_admin", "school_portal", "video_call")


@dataclass(frozen=True, slots=True)
class Size:
    """How big a generated week is."""

    volunteers: int
    requests: int


SIZES = {
    "demo": Size(14, 60),
    "S": Size(8, 50),
    "M": Size(40, 400),
    "L": Size(150, 2000),
    "XL": Size(400, 6000),
}
"""``demo`` is the size of the demo organisation's week; ``XL`` an association network: 400
volunteers and 6,000 requests across every town of the territory."""


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    lat: float
    lon: float
    population: int


def read_towns(path: Path = TERRITORY) -> list[Town]:
    """The municipalities, skipping the attribution comment lines."""
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [
            Town(r["name"], float(r["lat"]), float(r["lon"]), int(r["population"])) for r in rows
        ]


def at(day: int, hour: float) -> int:
    """Minute on the week axis."""
    return day * 1440 + round(hour * 60)


class _Generator:
    def __init__(self, size: Size, seed: int) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.towns = read_towns()
        self.places: list[Location] = []

    def place(self, town: Town | None = None, spread_km: float = 3.0) -> int:
        r = self.rng
        town = town or r.choices(self.towns, weights=[t.population for t in self.towns])[0]
        lat = town.lat + r.gauss(0, spread_km / 111.0)
        lon = town.lon + r.gauss(0, spread_km / 78.0)
        zone = "urban" if town.population > 20_000 else "rural"
        self.places.append(Location(f"p{len(self.places)}", lat, lon, zone))
        return len(self.places) - 1

    def languages(self) -> frozenset[str]:
        r = self.rng.random()
        if r < 0.75:
            return frozenset({"fr"})
        if r < 0.85:
            return frozenset({"ar", "fr"})
        if r < 0.92:
            return frozenset({"ar"})
        return frozenset({"es"}) if r < 0.96 else frozenset({"en", "fr"})

    def volunteers(self) -> tuple[list[Worker], list[Shift]]:
        r = self.rng
        workers: list[Worker] = []
        shifts: list[Shift] = []
        for k in range(self.size.volunteers):
            has_car = r.random() < 0.75
            langs = (
                {"fr"}
                | ({"ar"} if r.random() < 0.2 else set())
                | ({"en"} if r.random() < 0.3 else set())
            )
            langs |= {"es"} if r.random() < 0.08 else set()
            worker = Worker(
                id=f"w{k}",
                home=self.place(spread_km=2.0),
                languages=frozenset(langs),
                skills=frozenset(r.sample(SKILLS, r.randint(2, 5))),
                has_car=has_car,
                walking_limit_km=2.0,
                max_visits_per_week=r.randint(6, 15),
                max_work_min_per_week=r.choice((480, 600, 900, 1200)),
                max_km_per_day=float(r.choice((40, 60, 80, 120))) if has_car else None,
                max_road_min_per_day=r.choice((90, 120, 180)),
                max_visits_per_day=r.randint(3, 6),
            )
            workers.append(worker)
            for day in sorted(r.sample(range(5), r.randint(2, 4))):
                start, end = r.choice(((9, 12), (13, 17), (9, 17), (9, 17)))
                shifts.append(
                    Shift(
                        id=f"w{k}-d{day}",
                        worker_id=worker.id,
                        day=day,
                        start=at(day, start),
                        end=at(day, end),
                        start_location=worker.home,
                        end_location=worker.home,
                        phone_only=not has_car and r.random() < 0.5,
                    )
                )
        return workers, shifts

    def windows(self) -> tuple[Window, ...]:
        r = self.rng
        days = sorted(r.sample(range(5), r.randint(1, 3)))
        out = []
        for day in days:
            start, end = r.choice(((9, 12), (13, 17), (9, 17), (10, 16)))
            out.append(Window(at(day, start), at(day, end)))
        return tuple(out)

    def requests(self, workers: list[Worker], shifts: list[Shift]) -> list[Visit]:
        r = self.rng
        sites = [self.place(self.towns[0], 0.5), self.place(self.towns[3], 0.5)]
        visits: list[Visit] = []
        n_drop_in = max(1, self.size.requests // 40)
        for k in range(n_drop_in):
            day = k % 5
            hour = r.choice((9, 10, 13, 14))
            visits.append(
                Visit(
                    id=f"d{k}",
                    request_id=f"slot{k}",
                    kind=VisitKind.DROP_IN,
                    duration_min=60,
                    windows=(Window(at(day, hour), at(day, hour + 1)),),
                    location=sites[k % 2],
                    languages=frozenset({"fr"}),
                    staff_needed=r.randint(2, 3),
                )
            )
        for k in range(self.size.requests - n_drop_in):
            kind = VisitKind.HOME if r.random() < 0.6 else VisitKind.PHONE
            langs = self.languages()
            series = r.random() < 0.05
            worker = r.choice(workers)
            visit = Visit(
                id=f"r{k}",
                request_id=f"r{k}",
                kind=kind,
                duration_min=r.choice((60, 75, 90))
                if kind is VisitKind.HOME
                else r.choice((20, 30, 45)),
                windows=self.windows(),
                location=self.place() if kind is VisitKind.HOME else None,
                languages=langs,
                skills=frozenset(r.sample(SKILLS, 1)) if r.random() < 0.3 else frozenset(),
                needs_car=kind is VisitKind.HOME and r.random() < 0.05,
                priority=r.choices((0, 1, 2, 3), weights=(5, 3, 2, 1))[0],
                deadline=at(r.randint(0, 13), 17) if r.random() < 0.2 else None,
                waiting_days=r.randint(0, 45),
                series_id=f"cycle{k}" if series else None,
                series_worker_id=worker.id if series and langs & worker.languages else None,
                previous_worker_id=r.choice(workers).id if r.random() < 0.2 else None,
            )
            visits.append(self.maybe_pin(visit, shifts))
        return visits

    def maybe_pin(self, visit: Visit, shifts: list[Shift]) -> Visit:
        """Pin about one request in twenty to a shift of its first window's day."""
        r = self.rng
        if r.random() >= 0.05 or visit.series_worker_id is not None:
            return visit
        window = visit.windows[0]
        day = window.start // 1440
        fitting = [
            s for s in shifts if s.day == day and s.start <= window.start and window.end <= s.end
        ]
        fitting = [s for s in fitting if visit.kind is VisitKind.PHONE or not s.phone_only]
        if not fitting:
            return visit
        shift = r.choice(fitting)
        start = window.start + 60 if visit.kind is VisitKind.HOME else window.start
        if start + visit.duration_min > window.end:
            return visit
        return Visit(**{**_fields(visit), "pins": (Pin(shift.id, start),)})


def _fields(visit: Visit) -> dict[str, object]:
    return {name: getattr(visit, name) for name in Visit.__dataclass_fields__}


def generate_week(size: str, seed: int = 1, options: Options | None = None) -> Problem:
    """A week of the given size (a key of :data:`SIZES`) over the demo territory."""
    gen = _Generator(SIZES[size], seed)
    workers, shifts = gen.volunteers()
    visits = gen.requests(workers, shifts)
    travel_options = TravelOptions(zone_speed_kmh={"urban": 35.0, "rural": 70.0})
    model = GeodesicTravel(
        travel_options.detour_factor, travel_options.speed_kmh, travel_options.zone_speed_kmh
    )
    matrix = build_travel_matrix(gen.places, model, travel_options)
    return Problem(
        locations=tuple(gen.places),
        travel=matrix,
        workers=tuple(workers),
        shifts=tuple(shifts),
        visits=tuple(visits),
        options=options or Options(),
    )
