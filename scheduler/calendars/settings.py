"""Feed settings, read once from the ``[FEEDS]`` table of the configuration.

A typo in a key or a wrong type stops the application at start-up rather than
quietly falling back to a default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from scheduler.core.settings import ConfigurationError

DEFAULT_MAP_URL = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
DEFAULT_MAP_SEARCH_URL = "https://www.openstreetmap.org/search?query={query}"


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """See ``[FEEDS]`` in ``config.toml`` for what each setting means."""

    base_url: str = ""
    refresh_min: int = 60
    reminder_min: int = 30
    beneficiary_reminders_min: tuple[int, ...] = (1440, 60)
    cancelled_days: int = 30
    past_days: int = 30
    future_days: int = 365
    site_weeks: int = 12
    travel_events: bool = True
    rate_limit: str = "120 per hour"
    cache_max_age: int = 300
    map_url: str = DEFAULT_MAP_URL
    map_search_url: str = DEFAULT_MAP_SEARCH_URL

    @property
    def refresh(self) -> timedelta:
        return timedelta(minutes=self.refresh_min)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> FeedSettings:
        """Settings from the ``[FEEDS]`` table; missing keys keep their defaults.

        :raises ConfigurationError: on an unknown key or a value of the wrong kind.
        """
        values = dict(values or {})
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigurationError(f"[FEEDS] has unknown settings: {', '.join(unknown)}")
        fields: dict[str, Any] = {}
        for name, value in values.items():
            fields[name] = _checked(name, value)
        settings = cls(**fields)
        for template, needed in (
            (settings.map_url, ("{lat}", "{lon}")),
            (settings.map_search_url, ("{query}",)),
        ):
            if not template.startswith("https://") or not all(n in template for n in needed):
                raise ConfigurationError(
                    f"[FEEDS] map links must be https:// and contain {' '.join(needed)}"
                )
        return settings


def _checked(name: str, value: Any) -> Any:
    default = {f.name: f.default for f in dataclasses.fields(FeedSettings)}[name]
    if name == "base_url":
        if not isinstance(value, str) or (value and not value.startswith(("https://", "http://"))):
            raise ConfigurationError("[FEEDS] base_url must be empty or start with https://")
        return value.rstrip("/")
    if name == "beneficiary_reminders_min":
        if not isinstance(value, list | tuple) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
        ):
            raise ConfigurationError("[FEEDS] beneficiary_reminders_min must be a list of minutes")
        return tuple(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigurationError(f"[FEEDS] {name} must be true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigurationError(f"[FEEDS] {name} must be a whole number, 0 or more")
        return value
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"[FEEDS] {name} must be a non-empty string")
    return value
