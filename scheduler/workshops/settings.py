"""The ``[WORKSHOPS]`` settings: how long a freed seat waits for the person it is offered
to, and how far a series may be from someone and still be listed as near them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from scheduler.core.settings import ConfigurationError


@dataclass(frozen=True, slots=True)
class WorkshopSettings:
    """What ``[WORKSHOPS]`` in ``config.toml`` says."""

    #: A seat offered from the waiting list waits this long, then goes to the next person.
    offer_for: timedelta = timedelta(hours=48)
    #: The public form lists the series held within this distance of the person's
    #: municipality (between municipality centres, as the crow flies).
    near_km: float = 35.0

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> WorkshopSettings:
        """:raises ConfigurationError: an unknown key or a value out of range."""
        table = table or {}
        unknown = set(table) - {"offer_hours", "near_km"}
        if unknown:
            raise ConfigurationError(f"[WORKSHOPS] has unknown keys: {sorted(unknown)}")
        hours = table.get("offer_hours", 48)
        if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= 14 * 24:
            raise ConfigurationError("[WORKSHOPS] offer_hours must be a number of hours, 1 to 336.")
        km = table.get("near_km", 35.0)
        if isinstance(km, bool) or not isinstance(km, int | float) or not 1 <= km <= 500:
            raise ConfigurationError("[WORKSHOPS] near_km must be a distance in km, 1 to 500.")
        return cls(offer_for=timedelta(hours=hours), near_km=float(km))
