"""Planning weeks: ISO weeks ("2026-W49") as people and ``<input type="week">`` write them."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


#: How far from the current week a week may be planned or shown: a week further back or
#: ahead is a typing mistake (and year 1 or 9999 would overflow date arithmetic).
WEEKS_BACK = 52
WEEKS_AHEAD = 104


class WeekInvalid(ValueError):
    """The text is not an ISO week such as 2026-W49, or names a week that does not exist."""


class WeekOutOfRange(WeekInvalid):
    """A real week, but further back or ahead than :func:`week_range` allows."""

    def __init__(self, text: str | None, earliest: date, latest: date) -> None:
        super().__init__(text)
        self.earliest = earliest
        self.latest = latest


def week_range(today: date) -> tuple[date, date]:
    """The Mondays of the first and last week one may plan or show: one year back, two
    years ahead of the week of ``today``."""
    monday = monday_of(today)
    return monday - timedelta(weeks=WEEKS_BACK), monday + timedelta(weeks=WEEKS_AHEAD)


def parse_week(text: str | None, *, today: date | None = None) -> date:
    """The Monday of the ISO week written ``2026-W49`` (also ``2026W49``, ``2026-w9``).

    :param today: when given, the week must lie within :func:`week_range` of it; every
        page and form passes it.
    :raises WeekOutOfRange: the week is too far back or ahead of ``today``.
    :raises WeekInvalid: anything else, including week 53 of a year that has none.
    """
    match = _WEEK.match(text or "")
    if not match:
        raise WeekInvalid(text)
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeekInvalid(text) from None
    if today is not None:
        earliest, latest = week_range(today)
        if not earliest <= monday <= latest:
            raise WeekOutOfRange(text, earliest, latest)
    return monday


def week_code(monday: date) -> str:
    """``2026-W49`` for any day of that week."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_instant(monday: date, minute: int, zone: ZoneInfo) -> datetime:
    """The aware UTC instant of a minute on the week axis (wall-clock time in ``zone``)."""
    day, rest = divmod(minute, 1440)
    wall = datetime.combine(monday + timedelta(days=day), time(rest // 60, rest % 60), zone)
    return wall.astimezone(UTC)


def week_minute(monday: date, instant: datetime, zone: ZoneInfo) -> int:
    """The minute on the week axis of an aware instant (its wall-clock time in ``zone``)."""
    wall = instant.astimezone(zone)
    return (wall.date() - monday).days * 1440 + wall.hour * 60 + wall.minute


def week_bounds(monday: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Local Monday 00:00 and the next Monday 00:00, as aware UTC instants."""
    return local_instant(monday, 0, zone), local_instant(monday + timedelta(days=7), 0, zone)
