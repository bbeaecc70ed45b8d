"""The geocoding work the timed jobs do: place new addresses, forget old lookups.

Both read the ``[GEO]`` and ``[RETENTION]`` tables of the running application, so
they must run inside an application context (``scheduler.jobs.runner`` provides one).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from .geocoding import forget_old_places
from .geocoding import geocoder_from_config
from .geocoding import place_pending


def place_new_addresses(session: Session, now: datetime) -> int:
    """Geocode open home-visit requests and volunteers' homes still at a town centre.

    With ``geocoder = "none"`` nothing leaves the machine: the remembered places
    (gazetteer) still apply, the rest keeps its municipality centre.
    """
    settings = current_app.config.get("GEO", {})
    return place_pending(
        session,
        geocoder_from_config(settings),
        now,
        max_km=float(settings.get("max_km_from_municipality", 25)),
        retry_after_days=int(settings.get("retry_failed_days", 30)),
    )


def forget_expired_places(session: Session, now: datetime) -> int:
    """Forget looked-up addresses older than the retention period (they are personal data)."""
    days = int(current_app.config.get("RETENTION", {}).get("default_days", 365))
    return forget_old_places(session, now, days)
