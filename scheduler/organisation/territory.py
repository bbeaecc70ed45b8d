"""The territory: the municipalities an organisation serves.

A municipality is never deleted: requests, volunteers and sites keep pointing at
it. Deactivating it takes it out of the lists people choose from.
"""

from __future__ import annotations

import csv
import enum
import io
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.core.validation import InputRefused
from scheduler.core.validation import is_latitude
from scheduler.core.validation import is_longitude
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import User

NAME_MAX = 120
REGION_MAX = 60
#: Inhabitants a municipality may be given (the largest cities served stay well below).
POPULATION_MAX = 10_000_000
POPULATION_SOURCE_MAX = 200
#: Most lines one paste may add.
MAX_LINES = 500
HEADER = ("name", "region", "lat", "lon")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    region: str | None
    lat: float
    lon: float


class LineProblem(enum.StrEnum):
    COLUMNS = "columns"
    NAME = "name"
    REGION = "region"
    LAT = "lat"
    LON = "lon"
    DUPLICATE = "duplicate"
    EXISTS = "exists"


@dataclass(frozen=True, slots=True)
class LineError:
    """Line ``line`` (1 for the first line pasted) has ``code``; ``text`` is the line."""

    line: int
    code: LineProblem
    text: str


class ImportRefused(ValueError):
    def __init__(self, errors: list[LineError]) -> None:
        super().__init__("; ".join(f"line {e.line}: {e.code}" for e in errors))
        self.errors = errors


class TooManyLines(ValueError):
    pass


def _existing_names(session: Session, org: Organisation, except_id: int | None = None) -> set[str]:
    query = sa.select(Municipality.name).where(Municipality.organisation_id == org.id)
    if except_id is not None:
        query = query.where(Municipality.id != except_id)
    return {name.casefold() for name in session.scalars(query)}


def _check_place(place: Place) -> None:
    if not place.name or len(place.name) > NAME_MAX:
        raise InputRefused("name", "name_too_long", limit=120)
    if place.region is not None and len(place.region) > REGION_MAX:
        raise InputRefused("region", "too_long", limit=REGION_MAX)
    if not is_latitude(place.lat):
        raise InputRefused("lat", "latitude")
    if not is_longitude(place.lon):
        raise InputRefused("lon", "longitude")


def _clean(place: Place) -> Place:
    return Place(place.name.strip(), (place.region or "").strip() or None, place.lat, place.lon)


def add_municipality(session: Session, org: Organisation, place: Place) -> Municipality:
    """:raises InputRefused: a value is out of range or the name is already in the territory."""
    place = _clean(place)
    _check_place(place)
    if place.name.casefold() in _existing_names(session, org):
        raise InputRefused("name", "municipality_exists")
    town = Municipality(
        organisation=org, name=place.name, region=place.region, lat=place.lat, lon=place.lon
    )
    session.add(town)
    if not _committed(session):
        raise InputRefused("name", "municipality_exists")
    return town


def update_municipality(
    session: Session, town: Municipality, place: Place, active: bool
) -> Municipality:
    """:raises InputRefused: a value is out of range or the new name is taken."""
    place = _clean(place)
    _check_place(place)
    if place.name.casefold() in _existing_names(session, town.organisation, except_id=town.id):
        raise InputRefused("name", "municipality_exists")
    town.name, town.region, town.lat, town.lon = place.name, place.region, place.lat, place.lon
    town.active = active
    if not _committed(session):
        raise InputRefused("name", "municipality_exists")
    return town


def set_population(
    session: Session,
    town: Municipality,
    population: int | None,
    source: str | None,
    *,
    actor: User | None,
    now: datetime,
) -> bool:
    """Give ``town`` its inhabitants and where the figure comes from, in ``session``'s
    transaction (the caller commits); True when something changed.

    The observatory divides unmet demand by this figure and prints the source beside its
    map, so a change is recorded in the audit trail with the figures before and after.

    :raises InputRefused: the population is outside 0–:data:`POPULATION_MAX` or the source
        is longer than :data:`POPULATION_SOURCE_MAX` characters.
    """
    source = (source or "").strip() or None
    if population is not None and not 0 <= population <= POPULATION_MAX:
        raise InputRefused("population", "population_range", high=POPULATION_MAX)
    if source is not None and len(source) > POPULATION_SOURCE_MAX:
        raise InputRefused("population_source", "too_long", limit=POPULATION_SOURCE_MAX)
    if (town.population, town.population_source) == (population, source):
        return False
    audit.record(
        session,
        actor=actor,
        action="municipality.population",
        target=f"municipality:{town.id}",
        detail={"before": town.population, "after": population, "source": source},
        now=now,
        organisation_id=town.organisation_id,
    )
    town.population, town.population_source = population, source
    return True


def set_municipality_active(session: Session, town: Municipality, active: bool) -> Municipality:
    town.active = active
    session.commit()
    return town


def find_municipality(session: Session, org_id: int, town_id: int) -> Municipality | None:
    town = session.get(Municipality, town_id)
    return town if town is not None and town.organisation_id == org_id else None


def municipalities(
    session: Session, org_id: int, *, active_only: bool = False
) -> list[Municipality]:
    query = sa.select(Municipality).where(Municipality.organisation_id == org_id)
    if active_only:
        query = query.where(Municipality.active.is_(True))
    return sorted(session.scalars(query), key=lambda t: t.name.casefold())


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if value == value else None  # NaN is not a coordinate


def parse_lines(text: str, taken: set[str]) -> tuple[list[Place], list[LineError]]:
    """Read "name,region,lat,lon" lines; blank lines and a header line are skipped.

    Names containing a comma are quoted ("Saint-Lucien, village"). Decimal commas are
    not possible in an unquoted field, so coordinates use a dot.

    :param taken: casefolded names already in the territory.
    :raises TooManyLines: more than :data:`MAX_LINES` lines.
    """
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise TooManyLines(len(lines))
    places: list[Place] = []
    errors: list[LineError] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue

        def refuse(code: LineProblem, number: int = number, line: str = line) -> None:
            errors.append(LineError(number, code, line.strip()))

        try:
            cells = [c.strip() for c in next(csv.reader(io.StringIO(line), skipinitialspace=True))]
        except csv.Error:
            cells = []
        if number == 1 and tuple(c.casefold() for c in cells) == HEADER:
            continue
        if len(cells) != 4:
            refuse(LineProblem.COLUMNS)
            continue
        name, region, lat_text, lon_text = cells
        lat, lon = _number(lat_text), _number(lon_text)
        if not name or len(name) > NAME_MAX:
            refuse(LineProblem.NAME)
        elif len(region) > REGION_MAX:
            refuse(LineProblem.REGION)
        elif lat is None or not is_latitude(lat):
            refuse(LineProblem.LAT)
        elif lon is None or not is_longitude(lon):
            refuse(LineProblem.LON)
        elif name.casefold() in taken:
            refuse(LineProblem.EXISTS)
        elif name.casefold() in seen:
            refuse(LineProblem.DUPLICATE)
        else:
            seen.add(name.casefold())
            places.append(Place(name, region or None, lat, lon))
    return places, errors


def import_municipalities(session: Session, org: Organisation, text: str) -> list[Municipality]:
    """Add every pasted municipality, or none if a line is wrong.

    :raises ImportRefused: listing every wrong line by its number.
    :raises TooManyLines: the paste is longer than :data:`MAX_LINES`.
    """
    places, errors = parse_lines(text, _existing_names(session, org))
    if errors:
        raise ImportRefused(errors)
    towns = [
        Municipality(organisation=org, name=p.name, region=p.region, lat=p.lat, lon=p.lon)
        for p in places
    ]
    session.add_all(towns)
    if not _committed(session):
        # Some of these names were added meanwhile (a double click, another page):
        # the lines are checked again, and now say which ones exist.
        places, errors = parse_lines(text, _existing_names(session, org))
        raise ImportRefused(errors)
    return towns


def _committed(session: Session) -> bool:
    """Commit; False, after a rollback, when another request added one of the same
    names between the check and now (the database's one-name-per-territory index)."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True
