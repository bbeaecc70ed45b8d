"""The leader's attendance page, made for a phone: one big box per participant, one
button. Works without JavaScript; staff may use it too, a partner's login may not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from routes.access import role_required
from scheduler.core.extensions import db
from scheduler.core.validation import plain_number
from scheduler.models import Role
from scheduler.models import WorkshopSession
from scheduler.models import utcnow
from scheduler.people.volunteers import volunteer_for_user
from scheduler.workshops import attendance as attendances
from scheduler.workshops import enrolment as enrolments
from scheduler.workshops.errors import WorkshopError
from scheduler.workshops.programmes import sessions_led_by

from . import bp
from .words import refusal


@bp.get("/me/workshops")
@role_required(Role.VOLUNTEER, Role.DISPATCHER, Role.ADMIN)
def mine() -> str:
    volunteer = volunteer_for_user(db.session(), current_user)
    sessions = (
        sessions_led_by(db.session(), volunteer, since=utcnow() - timedelta(days=14))
        if volunteer is not None
        else []
    )
    return render_template("workshops/mine.html", sessions=sessions)


@bp.route("/me/workshops/sessions/<int:session_id>", methods=["GET", "POST"])
@role_required(Role.VOLUNTEER, Role.DISPATCHER, Role.ADMIN)
def take_attendance(session_id: int) -> Any:
    wsession = db.session.get(WorkshopSession, session_id)
    user = current_user._get_current_object()
    if wsession is None or not attendances.may_take_attendance(user, wsession):
        abort(404)
    people = enrolments.participants(db.session(), wsession.series)
    error = None
    if request.method == "POST":
        ticked = set()
        for value in request.form.getlist("present"):
            enrolment_id = plain_number(value)
            if enrolment_id is None:
                error = refusal("unknown_participant")
                break
            ticked.add(enrolment_id)
        if error is None:
            try:
                completed = attendances.record_attendance(
                    db.session(), wsession, ticked, by=user, now=utcnow()
                )
            except WorkshopError as refused:
                db.session.rollback()
                error = refusal(refused.code)
            else:
                db.session.commit()
                flash(
                    _(
                        "Attendance saved: %(present)d of %(count)d present.",
                        present=len(ticked),
                        count=len(people),
                    ),
                    "success",
                )
                for enrolment in completed:
                    name = enrolment.beneficiary.first_name if enrolment.beneficiary else "—"
                    flash(_("%(name)s has completed the cycle.", name=name), "success")
                return redirect(url_for("workshops.take_attendance", session_id=session_id), 303)
    marked = attendances.attendance_of(db.session(), wsession)
    if request.method == "POST":
        marked = {e.id: str(e.id) in request.form.getlist("present") for e in people}
    page = render_template(
        "workshops/attendance.html",
        wsession=wsession,
        people=people,
        marked=marked,
        error=error,
        attended={e.id: attendances.attended(db.session(), e) for e in people},
        needed=attendances.sessions_needed(
            wsession.series.programme.sessions_count, wsession.series.programme.completion_share
        ),
    )
    return (page, 400) if error else page
