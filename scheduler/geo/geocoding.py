"""The geocoding chain: gazetteer → online geocoder → municipality centre."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import Protocol

import sqlalchemy as sa
from geopy.distance import geodesic
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from sqlalchemy.orm import Session

from ..models import OPEN_STATUSES
from ..models import GeocodedAddress
from ..models import HelpRequest
from ..models import Mode
from ..models import Municipality
from ..models import Organisation
from ..models import Volunteer
from .settings import GeoSettings

log = logging.getLogger(__name__)

DISPATCHER = "dispatcher"
CENTRE = "municipality"


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    #: True when only the municipality's centre is known.
    approximate: bool
    #: Who placed it: "dispatcher", "nominatim", "ban", "municipality".
    source: str


class Geocoder(Protocol):
    """Something that finds coordinates for a full address, or returns None."""

    name: str

    def lookup(self, query: str, country: str) -> tuple[float, float] | None: ...


class OnlineGeocoder:
    """A geopy geocoder behind a rate limit; a failure is a miss, never an exception.

    :param service: "nominatim" or "ban".
    :param min_delay_s: pause between calls (Nominatim's public server allows one a second).
    """

    def __init__(
        self,
        service: str,
        *,
        user_agent: str,
        domain: str | None = None,
        scheme: str = "https",
        timeout_s: float = 5.0,
        min_delay_s: float = 1.0,
    ) -> None:
        from geopy.geocoders import BANFrance
        from geopy.geocoders import Nominatim

        options: dict[str, Any] = {"scheme": scheme, "timeout": timeout_s, "user_agent": user_agent}
        if domain:
            options["domain"] = domain
        if service == "nominatim":
            backend: Any = Nominatim(**options)
        elif service == "ban":
            backend = BANFrance(**options)
        else:
            raise ValueError(f"unknown geocoder {service!r}: use 'nominatim' or 'ban'")
        self.name = service
        self._backend = backend
        self._geocode = RateLimiter(
            backend.geocode, min_delay_seconds=min_delay_s, max_retries=0, swallow_exceptions=False
        )

    def lookup(self, query: str, country: str) -> tuple[float, float] | None:
        kwargs: dict[str, Any] = {"exactly_one": True}
        if self.name == "nominatim":
            kwargs["country_codes"] = country.lower()
        try:
            location = self._geocode(query, **kwargs)
        except GeopyError as error:
            log.warning("geocoder %s failed: %s", self.name, type(error).__name__)
            return None
        if location is None:
            return None
        return float(location.latitude), float(location.longitude)

    def candidates(self, query: str, country: str, limit: int = 5) -> list[Candidate]:
        """Every match the service offers, best first, for a dispatcher to pick from."""
        kwargs: dict[str, Any] = {"exactly_one": False, "limit": limit}
        if self.name == "nominatim":
            kwargs["country_codes"] = country.lower()
        try:
            found = self._geocode(query, **kwargs)
        except GeopyError as error:
            log.warning("geocoder %s failed: %s", self.name, type(error).__name__)
            return []
        return [
            Candidate(str(loc.address), float(loc.latitude), float(loc.longitude))
            for loc in (found or [])[:limit]
        ]


@dataclass(frozen=True)
class Candidate:
    """One answer of a geocoder: its wording of the place, and where it is."""

    label: str
    lat: float
    lon: float


def geocoder_for(settings: GeoSettings) -> Geocoder | None:
    """The geocoder ``[GEO]`` asks for, or None for municipality centres only.

    :raises ValueError: an unknown geocoder name.
    """
    if settings.geocoder in ("", "none"):
        return None
    return OnlineGeocoder(
        settings.geocoder,
        user_agent=settings.user_agent,
        domain=settings.domain,
        scheme=settings.scheme,
        timeout_s=settings.timeout_s,
        min_delay_s=settings.min_delay_s,
    )


def address_key(address: str, municipality: str) -> str:
    """One spelling per address: '12, Rue de l'Église' and '12 rue de l eglise' match."""
    text = unicodedata.normalize("NFKD", f"{address} {municipality}")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()[:400]


def _known(session: Session, org: Organisation, key: str) -> GeocodedAddress | None:
    return session.scalars(
        sa.select(GeocodedAddress).where(
            GeocodedAddress.organisation_id == org.id, GeocodedAddress.key == key
        )
    ).first()


def locate(
    session: Session,
    org: Organisation,
    address: str | None,
    municipality: Municipality,
    geocoder: Geocoder | None,
    now: datetime,
    *,
    max_km: float = 25.0,
    retry_after_days: int = 30,
) -> Place:
    """Where an address is, as precisely as the chain allows. Adds cache rows; no commit."""
    centre = Place(municipality.lat, municipality.lon, approximate=True, source=CENTRE)
    if not address or not address.strip():
        return centre
    key = address_key(address, municipality.name)
    known = _known(session, org, key)
    if known is not None and known.found:
        return Place(known.lat, known.lon, approximate=False, source=known.source)  # type: ignore[arg-type]
    if geocoder is None:
        return centre
    if known is not None and known.created_at > now - timedelta(days=retry_after_days):
        return centre  # a recent miss: do not ask again yet
    query = ", ".join(p for p in (address.strip(), municipality.name, municipality.region) if p)
    found = geocoder.lookup(query, org.country)
    if found is not None and geodesic(found, (municipality.lat, municipality.lon)).km > max_km:
        log.info("geocoder %s matched a place too far from the municipality", geocoder.name)
        found = None
    row = known or GeocodedAddress(organisation_id=org.id, key=key, source=geocoder.name)
    row.lat, row.lon = found if found is not None else (None, None)
    row.source, row.created_at = geocoder.name, now
    session.add(row)
    if found is None:
        return centre
    return Place(found[0], found[1], approximate=False, source=geocoder.name)


def remember_place(
    session: Session,
    org: Organisation,
    address: str,
    municipality: Municipality,
    lat: float,
    lon: float,
    now: datetime,
) -> None:
    """A dispatcher's own placement of an address: it wins over any geocoder from now on."""
    key = address_key(address, municipality.name)
    row = _known(session, org, key) or GeocodedAddress(organisation_id=org.id, key=key, source="")
    row.lat, row.lon, row.source, row.created_at = lat, lon, DISPATCHER, now
    session.add(row)


def place_pending(
    session: Session,
    geocoder: Geocoder | None,
    now: datetime,
    *,
    limit: int = 50,
    max_km: float = 25.0,
    retry_after_days: int = 30,
) -> int:
    """Place open home-visit requests and volunteers' homes still at a municipality centre.

    :return: how many became precise. Commits once.
    """
    placed = 0
    requests = session.scalars(
        sa.select(HelpRequest)
        .where(
            HelpRequest.location_approximate.is_(True),
            HelpRequest.mode == Mode.HOME,
            HelpRequest.address.is_not(None),
            HelpRequest.status.in_(OPEN_STATUSES),
        )
        .order_by(HelpRequest.created_at)
        .limit(limit)
    ).all()
    for request in requests:
        place = locate(
            session,
            request.organisation,
            request.address,
            request.municipality,
            geocoder,
            now,
            max_km=max_km,
            retry_after_days=retry_after_days,
        )
        request.lat, request.lon = place.lat, place.lon
        if not place.approximate:
            request.location_approximate = False
            placed += 1
    volunteers = session.scalars(
        sa.select(Volunteer)
        .where(
            Volunteer.home_approximate.is_(True),
            Volunteer.home_address.is_not(None),
            Volunteer.home_municipality_id.is_not(None),
            Volunteer.active.is_(True),
        )
        .limit(limit)
    ).all()
    for volunteer in volunteers:
        assert volunteer.home_municipality is not None
        place = locate(
            session,
            volunteer.organisation,
            volunteer.home_address,
            volunteer.home_municipality,
            geocoder,
            now,
            max_km=max_km,
            retry_after_days=retry_after_days,
        )
        volunteer.home_lat, volunteer.home_lon = place.lat, place.lon
        if not place.approximate:
            volunteer.home_approximate = False
            placed += 1
    session.commit()
    return placed


def forget_old_places(session: Session, now: datetime, days: int) -> int:
    """Drop placed addresses older than the retention period: an address is personal data.

    Requests and volunteers keep their own coordinates; only the lookup table forgets.
    """
    cutoff = now - timedelta(days=days)
    old = sa.select(sa.func.count(GeocodedAddress.id)).where(GeocodedAddress.created_at < cutoff)
    forgotten = session.scalar(old) or 0
    session.execute(sa.delete(GeocodedAddress).where(GeocodedAddress.created_at < cutoff))
    session.commit()
    return forgotten
