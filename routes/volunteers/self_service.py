"""A volunteer's own pages: /me and what they may change themselves.

No URL here names a volunteer: each page loads the profile linked to the
signed-in login, so nobody can reach someone else's data by editing a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response

from routes.refusals import show_refusal
from scheduler.core.extensions import db
from scheduler.core.validation import InputRefused
from scheduler.models import Role
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.people import availability
from scheduler.people import volunteers as service

from . import bp
from .editing import edit_absences
from .editing import edit_week
from .editing import remove_absence
from .forms import OwnLimitsForm
from .forms import language_choices
from .forms import offered_languages


def own_profile(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed-in users only; the view receives the volunteer linked to the login.

    A volunteer login without a profile gets a page saying whom to contact; staff
    without a profile go to the volunteers' list instead.
    """

    @login_required
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.role is Role.PARTNER:
            abort(403)  # a partner's staff have no volunteer profile nor staff pages
        volunteer = service.volunteer_for_user(db.session(), current_user)
        if volunteer is None:
            if current_user.role is not Role.VOLUNTEER:
                return redirect(url_for("volunteers.index"))
            page = render_template(
                "volunteers/no_profile.html", organisation=current_user.organisation
            )
            return page, (200 if request.method == "GET" else 409)
        return view(volunteer, *args, **kwargs)

    return wrapped


@bp.get("/me")
@own_profile
def me(volunteer: Volunteer) -> str:
    summary = availability.week_summary(volunteer, utcnow())
    return render_template(
        "volunteers/me.html",
        volunteer=volunteer,
        week=summary.week,
        weekly_minutes=summary.weekly_minutes,
        coming=summary.coming,
    )


@bp.route("/me/availability", methods=["GET", "POST"])
@own_profile
def my_availability(volunteer: Volunteer) -> str | Response | tuple[str, int]:
    return edit_week(
        volunteer,
        "volunteers/my_availability.html",
        url_for("volunteers.me"),
        action=url_for("volunteers.my_availability"),
    )


@bp.route("/me/absences", methods=["GET", "POST"])
@own_profile
def my_absences(volunteer: Volunteer) -> str | Response | tuple[str, int]:
    return edit_absences(
        volunteer,
        "volunteers/my_absences.html",
        url_for("volunteers.my_absences"),
        action=url_for("volunteers.my_absences"),
        remove_url=lambda absence: url_for("volunteers.remove_my_absence", absence_id=absence.id),
    )


@bp.post("/me/absences/<int:absence_id>/remove")
@own_profile
def remove_my_absence(volunteer: Volunteer, absence_id: int) -> Response:
    return remove_absence(volunteer, absence_id, url_for("volunteers.my_absences"))


@bp.route("/me/limits", methods=["GET", "POST"])
@own_profile
def my_limits(volunteer: Volunteer) -> str | Response | tuple[str, int]:
    form = OwnLimitsForm()
    form.languages.choices = language_choices(volunteer.languages)
    if request.method == "GET":
        form.fill_limits(service.Limits.of(volunteer))
        form.languages.data = list(volunteer.languages or [])
    elif form.validate():
        try:
            service.update_own_limits(
                db.session(),
                volunteer,
                form.limits(),
                form.languages.data or [],
                utcnow(),
                offered_languages=offered_languages() + list(volunteer.languages or []),
            )
        except InputRefused as refusal:
            show_refusal(form, refusal)
        else:
            flash(_("Your limits are saved."), "success")
            return redirect(url_for("volunteers.me"))
    page = render_template("volunteers/my_limits.html", form=form, volunteer=volunteer)
    return (page, 400) if request.method == "POST" else page
