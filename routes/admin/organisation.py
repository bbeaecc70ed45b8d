"""/admin/organisation: the organisation's settings."""

from __future__ import annotations

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.refusals import show_refusal
from scheduler.core.extensions import db
from scheduler.core.phones import format_phone
from scheduler.core.validation import InputRefused
from scheduler.core.validation import timezone_names
from scheduler.models import utcnow
from scheduler.organisation import settings as organisation_settings

from ..access import admin_required
from . import bp
from .forms import OrganisationForm


@bp.route("/organisation", methods=["GET", "POST"])
@admin_required
def organisation() -> str | Response | tuple[str, int]:
    org = current_user.organisation
    form = OrganisationForm()
    if request.method == "GET":
        form.process(obj=org)
        form.contact_phone.data = format_phone(org.contact_phone, org.country)
    elif form.validate():
        settings = organisation_settings.OrganisationSettings(
            name=form.name.data,
            timezone=form.timezone.data.strip(),
            locale=form.locale.data,
            country=form.country.data,
            contact_email=form.contact_email.data,
            contact_phone=form.contact_phone.data,
            retention_days=form.retention_days.data,
        )
        try:
            organisation_settings.update_organisation(db.session(), org, settings, utcnow())
        except InputRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            flash(_("The settings are saved."), "success")
            return redirect(url_for("admin.organisation"))
    page = render_template("admin/organisation.html", form=form, timezones=sorted(timezone_names()))
    return (page, 400) if request.method == "POST" else page
