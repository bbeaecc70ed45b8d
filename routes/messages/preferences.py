"""How each volunteer hears of their day: chosen by themselves, or by a dispatcher for a
volunteer without a login."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from routes.access import role_required
from routes.access import staff_required
from routes.forms import FlaskForm
from routes.messages import bp
from scheduler.core.extensions import db
from scheduler.messages.choices import set_volunteer_channel
from scheduler.models import Role
from scheduler.models import Volunteer

CHOICES = [
    SelectChoice("", _l("E-mail if I gave an address, otherwise SMS")),
    SelectChoice("email", _l("E-mail")),
    SelectChoice("sms", _l("SMS")),
    SelectChoice("none", _l("No message: I look at my calendar")),
]


class ChannelForm(FlaskForm):
    channel = RadioField(_l("How should we tell you about your day?"), choices=CHOICES)


def _save(form: ChannelForm, volunteer: Volunteer) -> bool:
    if not form.validate_on_submit():
        return False
    set_volunteer_channel(db.session(), volunteer, form.channel.data or "")
    flash(_("Saved."), "success")
    return True


def _form(volunteer: Volunteer) -> ChannelForm:
    form = ChannelForm()
    if not form.is_submitted():
        form.channel.data = volunteer.message_channel or ""
    return form


@bp.route("/me/messages", methods=["GET", "POST"])
@role_required(Role.VOLUNTEER)
def my_channel() -> Any:
    volunteer = current_user.volunteer
    if volunteer is None:
        abort(404)
    form = _form(volunteer)
    if _save(form, volunteer):
        return redirect(url_for("messages.my_channel"), 303)
    status = 400 if form.is_submitted() else 200
    page = render_template("messages/channel.html", form=form, volunteer=volunteer, own=True)
    return page, status


@bp.route("/dispatch/volunteers/<int:volunteer_id>/messages", methods=["GET", "POST"])
@staff_required
def volunteer_channel(volunteer_id: int) -> Any:
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.organisation_id != current_user.organisation_id:
        abort(404)
    form = _form(volunteer)
    if _save(form, volunteer):
        return _back(volunteer)
    status = 400 if form.is_submitted() else 200
    page = render_template("messages/channel.html", form=form, volunteer=volunteer, own=False)
    return page, status


def _back(volunteer: Volunteer) -> Response:
    return redirect(url_for("volunteers.show", volunteer_id=volunteer.id), 303)
