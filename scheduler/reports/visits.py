"""A volunteer's own visits: the coming ones, and reporting the past ones.

A report says done (minutes actually spent, km driven, a short note) or no-show. It
closes the appointment, writes a line in the request's history (closing the request
when this was its visit) and counts in the volunteer's hours and km of the year. A
report can be corrected for :data:`EDIT_DAYS` days after the visit; after that the
coordination fixes it.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..core.inserts import insert_for
from ..core.validation import InputRefused
from ..models import OPEN_STATUSES
from ..models import Appointment
from ..models import AppointmentStatus
from ..models import RequestEvent
from ..models import RequestStatus
from ..models import User
from ..models import VisitReport
from ..models import Volunteer
from ..models.reports import DONE
from ..models.reports import NO_SHOW

log = logging.getLogger(__name__)

#: Days after a visit during which its report can still be given or corrected.
EDIT_DAYS = 14
MAX_MINUTES = 12 * 60
MAX_KM = 1000.0
MAX_NOTE = 500


@dataclass(frozen=True)
class Reportable:
    """A past appointment of the volunteer, with its report if given."""

    appointment: Appointment
    report: VisitReport | None
    editable: bool


@dataclass(frozen=True)
class YearTotals:
    year: int
    visits_done: int
    no_shows: int
    minutes: int
    km: float

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def reportable_visits(session: Session, volunteer: Volunteer, now: datetime) -> list[Reportable]:
    """The volunteer's appointments of the last :data:`EDIT_DAYS` days, newest first."""
    rows = session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.volunteer_id == volunteer.id,
            Appointment.status != AppointmentStatus.CANCELLED,
            Appointment.starts_at <= now,
            Appointment.starts_at >= now - timedelta(days=EDIT_DAYS),
        )
        .order_by(Appointment.starts_at.desc())
    ).all()
    reports = _reports(session, [a.id for a in rows])
    return [Reportable(a, reports.get(a.id), True) for a in rows]


def find_own_appointment(
    session: Session, volunteer: Volunteer, appointment_id: int
) -> Appointment | None:
    """The volunteer's own appointment, or None (someone else's is not found)."""
    return session.scalar(
        sa.select(Appointment).where(
            Appointment.id == appointment_id, Appointment.volunteer_id == volunteer.id
        )
    )


def report_of(session: Session, appointment: Appointment) -> VisitReport | None:
    return session.scalar(
        sa.select(VisitReport).where(VisitReport.appointment_id == appointment.id)
    )


def read_report(
    outcome: str | None, minutes: str | None, km: str | None, note: str | None
) -> tuple[str, int | None, float | None, str | None]:
    """The form's values, checked; a decimal comma is accepted for km.

    :raises InputRefused: on the field concerned.
    """
    if outcome not in (DONE, NO_SHOW):
        raise InputRefused("outcome", "not_a_choice")
    text = (note or "").strip()
    if len(text) > MAX_NOTE:
        raise InputRefused("note", "too_long", limit=MAX_NOTE)
    if outcome == NO_SHOW:
        km_value = _number("km", km, MAX_KM, required=False)
        return outcome, None, km_value, text or None
    spent = _number("minutes", minutes, MAX_MINUTES, required=True)
    assert spent is not None
    if spent < 1 or spent != int(spent):
        raise InputRefused("minutes", "out_of_range", high=MAX_MINUTES)
    return outcome, int(spent), _number("km", km, MAX_KM, required=False), text or None


def _number(field: str, text: str | None, high: float, *, required: bool) -> float | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        if required:
            raise InputRefused(field, "required")
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputRefused(field, "not_a_number") from None
    if not math.isfinite(value) or not 0 <= value <= high:
        raise InputRefused(field, "out_of_range", high=int(high))
    return round(value, 1)


def report_closed(appointment: Appointment, now: datetime) -> InputRefused | None:
    """Why no report can be written for ``appointment`` now, or ``None`` when one can.

    The report page says it as soon as it is opened, rather than after the form is filled
    in, and :func:`report_visit` refuses with the same reason.
    """
    if appointment.status is AppointmentStatus.CANCELLED:
        return InputRefused(None, "cancelled")
    if appointment.starts_at > now:
        return InputRefused(None, "not_yet")
    if appointment.starts_at < now - timedelta(days=EDIT_DAYS):
        return InputRefused(None, "too_late", days=EDIT_DAYS)
    return None


def report_visit(
    session: Session,
    volunteer: Volunteer,
    appointment: Appointment,
    *,
    outcome: str,
    minutes: int | None,
    km: float | None,
    note: str | None,
    now: datetime,
    user: User | None,
) -> VisitReport:
    """Record (or correct) the report of ``appointment``; commits.

    :raises InputRefused: ``(None, "not_yet")`` before the visit starts,
        ``(None, "too_late")`` after the edit window, ``(None, "cancelled")``.
    """
    if appointment.volunteer_id != volunteer.id:
        raise InputRefused(None, "not_yours")
    closed = report_closed(appointment, now)
    if closed is not None:
        raise closed
    report = report_of(session, appointment) or _report_row(
        session, volunteer, appointment, outcome, now
    )
    report.outcome, report.minutes_spent, report.km_driven, report.note = (
        outcome,
        minutes,
        km,
        note,
    )
    report.updated_at = now
    appointment.status = AppointmentStatus.DONE if outcome == DONE else AppointmentStatus.NO_SHOW
    request = appointment.request
    if request is not None:
        request.events.append(
            RequestEvent(
                at=now,
                user_id=user.id if user is not None else None,
                kind="visit_report",
                detail={
                    "outcome": outcome,
                    "minutes": minutes,
                    "km": km,
                    "note": note,
                    "volunteer": volunteer.first_name,
                },
            )
        )
        if request.status in OPEN_STATUSES:
            request.status = RequestStatus.DONE if outcome == DONE else RequestStatus.NO_SHOW
            request.closed_at = now
    session.commit()
    log.info("visit report %s for appointment %d", outcome, appointment.id)
    return report


def _report_row(
    session: Session, volunteer: Volunteer, appointment: Appointment, outcome: str, now: datetime
) -> VisitReport:
    """The appointment's report, made now unless another save made it a moment ago.

    One INSERT that yields to a row already there: two saves of the report at once (a
    double tap on a phone) make one report, which the later save corrects, where a plain
    INSERT met the one-report-per-visit index and failed.
    """
    session.execute(
        insert_for(session)(VisitReport)
        .values(
            organisation_id=appointment.organisation_id,
            appointment_id=appointment.id,
            volunteer_id=volunteer.id,
            outcome=outcome,
            visit_at=appointment.starts_at,
            reported_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=[VisitReport.appointment_id])
    )
    return session.scalars(
        sa.select(VisitReport).where(VisitReport.appointment_id == appointment.id)
    ).one()


def year_totals(session: Session, volunteer: Volunteer, year: int, zone: ZoneInfo) -> YearTotals:
    """Visits done, no-shows, minutes of help and km of the volunteer's reports in ``year``."""
    start = datetime.combine(date(year, 1, 1), datetime.min.time(), zone)
    end = datetime.combine(date(year + 1, 1, 1), datetime.min.time(), zone)
    reports = session.scalars(
        sa.select(VisitReport).where(
            VisitReport.volunteer_id == volunteer.id,
            VisitReport.visit_at >= start,
            VisitReport.visit_at < end,
        )
    ).all()
    return YearTotals(
        year=year,
        visits_done=sum(1 for r in reports if r.outcome == DONE),
        no_shows=sum(1 for r in reports if r.outcome == NO_SHOW),
        minutes=sum(r.minutes_spent or 0 for r in reports),
        km=round(sum(r.km_driven or 0.0 for r in reports), 1),
    )


def _reports(session: Session, appointment_ids: list[int]) -> dict[int, VisitReport]:
    if not appointment_ids:
        return {}
    rows = session.scalars(
        sa.select(VisitReport).where(VisitReport.appointment_id.in_(appointment_ids))
    )
    return {r.appointment_id: r for r in rows}
