"""The proposal page; see :mod:`routes.proposals`."""

from __future__ import annotations

import uuid
from datetime import date
from datetime import timedelta
from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import DateField
from wtforms import validators

from routes.access import staff_required
from routes.forms import FlaskForm
from routes.proposals import bp
from routes.proposals.words import left_out_words
from routes.proposals.words import refusal_words
from scheduler.core.extensions import db
from scheduler.models import Enrolment
from scheduler.models import Organisation
from scheduler.models import Programme
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from scheduler.proposals import ProposalRefused
from scheduler.proposals import latest_result
from scheduler.proposals import proposed_series
from scheduler.proposals import publish_proposal
from scheduler.proposals.background import ask_proposal
from scheduler.tasks import QueueUnavailable
from scheduler.workshops.programmes import programmes_of


class ProposeForm(FlaskForm):
    first_week = DateField(
        _l("First week"),
        validators=[validators.InputRequired(_l("Enter a date such as 2026-12-15."))],
        format="%Y-%m-%d",
    )


class PublishForm(FlaskForm):
    """Only the CSRF token."""


def _org() -> Organisation:
    org: Organisation = current_user.organisation
    return org


def _programme(programme_id: int) -> Programme:
    found = next((p for p in programmes_of(db.session(), _org()) if p.id == programme_id), None)
    if found is None:
        abort(404)
    return found


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _page(programme: Programme, form: ProposeForm, status: int = 200) -> tuple[str, int]:
    session = db.session()
    result = latest_result(session, programme) or {}
    seats = {int(s["series_id"]): len(s.get("enrolment_ids", [])) for s in result.get("series", [])}
    left: list[dict[str, Any]] = []
    for item in result.get("left_out", []):
        enrolment = session.get(Enrolment, item["enrolment_id"])
        if enrolment is None or enrolment.organisation_id != programme.organisation_id:
            continue
        left.append(
            {
                "name": enrolment.beneficiary.first_name if enrolment.beneficiary else "—",
                "town": enrolment.municipality.name if enrolment.municipality else "",
                "why": left_out_words(item["reason"], item.get("detail", {})),
            }
        )
    page = render_template(
        "proposals/page.html",
        programme=programme,
        form=form,
        publish_form=PublishForm(formdata=None),
        series=proposed_series(session, programme),
        seats=seats,
        result=result,
        left_out=left,
        day_text=lambda d: format_date(d, "full"),
    )
    return page, status


@bp.get("/<int:programme_id>/proposal")
@staff_required
def show(programme_id: int) -> tuple[str, int]:
    programme = _programme(programme_id)
    today = local_today(_org(), utcnow())
    form = ProposeForm(formdata=None, first_week=_next_monday(today))
    return _page(programme, form)


@bp.post("/<int:programme_id>/proposal")
@staff_required
def ask(programme_id: int) -> Response | tuple[str, int]:
    programme = _programme(programme_id)
    form = ProposeForm()
    if not form.validate():
        return _page(programme, form, 400)
    chosen: date = form.first_week.data
    monday = chosen - timedelta(days=chosen.weekday())
    today = local_today(_org(), utcnow())
    if monday < today:
        form.first_week.errors = [_("Choose a week that has not started yet.")]
        return _page(programme, form, 400)
    if monday > today + timedelta(days=731):
        # Year 9999 made the background run fail past the calendar's end; two years is plenty.
        last = (today + timedelta(days=731)).isoformat()
        form.first_week.errors = [
            _("Choose a day between %(first)s and %(last)s.", first=today.isoformat(), last=last)
        ]
        return _page(programme, form, 400)
    try:
        run, _created = ask_proposal(
            db.session(),
            programme,
            monday,
            user=current_user._get_current_object(),
            now=utcnow(),
            key=uuid.uuid4().hex,
        )
    except QueueUnavailable:
        flash(
            _("Your request is saved; the proposal will be ready once the worker is back."),
            "error",
        )
        return redirect(url_for("proposals.show", programme_id=programme.id))
    if run.active:
        flash(_("The proposal is being prepared: reload this page in a moment."), "info")
    elif run.error:
        flash(_("The proposal could not be prepared."), "error")
    else:
        flash(_("Proposal ready: review it, then publish it."), "success")
    return redirect(url_for("proposals.show", programme_id=programme.id))


@bp.post("/<int:programme_id>/proposal/publish")
@staff_required
def publish(programme_id: int) -> Response | tuple[str, int]:
    programme = _programme(programme_id)
    form = PublishForm()
    org = _org()
    if not form.validate():
        flash(_("The form expired. Please send it again."), "error")
        return redirect(url_for("proposals.show", programme_id=programme.id))
    try:
        published = publish_proposal(
            db.session(),
            org,
            programme,
            today=local_today(org, utcnow()),
            now=utcnow(),
            actor=current_user._get_current_object(),
        )
    except ProposalRefused as refused:
        db.session.rollback()
        message = refusal_words(refused.code, refused.params)
        flash(message, "error")
        return redirect(url_for("proposals.show", programme_id=programme.id))
    db.session.commit()
    flash(
        _(
            "%(count)d series published: the leaders carry the laptops reserved for them.",
            count=len(published),
        ),
        "success",
    )
    return redirect(url_for("workshops.index"))
