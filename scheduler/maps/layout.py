"""What a route map shows, in latitude and longitude: routes, homes, sites, left-out requests.

Built once from days (see :mod:`.days`) and drawn twice: as SVG on the server
(:mod:`.drawing`) and, when a tile server is configured, by Leaflet in the browser
(:func:`map_data`). Calls have no place on a map: they are listed beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..models import HelpRequest
from ..models import Mode
from ..models import Organisation
from ..models import Site
from ..models import Volunteer
from .days import Day

#: Dark enough for white numbers on them (WCAG AA), distinct for most colour vision.
COLOURS = (
    "#0b5394",
    "#b45309",
    "#047857",
    "#9d174d",
    "#5b21b6",
    "#b91c1c",
    "#0e7490",
    "#4b5563",
    "#854d0e",
    "#1e3a8a",
)


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float
    #: Only the municipality's centre is known: drawn dashed, said in words.
    approximate: bool = False


@dataclass(frozen=True)
class MapStop:
    number: int
    point: Point
    label: str
    reference: str | None
    kind: Mode
    request_id: int | None
    #: The municipality, or the site's name.
    place: str = ""
    #: The municipality's name, also for a stop at a site (whose ``place`` is the site).
    municipality: str = ""


@dataclass(frozen=True)
class MapRoute:
    volunteer_id: int
    name: str
    day: date
    colour: str
    home: Point | None
    stops: tuple[MapStop, ...]

    @property
    def points(self) -> list[Point]:
        """Home, each stop, home again: the line drawn."""
        middle = [s.point for s in self.stops]
        return [self.home, *middle, self.home] if self.home is not None else middle


@dataclass(frozen=True)
class MapPlace:
    """A drop-in site, a left-out request or a municipality's name."""

    label: str
    point: Point
    request_id: int | None = None
    #: The municipality's name (empty for a municipality itself, or a site without one).
    municipality: str = ""


@dataclass(frozen=True)
class RouteMap:
    routes: tuple[MapRoute, ...]
    sites: tuple[MapPlace, ...]
    left_out: tuple[MapPlace, ...]
    towns: tuple[MapPlace, ...]

    @property
    def approximate_count(self) -> int:
        points = [s.point for r in self.routes for s in r.stops] + [p.point for p in self.left_out]
        return sum(1 for p in points if p.approximate)


def request_point(request: HelpRequest) -> Point:
    """The placed address, else the municipality's centre, flagged approximate."""
    if request.mode is Mode.DROPIN and request.site is not None:
        return site_point(request.site)
    if request.lat is not None and request.lon is not None:
        return Point(request.lat, request.lon, bool(request.location_approximate))
    return Point(request.municipality.lat, request.municipality.lon, True)


def site_point(site: Site) -> Point:
    return Point(site.lat, site.lon, False)


def home_point(volunteer: Volunteer) -> Point | None:
    """Where the volunteer's days start and end: their site, home, or town centre."""
    if volunteer.starts_from_site is not None:
        return site_point(volunteer.starts_from_site)
    if volunteer.home_lat is not None and volunteer.home_lon is not None:
        return Point(volunteer.home_lat, volunteer.home_lon, bool(volunteer.home_approximate))
    if volunteer.home_municipality is not None:
        town = volunteer.home_municipality
        return Point(town.lat, town.lon, True)
    return None


def colour_for(volunteer_id: int, order: list[int]) -> str:
    """One colour per volunteer, the same on every map of the same set of volunteers."""
    index = order.index(volunteer_id) if volunteer_id in order else volunteer_id
    return COLOURS[index % len(COLOURS)]


def route_map(
    organisation: Organisation,
    days: Iterable[Day],
    *,
    left_out: Iterable[HelpRequest] = (),
    colours: list[int] | None = None,
) -> RouteMap:
    """The map of ``days``: one route each, numbered stops, the sites and the left-out homes.

    :param colours: volunteer ids in colour order (so a volunteer keeps their colour
        across the maps of a week); defaults to the order of ``days``.
    """
    days = list(days)
    order = colours if colours is not None else list(dict.fromkeys(d.volunteer.id for d in days))
    routes = []
    for day in days:
        if not day.visits:
            continue  # a day of calls only: nobody drives anywhere
        stops = []
        for number, stop in enumerate(day.visits, start=1):
            if stop.request is not None and stop.kind is Mode.HOME:
                point = request_point(stop.request)
            elif stop.site is not None:
                point = site_point(stop.site)
            elif stop.request is not None:
                point = request_point(stop.request)
            else:
                continue
            request = stop.request
            stops.append(
                MapStop(
                    number=number,
                    point=point,
                    label=_first_name(request) if request is not None else _site_name(stop.site),
                    reference=request.reference if request is not None else None,
                    kind=stop.kind,
                    request_id=request.id if request is not None else None,
                    place=_place_name(stop.kind, request, stop.site),
                    municipality=_town_name(stop.kind, request, stop.site),
                )
            )
        routes.append(
            MapRoute(
                volunteer_id=day.volunteer.id,
                name=day.volunteer.first_name,
                day=day.day,
                colour=colour_for(day.volunteer.id, order),
                home=home_point(day.volunteer),
                stops=tuple(stops),
            )
        )
    sites = tuple(
        MapPlace(s.name, site_point(s), municipality=_town_name(Mode.DROPIN, None, s))
        for s in organisation.sites
        if s.active
    )
    missing = tuple(
        MapPlace(
            f"{r.reference} {_first_name(r)}".strip(),
            request_point(r),
            r.id,
            municipality=r.municipality.name,
        )
        for r in left_out
        if r.mode is Mode.HOME
    )
    towns = tuple(
        MapPlace(t.name, Point(t.lat, t.lon)) for t in organisation.municipalities if t.active
    )
    return RouteMap(tuple(routes), sites, missing, towns)


def map_data(route_map: RouteMap) -> dict[str, Any]:
    """The same map as plain JSON-ready data, for the interactive map."""

    def point(p: Point) -> dict[str, Any]:
        return {"lat": p.lat, "lon": p.lon, "approximate": p.approximate}

    return {
        "routes": [
            {
                "name": r.name,
                "day": r.day.isoformat(),
                "colour": r.colour,
                "home": point(r.home) if r.home is not None else None,
                "stops": [
                    {
                        "number": s.number,
                        "label": s.label,
                        "reference": s.reference,
                        "place": s.place,
                        "municipality": s.municipality,
                        **point(s.point),
                    }
                    for s in r.stops
                ],
            }
            for r in route_map.routes
        ],
        "sites": [
            {"label": s.label, "municipality": s.municipality, **point(s.point)}
            for s in route_map.sites
        ],
        "left_out": [
            {"label": s.label, "municipality": s.municipality, **point(s.point)}
            for s in route_map.left_out
        ],
    }


def _first_name(request: HelpRequest) -> str:
    return request.beneficiary.first_name if request.beneficiary is not None else ""


def _place_name(kind: Mode, request: HelpRequest | None, site: Site | None) -> str:
    if site is not None and (kind is not Mode.HOME or request is None):
        return site.name
    return request.municipality.name if request is not None else ""


def _town_name(kind: Mode, request: HelpRequest | None, site: Site | None) -> str:
    """The municipality of the stop: the home's, or the site's where the stop is held."""
    if site is not None and (kind is not Mode.HOME or request is None):
        return site.municipality.name if site.municipality is not None else ""
    return request.municipality.name if request is not None else ""


def _site_name(site: Site | None) -> str:
    return site.name if site is not None else ""
