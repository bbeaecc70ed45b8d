"""The ``[BOOKING]`` settings, read once and typed: what the request form offers and accepts.

The blueprint builds :class:`BookingOptions` from the configuration when it is
registered, so a typo in ``config.toml`` stops the service at start-up instead of
on the first request. Services receive the options as an argument and never read
the Flask configuration themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from scheduler.core.settings import ConfigurationError
from scheduler.models import Mode
from scheduler.models import Period
from scheduler.models import Weekday

#: Free-text columns of a request hold at most this many characters.
TEXT_COLUMN_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class BookingOptions:
    """What the booking form offers; see ``[BOOKING]`` in ``config.toml``."""

    #: ISO 639-1 codes offered, in order.
    languages: tuple[str, ...] = ("fr", "en")
    #: Period code ("am") → local [start, end), in the order shown.
    periods: tuple[tuple[str, time, time], ...] = (
        ("am", time(9), time(12)),
        ("pm", time(13), time(17)),
        ("eve", time(17), time(20)),
    )
    #: Days offered, 0 = Monday.
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    #: First estimate of a request's length in minutes, by mode.
    duration_min: tuple[tuple[Mode, int], ...] = (
        (Mode.HOME, 90),
        (Mode.PHONE, 30),
        (Mode.DROPIN, 60),
    )
    #: Longest free text accepted, in characters (never above the column size).
    max_text: int = TEXT_COLUMN_LIMIT
    #: Accepted requests one address may send from the public form.
    rate_limit: str = "10 per hour;30 per day"
    #: Every attempt from one address, mistakes included: stops a flood of bad posts.
    attempt_limit: str = "60 per hour"
    #: Who to write to about personal data; the organisation's e-mail when empty.
    privacy_contact: str | None = None
    #: A deadline further away than this is taken for a typing mistake.
    deadline_max_days: int = 366

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> BookingOptions:
        """Read the ``[BOOKING]`` table; missing keys keep their defaults.

        :raises ConfigurationError: a value has the wrong shape or is out of range.
        """
        table = dict(table or {})
        defaults = cls()
        try:
            languages = tuple(str(code).lower() for code in table.get("languages", ()))
            periods = _periods(table.get("periods")) if "periods" in table else defaults.periods
            weekdays = tuple(int(d) for d in table.get("weekdays", defaults.weekdays))
            durations = table.get("duration_min", {})
            duration_min = tuple(
                (mode, int(durations.get(mode.value, dict(defaults.duration_min)[mode])))
                for mode in Mode
            )
            max_text = int(table.get("max_text", defaults.max_text))
            deadline_max_days = int(table.get("deadline_max_days", defaults.deadline_max_days))
        except (TypeError, ValueError, AttributeError) as error:
            raise ConfigurationError(f"[BOOKING] has a value of the wrong kind: {error}") from None
        if not languages:
            languages = defaults.languages
        if any(d not in range(7) for d in weekdays) or not weekdays:
            raise ConfigurationError("[BOOKING] weekdays must list days 0 (Monday) to 6.")
        if not 1 <= max_text <= TEXT_COLUMN_LIMIT:
            raise ConfigurationError(
                f"[BOOKING] max_text must be between 1 and {TEXT_COLUMN_LIMIT}."
            )
        if any(minutes <= 0 for _, minutes in duration_min):
            raise ConfigurationError("[BOOKING] duration_min values must be positive minutes.")
        contact = str(table.get("privacy_contact") or "").strip() or None
        return cls(
            languages=tuple(dict.fromkeys(languages)),
            periods=periods,
            weekdays=tuple(sorted(set(weekdays))),
            duration_min=duration_min,
            max_text=max_text,
            rate_limit=str(table.get("rate_limit", defaults.rate_limit)),
            attempt_limit=str(table.get("attempt_limit", defaults.attempt_limit)),
            privacy_contact=contact,
            deadline_max_days=max(1, deadline_max_days),
        )

    def duration_for(self, mode: Mode) -> int:
        return dict(self.duration_min)[mode]

    @property
    def period_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _, _ in self.periods)

    def slot_codes(self) -> list[str]:
        """Every code of the availability grid, day by day: "mon-am", "mon-pm"…"""
        return [slot_code(day, period) for day in self.weekdays for period in self.period_codes]


def slot_code(weekday: int, period: str) -> str:
    """The stored code of one cell of the grid: (1, "am") → "tue-am"."""
    return f"{Weekday(weekday).code}-{period}"


def parse_slot(code: str) -> tuple[int, str] | None:
    """The (weekday, period) of a stored code, or None when it is not one."""
    day, _, period = code.partition("-")
    for weekday in Weekday:
        if weekday.code == day and period in {p.value for p in Period}:
            return int(weekday), period
    return None


def _periods(value: Any) -> tuple[tuple[str, time, time], ...]:
    if not isinstance(value, Mapping) or not value:
        raise ConfigurationError("[BOOKING] periods must map am/pm/eve to [start, end].")
    known = [p.value for p in Period]
    result = []
    for code in sorted(value, key=lambda c: known.index(c) if c in known else len(known)):
        if code not in known:
            raise ConfigurationError(f"[BOOKING] periods: unknown period {code!r}.")
        start_text, end_text = value[code]
        start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
        if not start < end:
            raise ConfigurationError(f"[BOOKING] periods: {code} must start before it ends.")
        result.append((code, start, end))
    return tuple(result)
