"""Sites (drop-in locals, antennas) and their weekly opening hours.

An opening is a weekly slot, Tuesday 9:00–10:00, staffed by a number of
volunteers and expecting a number of visitors an hour. A site is never deleted
(appointments point at it); it is closed by deactivating it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.validation import InputRefused
from scheduler.core.validation import is_latitude
from scheduler.core.validation import is_longitude
from scheduler.core.weekly import RowProblem
from scheduler.core.weekly import WindowInput
from scheduler.core.weekly import check_windows
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Site
from scheduler.models import SiteOpening

NAME_MAX = 120
ADDRESS_MAX = 200
ACCESS_NOTES_MAX = 500
WORKSTATIONS_MAX = 200
VOLUNTEERS_NEEDED_RANGE = (1, 20)
VISITORS_PER_HOUR_MAX = 60


class OpeningProblem(enum.StrEnum):
    VOLUNTEERS = "volunteers"
    VISITORS = "visitors"


@dataclass(frozen=True, slots=True)
class OpeningInput:
    """One row of the openings editor as typed; a row with nothing in it is ignored."""

    weekday: int
    starts: time | None
    ends: time | None
    volunteers_needed: int | None = None
    visitors_per_hour: int | None = None

    @property
    def is_blank(self) -> bool:
        return self.starts is None and self.ends is None


@dataclass(frozen=True, slots=True)
class SiteData:
    name: str
    address: str
    municipality_id: int | None
    lat: float | None
    lon: float | None
    workstations: int
    access_notes: str | None
    active: bool
    openings: Sequence[OpeningInput] = ()


class OpeningsRefused(ValueError):
    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(", ".join(f"row {p.index}: {p.code}" for p in problems))
        self.problems = list(problems)


def check_openings(rows: Sequence[OpeningInput]) -> list[RowProblem]:
    """Problems of the openings, one per row at most: times as for availability, then counts."""
    problems = {
        p.index: p for p in check_windows([WindowInput(r.weekday, r.starts, r.ends) for r in rows])
    }
    low, high = VOLUNTEERS_NEEDED_RANGE
    for index, row in enumerate(rows):
        if index in problems or row.is_blank:
            continue
        if row.volunteers_needed is None or not low <= row.volunteers_needed <= high:
            problems[index] = RowProblem(index, OpeningProblem.VOLUNTEERS)
        elif row.visitors_per_hour is not None and not (
            0 <= row.visitors_per_hour <= VISITORS_PER_HOUR_MAX
        ):
            problems[index] = RowProblem(index, OpeningProblem.VISITORS)
    return [problems[i] for i in sorted(problems)]


def find_site(session: Session, org_id: int, site_id: int) -> Site | None:
    site = session.get(Site, site_id)
    return site if site is not None and site.organisation_id == org_id else None


def open_site(session: Session, site_id: int) -> Site | None:
    """An active site, whatever its organisation: its hours are public."""
    site = session.get(Site, site_id)
    return site if site is not None and site.active else None


def sites(session: Session, org_id: int, *, active_only: bool = False) -> list[Site]:
    query = sa.select(Site).where(Site.organisation_id == org_id)
    if active_only:
        query = query.where(Site.active.is_(True))
    return sorted(session.scalars(query), key=lambda s: s.name.casefold())


def _apply(session: Session, org: Organisation, site: Site, data: SiteData) -> None:
    name, address = data.name.strip(), data.address.strip()
    if not name or len(name) > NAME_MAX:
        raise InputRefused("name", "name_too_long", limit=120)
    if not address or len(address) > ADDRESS_MAX:
        raise InputRefused("address", "address_too_long", limit=ADDRESS_MAX)
    town = None
    if data.municipality_id is not None:
        town = session.get(Municipality, data.municipality_id)
        if town is None or town.organisation_id != org.id:
            raise InputRefused("municipality_id", "not_in_territory")
    if (data.lat is None) != (data.lon is None):
        missing = "lon" if data.lon is None else "lat"
        raise InputRefused(missing, "coordinates_pair")
    if data.lat is not None and data.lon is not None:
        if not is_latitude(data.lat):
            raise InputRefused("lat", "latitude")
        if not is_longitude(data.lon):
            raise InputRefused("lon", "longitude")
        lat, lon = data.lat, data.lon
    elif town is not None:
        lat, lon = town.lat, town.lon
    else:
        raise InputRefused("lat", "coordinates_missing")
    if not 0 <= data.workstations <= WORKSTATIONS_MAX:
        raise InputRefused("workstations", "out_of_range", high=WORKSTATIONS_MAX)
    notes = (data.access_notes or "").strip() or None
    if notes is not None and len(notes) > ACCESS_NOTES_MAX:
        raise InputRefused("access_notes", "too_long", limit=ACCESS_NOTES_MAX)
    problems = check_openings(data.openings)
    if problems:
        raise OpeningsRefused(problems)
    site.name, site.address, site.municipality = name, address, town
    site.lat, site.lon = lat, lon
    site.workstations, site.access_notes, site.active = data.workstations, notes, data.active
    kept = sorted((r for r in data.openings if not r.is_blank), key=lambda r: (r.weekday, r.starts))
    site.openings = [
        SiteOpening(
            weekday=r.weekday,
            starts=r.starts,
            ends=r.ends,
            volunteers_needed=r.volunteers_needed,
            visitors_per_hour=r.visitors_per_hour,
        )
        for r in kept
    ]


def create_site(session: Session, org: Organisation, data: SiteData) -> Site:
    """:raises InputRefused: a field is refused. :raises OpeningsRefused: an opening is."""
    site = Site(organisation_id=org.id)
    _apply(session, org, site, data)
    session.add(site)
    session.commit()
    return site


def update_site(session: Session, site: Site, data: SiteData) -> Site:
    """:raises InputRefused: a field is refused. :raises OpeningsRefused: an opening is."""
    _apply(session, site.organisation, site, data)
    session.commit()
    return site
