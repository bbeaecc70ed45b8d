"""Local days counted by the database, the same way on SQLite and PostgreSQL.

Instants are stored as naive UTC. To group a year of appointments by the organisation's
local day in SQL (rather than reading every row into Python), an instant becomes a day
number: ``floor((seconds since 1970 + the zone's UTC offset at that instant) / 86400)``.
The offset changes only at daylight-saving transitions, so it is a short ``CASE`` over the
transitions that fall in the period, found here with :mod:`zoneinfo`: exact, also for an
instant between midnight and the change of time.
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from scheduler.models import UTCDateTime

EPOCH_DAY = date(1970, 1, 1)


class epoch_seconds(FunctionElement[Any]):
    """Whole seconds from 1970-01-01 UTC to a stored (naive UTC) instant."""

    type = sa.Integer()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds)
def _epoch_default(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    # PostgreSQL: a timestamp without time zone counts from 1970-01-01 00:00 as written.
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


class day_number(FunctionElement[Any]):
    """``floor(seconds / 86400)`` for a whole number of seconds, as an integer."""

    type = sa.Integer()
    inherit_cache = True
    name = "day_number"


@compiles(day_number, "sqlite")
def _day_sqlite(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    # Integer division truncates; the seconds are after 1970, so it is the floor.
    return f"(({compiler.process(element.clauses, **kw)}) / 86400)"


@compiles(day_number)
def _day_default(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(FLOOR(({compiler.process(element.clauses, **kw)}) / 86400.0) AS INTEGER)"


def offsets(zone: ZoneInfo, starts: datetime, ends: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offset in seconds from ``starts`` to ``ends``: the first pair starts
    at ``starts``, each further one at the exact instant the offset changed."""
    found: list[tuple[datetime, int]] = []
    instant = starts.astimezone(UTC)
    end = ends.astimezone(UTC)

    def offset_at(t: datetime) -> int:
        delta = t.astimezone(zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    current = offset_at(instant)
    found.append((instant, current))
    while instant < end:
        step = min(instant + timedelta(days=1), end)
        if offset_at(step) != current:
            low, high = instant, step  # the change lies in (low, high]
            while (high - low) > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset_at(middle) == current:
                    low = middle
                else:
                    high = middle
            current = offset_at(high)
            found.append((high.replace(microsecond=0), current))
        instant = step
    return found


def local_day(column: Any, zone: ZoneInfo, starts: datetime, ends: datetime) -> Any:
    """SQL for the local day number of ``column`` (see :func:`to_date`), exact for every
    instant from ``starts`` to ``ends``."""
    changes = offsets(zone, starts, ends)
    if len(changes) == 1:
        offset: Any = sa.literal(changes[0][1])
    else:
        offset = sa.case(
            *(
                (column < sa.literal(at, UTCDateTime), previous)
                for (at, _), (_, previous) in zip(changes[1:], changes, strict=False)
            ),
            else_=changes[-1][1],
        )
    return day_number(epoch_seconds(column) + offset)


def to_date(number: int) -> date:
    """The date of a day number from :func:`local_day`."""
    return EPOCH_DAY + timedelta(days=int(number))
