"""The ``[GEO]`` table of ``config.toml``, read once and typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scheduler.core.settings import ConfigurationError

GEOCODERS = ("none", "nominatim", "ban")


@dataclass(frozen=True, slots=True)
class GeoSettings:
    """Which geocoder places street addresses, and how politely; see ``[GEO]``."""

    geocoder: str = "none"
    domain: str | None = None
    scheme: str = "https"
    user_agent: str = "escouade"
    timeout_s: float = 5.0
    min_delay_s: float = 1.0
    #: A result farther than this from the municipality's centre is ignored.
    max_km_from_municipality: float = 25.0
    #: A failed lookup is tried again after this many days.
    retry_failed_days: int = 30

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> GeoSettings:
        """Read ``[GEO]``; missing keys keep their defaults.

        :raises ConfigurationError: a value of the wrong kind, or an unknown geocoder.
        """
        table = dict(table or {})
        defaults = cls()
        try:
            settings = cls(
                geocoder=str(table.get("geocoder", defaults.geocoder) or "none").lower(),
                domain=str(table.get("domain") or "") or None,
                scheme=str(table.get("scheme", defaults.scheme)),
                user_agent=str(table.get("user_agent") or defaults.user_agent),
                timeout_s=float(table.get("timeout_s", defaults.timeout_s)),
                min_delay_s=float(table.get("min_delay_s", defaults.min_delay_s)),
                max_km_from_municipality=float(
                    table.get("max_km_from_municipality", defaults.max_km_from_municipality)
                ),
                retry_failed_days=int(table.get("retry_failed_days", defaults.retry_failed_days)),
            )
        except (TypeError, ValueError) as error:
            raise ConfigurationError(f"[GEO] has a value of the wrong kind: {error}") from None
        if settings.geocoder not in GEOCODERS:
            raise ConfigurationError(f"[GEO] geocoder must be one of {', '.join(GEOCODERS)}.")
        return settings
