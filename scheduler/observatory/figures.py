"""Figures over request rows: outcomes by dimension, reasons left out, waiting times.

Pure functions of :class:`~.rows.RequestRow` lists, so that a test can build rows by hand
and check each count. Definitions, as the dashboard states them:

* **received**: created in the period (a merged duplicate is not counted twice);
* **served**: given an appointment (planned or confirmed) or helped (done);
* **left out**: still new or triaged, and the latest published plan that could have
  placed it left it out (its reason is kept);
* **waiting**: still new or triaged, never left out by a published plan;
* **cancelled** and **no-show**: the request's own status.

A request with two needs (or languages) counts under each of them in the tables by need
(or language); totals count it once.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from typing import Any

from scheduler.models import RequestStatus

from .rows import RequestRow

OUTCOMES = ("served", "waiting", "left_out", "cancelled", "no_show")
SERVED_STATUSES = frozenset({RequestStatus.PLANNED, RequestStatus.CONFIRMED, RequestStatus.DONE})
#: The detail keys that tell recruiters something, by reason: who is missing, when.
#: Other details (a km figure per request) would split one reason into many lines.
REASON_KEYS: dict[str, tuple[str, ...]] = {
    "no_language_match": ("languages", "days"),
    "missing_skill": ("skills",),
    "capacity": ("bound",),
}
UNKNOWN = ""


def outcome(row: RequestRow) -> str:
    """Which of :data:`OUTCOMES` a request counts under."""
    if row.status is RequestStatus.CANCELLED:
        return "cancelled"
    if row.status is RequestStatus.NO_SHOW:
        return "no_show"
    if row.status in SERVED_STATUSES:
        return "served"
    return "left_out" if row.left_out_reason is not None else "waiting"


@dataclass
class Tally:
    """Received requests and what became of them, for one line of a table."""

    key: str
    received: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    def add(self, row: RequestRow) -> None:
        self.received += 1
        self.outcomes[outcome(row)] += 1

    def __getitem__(self, name: str) -> int:
        return self.outcomes[name]


def total(rows: Iterable[RequestRow]) -> Tally:
    tally = Tally("")
    for row in rows:
        tally.add(row)
    return tally


def _by(rows: Iterable[RequestRow], keys: Callable[[RequestRow], Iterable[str]]) -> list[Tally]:
    """One tally per key, most received first (then by key, for a stable order)."""
    tallies: dict[str, Tally] = {}
    for row in rows:
        for key in dict.fromkeys(keys(row)) or (UNKNOWN,):
            tallies.setdefault(key, Tally(key)).add(row)
    return sorted(tallies.values(), key=lambda t: (-t.received, t.key))


def by_municipality(rows: Iterable[RequestRow]) -> list[Tally]:
    return _by(rows, lambda r: (r.municipality,))


def by_language(rows: Iterable[RequestRow]) -> list[Tally]:
    return _by(rows, lambda r: r.languages)


def by_mode(rows: Iterable[RequestRow]) -> list[Tally]:
    return _by(rows, lambda r: (r.mode.value,))


def by_need(rows: Iterable[RequestRow]) -> list[Tally]:
    return _by(rows, lambda r: r.needs)


@dataclass(frozen=True, slots=True)
class ReasonCount:
    """One reason requests were left out, with the details that say whom to recruit."""

    reason: str
    detail: dict[str, Any]
    requests: int


def ranked_reasons(rows: Iterable[RequestRow]) -> list[ReasonCount]:
    """Reasons the requests still left out were left out, most frequent first."""
    return rank_reasons(
        (row.left_out_reason, row.left_out_detail)
        for row in rows
        if outcome(row) == "left_out" and row.left_out_reason is not None
    )


def rank_reasons(reasons: Iterable[tuple[str, dict[str, Any]]]) -> list[ReasonCount]:
    """One line per reason and telling details (languages and days, skills, the limit
    reached), most requests first."""
    return rank_reason_counts((reason, detail, 1) for reason, detail in reasons)


def rank_reason_counts(reasons: Iterable[tuple[str, dict[str, Any], int]]) -> list[ReasonCount]:
    """:func:`rank_reasons` for reasons already counted: (reason, detail, requests)."""
    counts: Counter[tuple[str, str]] = Counter()
    details: dict[tuple[str, str], dict[str, Any]] = {}
    for reason, detail, requests in reasons:
        kept = {k: detail[k] for k in REASON_KEYS.get(reason, ()) if k in detail}
        key = (reason, repr(sorted(kept.items())))
        counts[key] += requests
        details[key] = kept
    return [
        ReasonCount(reason, details[(reason, text)], n)
        for (reason, text), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``p`` % of the values
    at or below it (no interpolation: every figure shown is one that happened)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Waiting:
    """Days from request to first appointment, for the requests of one week (or all)."""

    monday: date | None
    requests: int
    median_days: float | None
    p90_days: float | None


def waiting_days(row: RequestRow) -> float | None:
    """Days (with decimals) from the request to its first appointment; None without one."""
    if row.first_appointment_at is None:
        return None
    seconds = (row.first_appointment_at - row.received_at).total_seconds()
    return max(0.0, seconds / 86400)


def waiting_summary(monday: date | None, values: list[float]) -> Waiting:
    if not values:
        return Waiting(monday, 0, None, None)
    return Waiting(
        monday,
        len(values),
        round(statistics.median(values), 1),
        round(percentile(values, 90), 1),
    )


def waiting_overall(rows: Iterable[RequestRow]) -> Waiting:
    values = [d for d in map(waiting_days, rows) if d is not None]
    return waiting_summary(None, values)


def waiting_by_week(rows: Iterable[RequestRow], first: date, last: date) -> list[Waiting]:
    pairs = []
    for row in rows:
        days = waiting_days(row)
        if days is not None:
            pairs.append((row.received_on, days))
    return waiting_weeks(pairs, first, last)


def waiting_weeks(pairs: Iterable[tuple[date, float]], first: date, last: date) -> list[Waiting]:
    """One line per week of the period, by the week the requests arrived (Monday first);
    weeks without an appointment given show no figure rather than zero."""
    weeks: dict[date, list[float]] = {}
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        weeks[monday] = []
        monday += timedelta(days=7)
    for received_on, days in pairs:
        week = received_on - timedelta(days=received_on.weekday())
        if week in weeks:
            weeks[week].append(days)
    return [waiting_summary(m, values) for m, values in weeks.items()]


def unmet_per_thousand(unmet: int, population: int | None) -> float | None:
    """Requests left out or still waiting per 1,000 inhabitants; None without a population."""
    if not population:
        return None
    return round(unmet * 1000 / population, 2)
