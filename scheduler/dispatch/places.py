"""Where things are: the problem's places, a volunteer's start, a request's point, workers.

Each distinct point is one location of the problem; the travel matrix is built over them
(geodesic by default, OSRM when configured, through :func:`fetch_json`).
"""

from __future__ import annotations

import json
import urllib.request

from ..models import HelpRequest
from ..models import Organisation
from ..models import Volunteer
from ..planning import Location
from ..planning import Worker


class Places:
    """Locations of the problem, one per distinct point."""

    def __init__(self) -> None:
        self.locations: list[Location] = []
        self._index: dict[tuple[float, float], int] = {}

    def add(self, name: str, lat: float, lon: float) -> int:
        key = (round(lat, 6), round(lon, 6))
        if key not in self._index:
            self._index[key] = len(self.locations)
            self.locations.append(Location(name, lat, lon))
        return self._index[key]


def fallback_place(organisation: Organisation) -> tuple[float, float]:
    """Where a volunteer with no known home is put (they only take calls): the first site,
    else the first municipality's centre."""
    for site in organisation.sites:
        return site.lat, site.lon
    for town in organisation.municipalities:
        return town.lat, town.lon
    return 0.0, 0.0


def home_place(places: Places, volunteer: Volunteer) -> int | None:
    """Where the volunteer's days start: their site, their home, or their town's centre."""
    if volunteer.starts_from_site is not None:
        site = volunteer.starts_from_site
        return places.add(f"s{site.id}", site.lat, site.lon)
    if volunteer.home_lat is not None and volunteer.home_lon is not None:
        return places.add(f"v{volunteer.id}", volunteer.home_lat, volunteer.home_lon)
    if volunteer.home_municipality is not None:
        town = volunteer.home_municipality
        return places.add(f"m{town.id}", town.lat, town.lon)
    return None


def request_point(request: HelpRequest) -> tuple[float, float]:
    """The geocoded place, else the municipality's centre."""
    if request.lat is not None and request.lon is not None:
        return request.lat, request.lon
    return request.municipality.lat, request.municipality.lon


def worker_for(volunteer: Volunteer, home: int) -> Worker:
    return Worker(
        id=f"v{volunteer.id}",
        home=home,
        languages=frozenset(volunteer.languages or ()),
        skills=frozenset(volunteer.skills or ()),
        has_car=volunteer.has_car,
        walking_limit_km=volunteer.walking_km,
        max_visits_per_week=volunteer.max_visits_per_week,
        max_work_min_per_week=volunteer.max_work_min_per_week,
        max_km_per_day=(
            float(volunteer.max_km_per_day) if volunteer.max_km_per_day is not None else None
        ),
        max_road_min_per_day=volunteer.max_road_min_per_day,
        max_visits_per_day=volunteer.max_visits_per_day,
    )


def fetch_json(url: str) -> bytes:
    """HTTP GET for the OSRM travel model (only used when ``[TRAVEL] model = "osrm"``)."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (configured URL)
        body: bytes = response.read()
    json.loads(body)  # fail here, with the URL in the traceback, on a non-JSON answer
    return body
