"""Weekly time windows as people type them in a week editor, and their checks.

A volunteer's availability and a site's opening hours are both rows of (weekday,
start, end) in local wall-clock time, several a day allowed (Monday 9:00–12:00 and
13:00–16:00). A window that ends exactly when the next one starts is not an overlap.
The checks return codes, not sentences: the page turns them into words beside the row.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import time

WEEKDAYS = range(7)
#: More than this many windows in one day is surely a mistake.
MAX_WINDOWS_PER_DAY = 8


@dataclass(frozen=True, slots=True)
class WindowInput:
    """One row of the weekly editor as typed; a row with neither time is blank and ignored."""

    weekday: int
    starts: time | None
    ends: time | None

    @property
    def is_blank(self) -> bool:
        return self.starts is None and self.ends is None


class WindowProblem(enum.StrEnum):
    WEEKDAY = "weekday"
    INCOMPLETE = "incomplete"
    ORDER = "order"
    OVERLAP = "overlap"
    TOO_MANY = "too_many"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong with row ``index``; ``other`` is the row it overlaps, if any."""

    index: int
    code: str
    other: int | None = None


def check_windows(rows: Sequence[WindowInput]) -> list[RowProblem]:
    """Every problem in a week of rows, at most one per row, in row order."""
    problems: dict[int, RowProblem] = {}
    complete: list[tuple[int, int, time, time]] = []
    for index, row in enumerate(rows):
        if row.weekday not in WEEKDAYS:
            problems[index] = RowProblem(index, WindowProblem.WEEKDAY)
        elif row.is_blank:
            continue
        elif row.starts is None or row.ends is None:
            problems[index] = RowProblem(index, WindowProblem.INCOMPLETE)
        elif row.starts >= row.ends:
            problems[index] = RowProblem(index, WindowProblem.ORDER)
        else:
            complete.append((index, row.weekday, row.starts, row.ends))
    for weekday in WEEKDAYS:
        day = sorted(
            (item for item in complete if item[1] == weekday),
            key=lambda item: (item[2], item[3], item[0]),
        )
        latest: tuple[int, time] | None = None  # (row, end) of the window ending last so far
        for count, (index, _, starts, ends) in enumerate(day, start=1):
            if latest is not None and starts < latest[1]:
                # Blame the row typed later, pointing at the earlier one.
                blamed, other = max(index, latest[0]), min(index, latest[0])
                problems.setdefault(blamed, RowProblem(blamed, WindowProblem.OVERLAP, other))
            elif count > MAX_WINDOWS_PER_DAY:
                problems.setdefault(index, RowProblem(index, WindowProblem.TOO_MANY))
            if latest is None or ends > latest[1]:
                latest = (index, ends)
    return [problems[i] for i in sorted(problems)]


def covers(windows: Iterable[tuple[int, time, time]], starts: datetime, ends: datetime) -> bool:
    """True when one weekly window (weekday, from, to) holds the whole of this local
    visit: a visit the week no longer covers must be given to someone else."""
    day, begin, end = starts.weekday(), starts.time(), ends.time()
    if ends.date() != starts.date():
        return False
    return any(w == day and a <= begin and end <= b for w, a, b in windows)


def covered_minutes(
    windows: Iterable[tuple[int, time, time]], starts: datetime, ends: datetime
) -> int:
    """How many minutes of this local visit the weekly windows hold (a week's windows do
    not overlap one another, so their shares add up): a visit placed outside them keeps
    no fewer than it had, unless a window under it was removed or shortened."""
    if ends.date() != starts.date():
        ends = datetime.combine(starts.date(), time.max, starts.tzinfo)
    begin, end = _minute(starts.time()), _minute(ends.time())
    day = starts.weekday()
    return sum(
        max(0, min(end, _minute(b)) - max(begin, _minute(a))) for w, a, b in windows if w == day
    )


def _minute(moment: time) -> int:
    return moment.hour * 60 + moment.minute
