"""Placing a point by hand: a request's address, a volunteer's home, a site, a town centre.

A dispatcher clicks on the map, picks one of the geocoder's candidates or types the
coordinates; every way ends here. The point stops being approximate, and a street
address placed by hand goes into the organisation's gazetteer, so the same address is
never asked of a geocoder again.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime

from geopy.distance import geodesic
from sqlalchemy.orm import Session

from ..core.validation import InputRefused
from ..geo import Candidate
from ..geo import remember_place
from ..models import HelpRequest
from ..models import Municipality
from ..models import Organisation
from ..models import RequestEvent
from ..models import Site
from ..models import User
from ..models import Volunteer

log = logging.getLogger(__name__)

KINDS = ("request", "volunteer", "site", "municipality")


@dataclass(frozen=True)
class Target:
    """What is being placed, as the placing page shows it."""

    kind: str
    id: int
    #: A reference, a name.
    name: str
    address: str | None
    municipality: Municipality | None
    lat: float | None
    lon: float | None
    approximate: bool

    @property
    def query(self) -> str:
        """What to ask a geocoder: the street address and its municipality."""
        parts = [self.address or ""]
        if self.municipality is not None:
            parts += [self.municipality.name, self.municipality.region or ""]
        elif self.kind == "municipality":
            parts = [self.name]
        return ", ".join(p for p in parts if p)

    @property
    def start(self) -> tuple[float, float]:
        """Where the map opens: the point, else the municipality's centre."""
        if self.lat is not None and self.lon is not None:
            return self.lat, self.lon
        if self.municipality is not None:
            return self.municipality.lat, self.municipality.lon
        return 0.0, 0.0


def target_of(obj: HelpRequest | Volunteer | Site | Municipality) -> Target:
    if isinstance(obj, HelpRequest):
        return Target(
            "request",
            obj.id,
            obj.reference,
            obj.address,
            obj.municipality,
            obj.lat,
            obj.lon,
            bool(obj.location_approximate),
        )
    if isinstance(obj, Volunteer):
        return Target(
            "volunteer",
            obj.id,
            obj.full_name,
            obj.home_address,
            obj.home_municipality,
            obj.home_lat,
            obj.home_lon,
            bool(obj.home_approximate),
        )
    if isinstance(obj, Site):
        return Target(
            "site", obj.id, obj.name, obj.address, obj.municipality, obj.lat, obj.lon, False
        )
    return Target("municipality", obj.id, obj.name, None, None, obj.lat, obj.lon, False)


def read_coordinates(lat_text: str | None, lon_text: str | None) -> tuple[float, float]:
    """Latitude and longitude typed or sent by the map; a decimal comma is accepted.

    :raises InputRefused: on the field that is missing, not a number or out of range.
    """
    values = []
    for name, text, limit in (("lat", lat_text, 90.0), ("lon", lon_text, 180.0)):
        text = (text or "").strip().replace(",", ".")
        if not text:
            raise InputRefused(name, "required")
        try:
            value = float(text)
        except ValueError:
            raise InputRefused(name, "not_a_number") from None
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise InputRefused(name, "latitude" if name == "lat" else "longitude")
        values.append(value)
    return values[0], values[1]


def place(
    session: Session,
    organisation: Organisation,
    obj: HelpRequest | Volunteer | Site | Municipality,
    lat: float,
    lon: float,
    *,
    now: datetime,
    user: User | None,
    max_km: float,
) -> None:
    """Put ``obj`` at ``lat``/``lon``; commits.

    :param max_km: a point farther than this from its municipality's centre is refused
        (a slip of the mouse to another town), except for a municipality itself.
    :raises InputRefused: ``("lat", "too_far", km=…, town=…)``.
    """
    target = target_of(obj)
    town = target.municipality
    if town is not None and max_km > 0:
        km = geodesic((lat, lon), (town.lat, town.lon)).km
        if km > max_km:
            raise InputRefused("lat", "too_far", km=round(km), town=town.name)
    lat, lon = round(lat, 6), round(lon, 6)
    if isinstance(obj, HelpRequest):
        obj.lat, obj.lon, obj.location_approximate = lat, lon, False
        obj.events.append(
            RequestEvent(
                at=now, user_id=user.id if user else None, kind="placed", detail={"by": "hand"}
            )
        )
    elif isinstance(obj, Volunteer):
        obj.home_lat, obj.home_lon, obj.home_approximate = lat, lon, False
    else:
        obj.lat, obj.lon = lat, lon
    if target.address and town is not None and target.kind in ("request", "volunteer"):
        remember_place(session, organisation, target.address, town, lat, lon, now)
    session.commit()
    log.info("placed %s %d by hand", target.kind, target.id)


def near_candidates(target: Target, found: list[Candidate], max_km: float) -> list[Candidate]:
    """The candidates within ``max_km`` of the municipality (all when there is none)."""
    town = target.municipality
    if town is None or max_km <= 0:
        return found
    return [c for c in found if geodesic((c.lat, c.lon), (town.lat, town.lon)).km <= max_km]
