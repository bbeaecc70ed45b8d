"""A volunteer's year: their own hours and km month by month, and the statement they
download for a mileage claim or to value their volunteer time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from scheduler.models import Organisation

from . import activity
from .scope import Scope


@dataclass(frozen=True, slots=True)
class Month:
    """One month of a volunteer's year (``month`` from 1 to 12)."""

    month: int
    hours: activity.VolunteerHours


@dataclass(frozen=True)
class YearStatement:
    year: int
    volunteer_id: int
    months: list[Month]
    total: activity.VolunteerHours
    #: Whether any visit report counts: otherwise the figures are the planned ones.
    reports_available: bool


def volunteer_year(
    session: Session,
    organisation: Organisation,
    volunteer_id: int,
    year: int,
    *,
    today: date | None = None,
) -> YearStatement:
    """The twelve months of ``year`` for one volunteer; a month without work shows zeros.

    With ``today``, only the days up to it count: the statement backs a mileage claim, and
    a visit planned for next week is neither hours given nor km driven yet.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    if today is not None:
        last = min(last, today)
    work: list[activity.DayWork] = []
    days: dict[tuple[int, date], tuple[float, int]] = {}
    if first <= last:
        scope = Scope(first, last)
        work = activity.load_work(session, organisation, scope, volunteer_id=volunteer_id)
        days = {
            key: value
            for key, value in activity.plan_days(session, organisation, scope).items()
            if key[0] == volunteer_id and key[1] <= last
        }
    months = []
    for month in range(1, 13):
        in_month = [w for w in work if w.day.month == month]
        month_days = {k: v for k, v in days.items() if k[1].month == month}
        lines = activity.volunteer_hours(in_month, month_days)
        months.append(Month(month, lines[0] if lines else activity.VolunteerHours(volunteer_id)))
    total = activity.hours_total([m.hours for m in months])
    total.volunteer_id = volunteer_id
    return YearStatement(
        year, volunteer_id, months, total, reports_available=any(w.reported for w in work)
    )
