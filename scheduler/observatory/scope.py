"""What the figures cover: a period of local dates, and optionally one site or municipality.

The dashboard's filters arrive as text (``period=month``, ``value=2026-03``); this module
reads them into a :class:`Scope` or refuses with an :class:`InputRefused` naming the field,
so that the page can say what is wrong beside it and keep what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from scheduler.core.validation import InputRefused
from scheduler.core.validation import plain_number

PERIOD_KINDS = ("week", "month", "quarter", "year", "dates")
#: Longest span the dates filter accepts: a few years of figures, not a century.
MAX_DAYS = 366 * 5
#: Years a period may fall in, as for a volunteer's year: figures are of this century, and
#: a year such as 9999 (a typing mistake) would run past the end of the calendar when the
#: period is turned into instants.
FIRST_YEAR, LAST_YEAR = 2000, 2100

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, slots=True)
class Scope:
    """Local dates ``first`` to ``last`` (both included), and the narrowing filters."""

    first: date
    last: date
    site_id: int | None = None
    municipality_id: int | None = None

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as aware instants: from the first day's midnight to the day after
        the last one's, in the organisation's zone."""
        starts = datetime.combine(self.first, time(0), tzinfo=zone)
        ends = datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=zone)
        return starts, ends

    def describe(self) -> str:
        """A short, stable text of the filters, for file names and the export record."""
        text = f"{self.first.isoformat()}..{self.last.isoformat()}"
        if self.site_id is not None:
            text += f" site={self.site_id}"
        if self.municipality_id is not None:
            text += f" municipality={self.municipality_id}"
        return text


def period_bounds(kind: str, value: str) -> tuple[date, date]:
    """The first and last day of a week (``2026-W09``), month (``2026-03``), quarter
    (``2026-Q1``) or year (``2026``).

    :raises InputRefused: field ``value``, code ``period_format`` (with the kind).
    """
    text = value.strip()
    try:
        if kind == "week" and (m := _WEEK.match(text)):
            first = date.fromisocalendar(_year(m[1]), int(m[2]), 1)
            return first, first + timedelta(days=6)
        if kind == "month" and (m := _MONTH.match(text)):
            first = date(_year(m[1]), int(m[2]), 1)
            return first, _next_month(first) - timedelta(days=1)
        if kind == "quarter" and (m := _QUARTER.match(text)):
            first = date(_year(m[1]), 3 * int(m[2]) - 2, 1)
            return first, _next_month(_next_month(_next_month(first))) - timedelta(days=1)
        if kind == "year" and (m := _YEAR.match(text)):
            return date(_year(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except InputRefused:
        raise
    except ValueError:
        pass
    raise InputRefused("value", "period_format", kind=kind)


def _year(digits: str) -> int:
    """A period's year, refused outside the years figures cover before any date is built."""
    year = int(digits)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputRefused("value", "out_of_range", first=FIRST_YEAR, last=LAST_YEAR)
    return year


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def default_value(kind: str, today: date) -> str:
    """The period of that kind holding ``today``, as the filter writes it."""
    if kind == "week":
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "month":
        return f"{today.year}-{today.month:02d}"
    if kind == "quarter":
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return str(today.year)


def read_scope(
    *,
    kind: str,
    value: str = "",
    first: str = "",
    last: str = "",
    site: str = "",
    municipality: str = "",
    site_ids: frozenset[int],
    municipality_ids: frozenset[int],
    today: date,
) -> Scope:
    """Read the dashboard's filters; an empty value means the current period of its kind.

    ``site_ids`` and ``municipality_ids`` are the organisation's own: an id from another
    organisation is refused like a typo, never shown.

    :raises InputRefused: on the field at fault (``period``, ``value``, ``first``,
        ``last``, ``site``, ``municipality``).
    """
    if kind not in PERIOD_KINDS:
        raise InputRefused("period", "choice")
    if kind == "dates":
        start = _within_years(_day(first, "first"), "first")
        end = _within_years(_day(last, "last"), "last")
        if end < start:
            raise InputRefused("last", "before_first")
        if (end - start).days > MAX_DAYS:
            raise InputRefused("last", "too_long", limit=MAX_DAYS)
    else:
        start, end = period_bounds(kind, value or default_value(kind, today))
    return Scope(
        first=start,
        last=end,
        site_id=_choice(site, site_ids, "site"),
        municipality_id=_choice(municipality, municipality_ids, "municipality"),
    )


def _within_years(day: date, field: str) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputRefused(field, "out_of_range", first=FIRST_YEAR, last=LAST_YEAR)
    return day


def _day(text: str, field: str) -> date:
    if not text.strip():
        raise InputRefused(field, "required")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputRefused(field, "date_format") from None


def _choice(text: str, allowed: frozenset[int], field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    chosen = plain_number(text)
    if chosen is None or chosen not in allowed:
        raise InputRefused(field, "choice")
    return chosen
