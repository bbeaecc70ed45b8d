"""The dispatcher's volunteer pages under /dispatch/volunteers (staff only).

Each view checks the role before loading anything, then loads the volunteer
within the signed-in user's organisation: an id from elsewhere is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.refusals import refusal_message
from routes.refusals import show_refusal
from routes.submissions import sent_before
from routes.submissions import settle
from scheduler.core.extensions import db
from scheduler.core.phones import format_phone
from scheduler.core.validation import InputRefused
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.organisation import territory
from scheduler.organisation.sites import sites as list_sites
from scheduler.people import availability
from scheduler.people import volunteer_logins
from scheduler.people import volunteers as service

from ..access import staff_required
from . import bp
from .editing import edit_absences
from .editing import edit_week
from .editing import remove_absence
from .forms import FilterForm
from .forms import GiveLoginForm
from .forms import VolunteerForm
from .forms import language_choices
from .forms import offered_languages
from .labels import skill_choices


def _volunteer(volunteer_id: int) -> Volunteer:
    volunteer = service.find_volunteer(db.session(), current_user.organisation_id, volunteer_id)
    if volunteer is None:
        abort(404)
    return volunteer


def _municipality_choices(current_id: int | None = None) -> list[tuple[str, str]]:
    towns = territory.municipalities(db.session(), current_user.organisation_id)
    return [(str(t.id), t.name) for t in towns if t.active or t.id == current_id]


def _filter_form() -> FilterForm:
    form = FilterForm(formdata=request.args)
    form.language.choices = [("", _("Any"))] + language_choices()
    form.municipality.choices = [("", _("Any"))] + _municipality_choices()
    form.skill.choices = [("", _("Any"))] + skill_choices()
    return form


@bp.get("/dispatch/volunteers")
@staff_required
def index() -> str:
    form = _filter_form()
    form.validate()
    filters = form.filters()
    found = service.list_volunteers(db.session(), current_user.organisation_id, filters)
    return render_template(
        "volunteers/index.html",
        form=form,
        volunteers=found,
        weekly_minutes=availability.weekly_minutes,
        filtered=filters != service.VolunteerFilter(),
    )


def _profile_form(volunteer: Volunteer | None) -> VolunteerForm:
    form = VolunteerForm()
    current_town = volunteer.home_municipality_id if volunteer else None
    current_site = volunteer.starts_from_site_id if volunteer else None
    form.home_municipality_id.choices = [("", _("Not known"))] + _municipality_choices(current_town)
    site_list = list_sites(db.session(), current_user.organisation_id)
    form.starts_from_site_id.choices = [("", _("At home"))] + [
        (str(s.id), _("At the site: %(site)s", site=s.name))
        for s in site_list
        if s.active or s.id == current_site
    ]
    form.languages.choices = language_choices(volunteer.languages if volunteer else ())
    form.skills.choices = skill_choices()
    if request.method == "GET" and volunteer is not None:
        _fill(form, volunteer)
    return form


def _fill(form: VolunteerForm, volunteer: Volunteer) -> None:
    form.first_name.data = volunteer.first_name
    form.last_name.data = volunteer.last_name
    form.phone.data = format_phone(volunteer.phone, volunteer.organisation.country)
    form.email.data = volunteer.email
    form.home_address.data = volunteer.home_address
    form.home_municipality_id.data = str(volunteer.home_municipality_id or "")
    if not volunteer.home_approximate:
        form.home_lat.data, form.home_lon.data = volunteer.home_lat, volunteer.home_lon
    form.starts_from_site_id.data = str(volunteer.starts_from_site_id or "")
    form.languages.data = list(volunteer.languages or [])
    form.skills.data = list(volunteer.skills or [])
    form.notes.data = volunteer.notes
    form.active.data = volunteer.active
    form.fill_limits(service.Limits.of(volunteer))


def _profile(form: VolunteerForm) -> service.Profile:
    town, site = form.home_municipality_id.data, form.starts_from_site_id.data
    return service.Profile(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        limits=form.limits(),
        phone=form.phone.data,
        email=form.email.data,
        home_address=form.home_address.data,
        home_municipality_id=int(town) if town else None,
        home_lat=form.home_lat.data,
        home_lon=form.home_lon.data,
        starts_from_site_id=int(site) if site else None,
        languages=form.languages.data or [],
        skills=form.skills.data or [],
        notes=form.notes.data,
        active=form.active.data,
    )


def _allowed_languages(volunteer: Volunteer | None) -> list[str]:
    return offered_languages() + list(volunteer.languages if volunteer else [])


@bp.route("/dispatch/volunteers/new", methods=["GET", "POST"])
@staff_required
def new() -> str | Response | tuple[str, int]:
    form = _profile_form(None)
    if form.validate_on_submit():
        again = sent_before("new_volunteer", url_for("volunteers.index"))
        if again is not None:
            return again
        try:
            volunteer = service.create_volunteer(
                db.session(),
                current_user.organisation,
                _profile(form),
                utcnow(),
                languages=_allowed_languages(None),
            )
        except InputRefused as refusal:
            show_refusal(form, refusal)
        else:
            settle(url_for("volunteers.show", volunteer_id=volunteer.id))
            flash(_("%(name)s is added. Now set their week.", name=volunteer.full_name), "success")
            return redirect(url_for("volunteers.availability", volunteer_id=volunteer.id))
    page = render_template("volunteers/form.html", form=form, volunteer=None)
    return (page, 400) if request.method == "POST" else page


@bp.route("/dispatch/volunteers/<int:volunteer_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(volunteer_id: int) -> str | Response | tuple[str, int]:
    volunteer = _volunteer(volunteer_id)
    form = _profile_form(volunteer)
    if form.validate_on_submit():
        try:
            service.update_volunteer(
                db.session(),
                volunteer,
                _profile(form),
                utcnow(),
                languages=_allowed_languages(volunteer),
            )
        except InputRefused as refusal:
            show_refusal(form, refusal)
        else:
            flash(_("The profile is saved."), "success")
            return redirect(url_for("volunteers.show", volunteer_id=volunteer.id))
    page = render_template("volunteers/form.html", form=form, volunteer=volunteer)
    return (page, 400) if request.method == "POST" else page


def _show_page(volunteer: Volunteer, login_form: GiveLoginForm | None = None) -> str:
    if login_form is None:
        login_form = GiveLoginForm(formdata=None, login_email=volunteer.email)
    summary = availability.week_summary(volunteer, utcnow())
    return render_template(
        "volunteers/show.html",
        volunteer=volunteer,
        week=summary.week,
        weekly_minutes=summary.weekly_minutes,
        coming=summary.coming,
        past_count=len(summary.past),
        login_form=login_form,
    )


@bp.get("/dispatch/volunteers/<int:volunteer_id>")
@staff_required
def show(volunteer_id: int) -> str:
    return _show_page(_volunteer(volunteer_id))


@bp.route(
    "/dispatch/volunteers/<int:volunteer_id>/availability",
    methods=["GET", "POST"],
    endpoint="availability",
)
@staff_required
def availability_page(volunteer_id: int) -> str | Response | tuple[str, int]:
    volunteer = _volunteer(volunteer_id)
    return edit_week(
        volunteer,
        "volunteers/availability.html",
        url_for("volunteers.show", volunteer_id=volunteer.id),
        action=url_for("volunteers.availability", volunteer_id=volunteer.id),
    )


@bp.route("/dispatch/volunteers/<int:volunteer_id>/absences", methods=["GET", "POST"])
@staff_required
def absences(volunteer_id: int) -> str | Response | tuple[str, int]:
    volunteer = _volunteer(volunteer_id)
    return edit_absences(
        volunteer,
        "volunteers/absences.html",
        url_for("volunteers.absences", volunteer_id=volunteer.id),
        action=url_for("volunteers.absences", volunteer_id=volunteer.id),
        remove_url=lambda absence: url_for(
            "volunteers.remove_absence", volunteer_id=volunteer.id, absence_id=absence.id
        ),
    )


@bp.post(
    "/dispatch/volunteers/<int:volunteer_id>/absences/<int:absence_id>/remove",
    endpoint="remove_absence",
)
@staff_required
def remove_absence_view(volunteer_id: int, absence_id: int) -> Response:
    volunteer = _volunteer(volunteer_id)
    return remove_absence(
        volunteer, absence_id, url_for("volunteers.absences", volunteer_id=volunteer.id)
    )


def _password_page(volunteer: Volunteer, password: str, *, new_login: bool) -> Response:
    """The one time a temporary password is shown; never cached, never put in the session."""
    response = make_response(
        render_template(
            "volunteers/password.html", volunteer=volunteer, password=password, new_login=new_login
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/dispatch/volunteers/<int:volunteer_id>/login")
@staff_required
def give_login(volunteer_id: int) -> Response | tuple[str, int]:
    volunteer = _volunteer(volunteer_id)
    form = GiveLoginForm()
    if form.validate():
        chosen = form.password.data if form.password_choice.data == "chosen" else None
        try:
            given = volunteer_logins.give_login(
                db.session(), volunteer, form.login_email.data, chosen, utcnow()
            )
        except InputRefused as refusal:
            show_refusal(form, refusal, field="login_email" if refusal.field == "email" else None)
        else:
            if given.temporary_password:
                return _password_page(volunteer, given.temporary_password, new_login=True)
            flash(_("The login is ready: %(email)s.", email=given.user.email), "success")
            return redirect(url_for("volunteers.show", volunteer_id=volunteer.id))
    return _show_page(volunteer, form), 400


def _login_action(volunteer_id: int, action: Any) -> Response:
    volunteer = _volunteer(volunteer_id)
    try:
        message = action(volunteer)
    except InputRefused as refusal:
        flash(refusal_message(refusal), "error")
    else:
        if isinstance(message, Response):
            return message
        flash(message, "success")
    return redirect(url_for("volunteers.show", volunteer_id=volunteer.id) + "#login")


@bp.post("/dispatch/volunteers/<int:volunteer_id>/login/password")
@staff_required
def reset_login_password(volunteer_id: int) -> Response:
    def action(volunteer: Volunteer) -> Response:
        password = volunteer_logins.reset_login_password(db.session(), volunteer, utcnow())
        return _password_page(volunteer, password, new_login=False)

    return _login_action(volunteer_id, action)


@bp.post("/dispatch/volunteers/<int:volunteer_id>/login/active")
@staff_required
def set_login_active(volunteer_id: int) -> Response:
    active = request.form.get("active") == "1"

    def action(volunteer: Volunteer) -> str:
        volunteer_logins.set_login_active(db.session(), volunteer, active, utcnow())
        return _("The login is enabled.") if active else _("The login is disabled.")

    return _login_action(volunteer_id, action)


@bp.post("/dispatch/volunteers/<int:volunteer_id>/login/unlink")
@staff_required
def unlink_login(volunteer_id: int) -> Response:
    def action(volunteer: Volunteer) -> str:
        user = volunteer_logins.unlink_login(db.session(), volunteer, utcnow())
        return _("The login %(email)s is detached and disabled.", email=user.email)

    return _login_action(volunteer_id, action)
