"""The geocoding work the timed jobs do: place new addresses, forget old lookups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from .geocoding import forget_old_places
from .geocoding import geocoder_for
from .geocoding import place_pending
from .settings import GeoSettings


def place_new_addresses(session: Session, now: datetime, settings: GeoSettings) -> int:
    """Geocode open home-visit requests and volunteers' homes still at a town centre.

    With ``geocoder = "none"`` nothing leaves the machine: the remembered places
    (gazetteer) still apply, the rest keeps its municipality centre.
    """
    return place_pending(
        session,
        geocoder_for(settings),
        now,
        max_km=settings.max_km_from_municipality,
        retry_after_days=settings.retry_failed_days,
    )


def forget_expired_places(session: Session, now: datetime, retention_days: int) -> int:
    """Forget looked-up addresses older than the retention period (they are personal data)."""
    return forget_old_places(session, now, retention_days)
