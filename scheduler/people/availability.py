"""A volunteer's week: recurring availability windows and days off.

Windows are local wall-clock times in the organisation's zone, several a day
allowed (Monday 9:00–12:00 and 13:00–16:00), checked by :mod:`scheduler.core.weekly`.
Absences count both ends.

The checks here return codes, not sentences: the page that asked turns them
into words in the reader's language, beside the row they concern.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.weekly import WEEKDAYS
from scheduler.core.weekly import RowProblem
from scheduler.core.weekly import WindowInput
from scheduler.core.weekly import check_windows
from scheduler.models import Absence
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AvailabilityWindow
from scheduler.models import Volunteer
from scheduler.organisation.organisations import local_today

log = logging.getLogger(__name__)

#: Longest absence one entry may cover, in days.
MAX_ABSENCE_DAYS = 366
#: How far ahead an absence may start, in days.
MAX_ABSENCE_AHEAD_DAYS = 2 * 366
MAX_NOTE = 200


class AvailabilityRefused(ValueError):
    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(", ".join(f"row {p.index}: {p.code}" for p in problems))
        self.problems = list(problems)


class AbsenceProblem(enum.StrEnum):
    ORDER = "order"
    PAST = "past"
    TOO_LONG = "too_long"
    TOO_FAR = "too_far"
    NOTE_TOO_LONG = "note_too_long"


class AbsenceRefused(ValueError):
    def __init__(self, field: str, code: AbsenceProblem) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


class AbsenceNotFound(LookupError):
    """No such absence for this volunteer (never says whether it belongs to someone else)."""


def replace_availability(
    session: Session, volunteer: Volunteer, rows: Sequence[WindowInput], now: datetime
) -> list[AvailabilityWindow]:
    """Make ``rows`` (blank ones dropped) the volunteer's whole week.

    :raises AvailabilityRefused: with every row's problem; nothing is saved then.
    """
    problems = check_windows(rows)
    if problems:
        raise AvailabilityRefused(problems)
    kept = sorted(
        (r for r in rows if not r.is_blank),
        key=lambda r: (r.weekday, r.starts, r.ends),
    )
    volunteer.availability = [
        AvailabilityWindow(weekday=r.weekday, starts=r.starts, ends=r.ends) for r in kept
    ]
    volunteer.updated_at = now
    session.commit()
    return volunteer.availability


def windows_by_day(windows: Iterable[AvailabilityWindow]) -> dict[int, list[tuple[time, time]]]:
    """Monday to Sunday, each day's windows in time order (days without any are empty)."""
    week: dict[int, list[tuple[time, time]]] = {d: [] for d in WEEKDAYS}
    for window in windows:
        week.setdefault(window.weekday, []).append((window.starts, window.ends))
    for day in week.values():
        day.sort()
    return week


def window_minutes(starts: time, ends: time) -> int:
    return (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)


def weekly_minutes(windows: Iterable[AvailabilityWindow]) -> int:
    """Minutes available in a typical week."""
    return sum(window_minutes(w.starts, w.ends) for w in windows)


def check_absence(
    volunteer: Volunteer, first_day: date, last_day: date | None, note: str | None, now: datetime
) -> None:
    """Refuse days off that are in the wrong order, over, too long or too far ahead, before
    anything is looked up for them: a year 9999 typed by mistake would otherwise overflow
    the calendar while counting the visits it takes away.

    :raises AbsenceRefused: with the field to blame and why.
    """
    last_day = last_day or first_day
    today = local_today(volunteer.organisation, now)
    if last_day < first_day:
        raise AbsenceRefused("last_day", AbsenceProblem.ORDER)
    if last_day < today:
        raise AbsenceRefused("last_day", AbsenceProblem.PAST)
    if (last_day - first_day).days + 1 > MAX_ABSENCE_DAYS:
        raise AbsenceRefused("last_day", AbsenceProblem.TOO_LONG)
    if first_day > today + timedelta(days=MAX_ABSENCE_AHEAD_DAYS):
        raise AbsenceRefused("first_day", AbsenceProblem.TOO_FAR)
    if note is not None and len(note) > MAX_NOTE:
        raise AbsenceRefused("note", AbsenceProblem.NOTE_TOO_LONG)


def add_absence(
    session: Session,
    volunteer: Volunteer,
    first_day: date,
    last_day: date | None,
    note: str | None,
    now: datetime,
) -> Absence:
    """Record days off; a missing last day means a single day.

    :raises AbsenceRefused: the days are in the wrong order, over, too long or too far ahead.
    """
    last_day = last_day or first_day
    note = (note or "").strip() or None
    check_absence(volunteer, first_day, last_day, note, now)
    absence = Absence(first_day=first_day, last_day=last_day, note=note)
    taken = len(visits_during(session, volunteer, first_day, last_day, now))
    volunteer.absences.append(absence)
    volunteer.updated_at = now
    session.commit()
    log.info(
        "days off entered for volunteer %d over %d planned visits",
        volunteer.id,
        taken,
    )
    return absence


def visits_during(
    session: Session, volunteer: Volunteer, first_day: date, last_day: date | None, now: datetime
) -> list[Appointment]:
    """The volunteer's coming appointments (scheduled or confirmed) on these days, local
    dates both ends included: what an absence on these days would take away from them."""
    last_day = last_day or first_day
    zone = ZoneInfo(volunteer.organisation.timezone)
    starts = datetime.combine(first_day, time(0), zone)
    ends = datetime.combine(last_day + timedelta(days=1), time(0), zone)
    return list(
        session.scalars(
            sa.select(Appointment)
            .where(
                Appointment.volunteer_id == volunteer.id,
                Appointment.status.in_((AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)),
                Appointment.starts_at >= max(starts, now),
                Appointment.starts_at < ends,
            )
            .order_by(Appointment.starts_at)
        )
    )


def remove_absence(session: Session, volunteer: Volunteer, absence_id: int, now: datetime) -> None:
    """Delete one of the volunteer's absences.

    :raises AbsenceNotFound: the id is not one of this volunteer's absences.
    """
    absence = next((a for a in volunteer.absences if a.id == absence_id), None)
    if absence is None:
        raise AbsenceNotFound(absence_id)
    volunteer.absences.remove(absence)
    volunteer.updated_at = now
    session.commit()


def split_absences(absences: Iterable[Absence], today: date) -> tuple[list[Absence], list[Absence]]:
    """(current and coming, past): past ones are those whose last day is before today."""
    coming = [a for a in absences if a.last_day >= today]
    past = [a for a in absences if a.last_day < today]
    past.sort(key=lambda a: a.first_day, reverse=True)
    return coming, past


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """A volunteer's typical week and days off, as their profile shows them."""

    week: dict[int, list[tuple[time, time]]]
    weekly_minutes: int
    coming: list[Absence]
    past: list[Absence]


def week_summary(volunteer: Volunteer, now: datetime) -> WeekSummary:
    """The volunteer's week by day, its total, and their days off to come and past."""
    coming, past = split_absences(volunteer.absences, local_today(volunteer.organisation, now))
    return WeekSummary(
        week=windows_by_day(volunteer.availability),
        weekly_minutes=weekly_minutes(volunteer.availability),
        coming=coming,
        past=past,
    )
