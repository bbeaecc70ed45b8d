"""A volunteer's own week on ``/me`` (coming visits and calls, the day's map) and
reporting each visit afterwards (``/me/visits/<id>/report``). Blueprint ``reports``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response

from scheduler import reports
from scheduler.core.extensions import db
from scheduler.core.validation import InputRefused
from scheduler.maps import Day
from scheduler.maps import days_from_appointments
from scheduler.maps import local_day_bounds
from scheduler.maps.plans import DayMap
from scheduler.maps.plans import day_map
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from scheduler.people.volunteers import volunteer_for_user

bp = Blueprint("reports", __name__)

#: Days ahead shown on ``/me``: this week and the next.
AHEAD_DAYS = 14
WORDS = {
    "not_a_choice": _l("Say whether the visit took place."),
    "required": _l("Enter the time spent, in minutes."),
    "not_a_number": _l("Enter a number, such as 45."),
    "out_of_range": _l("Enter a number between 0 and %(high)s."),
    "too_long": _l("Write at most %(limit)d characters."),
    "not_yet": _l("This visit has not started yet: report it afterwards."),
    "too_late": _l("Reports close %(days)d days after the visit: ask your coordinator."),
    "cancelled": _l("This visit was cancelled."),
    "not_yours": _l("This visit is not yours."),
}


@dataclass(frozen=True)
class MyWeek:
    days: list[Day]
    maps: dict[Any, DayMap]
    reportable: list[reports.Reportable]
    totals: reports.YearTotals


def my_week(volunteer: Volunteer) -> MyWeek:
    """What ``/me`` shows of the volunteer's visits."""
    org = volunteer.organisation
    now = utcnow()
    today = local_today(org, now)
    _start, end = local_day_bounds(org, today, AHEAD_DAYS)
    days = days_from_appointments(db.session(), org, now, end, volunteer_id=volunteer.id)
    maps = {d.day: day_map(org, [d]) for d in days if d.visits}
    return MyWeek(
        days=days,
        maps=maps,
        reportable=reports.reportable_visits(db.session(), volunteer, now),
        totals=reports.year_totals(db.session(), volunteer, today.year, ZoneInfo(org.timezone)),
    )


@bp.app_context_processor
def week_helpers() -> dict[str, Any]:
    return {"my_week": my_week, "timedelta_minutes": lambda m: timedelta(minutes=m)}


def _own() -> Volunteer:
    volunteer = volunteer_for_user(db.session(), current_user)
    if volunteer is None:
        abort(404)
    return volunteer


def _refusal_words(refusal: InputRefused) -> str:
    words = WORDS.get(refusal.code, WORDS["not_a_choice"])
    return str(words) % refusal.params if refusal.params else str(words)


@bp.route("/me/visits/<int:appointment_id>/report", methods=["GET", "POST"])
@login_required
def report(appointment_id: int) -> str | Response | tuple[str, int]:
    volunteer = _own()
    appointment = reports.find_own_appointment(db.session(), volunteer, appointment_id)
    if appointment is None:
        abort(404)
    existing = reports.report_of(db.session(), appointment)
    zone = ZoneInfo(volunteer.organisation.timezone)
    closed = reports.report_closed(appointment, utcnow()) if request.method == "GET" else None
    if closed is not None:
        # Opened by its address before the visit, after the edit window or once cancelled:
        # say so at once rather than show a form refused once filled in (POST refuses too).
        return render_template(
            "reports/report.html",
            appointment=appointment,
            starts=appointment.starts_at.astimezone(zone),
            closed=closed.code,
            closed_words=_refusal_words(closed),
        )
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {k: request.form.get(k, "") for k in ("outcome", "minutes", "km", "note")}
        try:
            outcome, minutes, km, note = reports.read_report(
                form["outcome"], form["minutes"], form["km"], form["note"]
            )
            reports.report_visit(
                db.session(),
                volunteer,
                appointment,
                outcome=outcome,
                minutes=minutes,
                km=km,
                note=note,
                now=utcnow(),
                user=current_user._get_current_object(),
            )
        except InputRefused as refusal:
            db.session.rollback()
            errors[refusal.field or "outcome"] = _refusal_words(refusal)
        else:
            flash(_("Thank you: your report is saved."), "success")
            return redirect(url_for("volunteers.me") + "#my-reports")
    elif existing is not None:
        form = {
            "outcome": existing.outcome,
            "minutes": str(existing.minutes_spent or ""),
            "km": "" if existing.km_driven is None else f"{existing.km_driven:g}",
            "note": existing.note or "",
        }
    else:
        planned = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
        km = appointment.travel_km_before
        form = {
            "outcome": "",
            "minutes": str(planned),
            "km": f"{2 * km:g}" if km else "",
            "note": "",
        }
    page = render_template(
        "reports/report.html",
        appointment=appointment,
        starts=appointment.starts_at.astimezone(zone),
        form=form,
        errors=errors,
        existing=existing,
        edit_days=reports.EDIT_DAYS,
        closes=(appointment.starts_at + timedelta(days=reports.EDIT_DAYS)).astimezone(zone),
    )
    return (page, 400) if errors else page
