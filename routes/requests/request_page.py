"""One request in the inbox: read it, triage it, correct where and when the person can be helped."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.context import settings
from routes.labels import cancel_reason_label
from routes.labels import need_label
from routes.labels import priority_label
from routes.labels import status_label
from routes.requests.display import refusal_message
from routes.requests.forms import PlaceForm
from routes.requests.forms import TriageForm
from routes.requests.inbox import acting_user
from routes.requests.inbox import attach_refusal
from routes.requests.inbox import back_link
from routes.requests.inbox import bp
from routes.requests.inbox import request_or_404
from routes.requests.inbox import version_of
from scheduler.core.extensions import db
from scheduler.core.i18n import language_name
from scheduler.models import HelpRequest
from scheduler.models import Need
from scheduler.models import Priority
from scheduler.models import RequestStatus
from scheduler.models import utcnow
from scheduler.requests import inbox
from scheduler.requests import triage
from scheduler.requests.triage import ActionRefused


def _fill_triage_choices(form: TriageForm, req: HelpRequest) -> None:
    locale = str(get_locale())
    form.priority.choices = [(int(p), priority_label(p)) for p in Priority]
    languages = list(req.languages or [])
    if req.required_language and req.required_language not in languages:
        languages.append(req.required_language)
    form.required_language.choices = [("", _("Any of the person's languages"))] + [
        (code, language_name(code, locale)) for code in languages
    ]
    form.required_skills.choices = [(n.value, need_label(n)) for n in Need if n is not Need.OTHER]
    form.status.choices = [
        (req.status.value, _("%(status)s (now)", status=status_label(req.status)))
    ] + [(s.value, status_label(s)) for s in triage.NEXT_STATUSES[req.status]]
    form.cancel_reason.choices = [("", _("Only when cancelling"))] + [
        (r.value, cancel_reason_label(r)) for r in triage.CancelReason
    ]


def _triage_form(req: HelpRequest) -> TriageForm:
    # Nothing is required unless a dispatcher ticks it: the person's needs are only
    # suggested beside the boxes (see ``suggested_skills``), never ticked in advance.
    skills = list(req.required_skills or [])
    form = TriageForm(
        formdata=None,
        data={
            "version": version_of(req),
            "duration_min": req.duration_min,
            "priority": req.priority,
            "required_language": req.required_language or "",
            "required_skills": skills,
            "internal_notes": req.internal_notes or "",
            "status": req.status.value,
            "cancel_reason": "",
        },
    )
    _fill_triage_choices(form, req)
    return form


def _slot_grid() -> tuple[list[int], list[str]]:
    """Weekdays and periods of the availability grid, from ``[BOOKING]``."""
    booking = settings().booking
    return list(booking.weekdays), list(booking.period_codes)


def _grid_codes() -> list[str]:
    days, periods = _slot_grid()
    return [triage.slot_code(day, period) for day in days for period in periods]


def _fill_place_choices(form: PlaceForm, req: HelpRequest) -> None:
    towns = [t for t in req.organisation.municipalities if t.active or t.id == req.municipality_id]
    form.municipality.choices = [(t.id, t.name) for t in towns]
    codes = triage.sort_slots(_grid_codes() + list(req.availability or []))
    form.availability.choices = [(code, code) for code in codes]


def _place_form(req: HelpRequest) -> PlaceForm:
    form = PlaceForm(
        formdata=None,
        data={
            "version": version_of(req),
            "municipality": req.municipality_id,
            "address": req.address or "",
            "availability": list(req.availability or []),
            "any_time": req.any_time,
        },
    )
    _fill_place_choices(form, req)
    return form


def _render_show(
    req: HelpRequest,
    *,
    triage_form: TriageForm | None = None,
    place_form: PlaceForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    found = inbox.request_file(db.session(), req, now=utcnow())
    days, periods = _slot_grid()
    grid_rows = [(day, [(triage.slot_code(day, p), p) for p in periods]) for day in days]
    return render_template(
        "inbox/show.html",
        req=req,
        person=req.beneficiary,
        urgency=found.row.urgency,
        waiting_days=found.row.waiting_days,
        days_left=found.row.days_left,
        erased=found.erased,
        appointments=found.appointments,
        likely_duplicates=found.likely_duplicates,
        triage_form=(triage_form or _triage_form(req)) if req.is_open else None,
        place_form=(place_form or _place_form(req)) if req.is_open else None,
        grid_rows=grid_rows,
        grid_codes=set(_grid_codes()),
        grid_periods=periods,
        back=back_link(),
        country=req.organisation.country,
        suggested_skills=suggested_skills(req),
    ), status


def suggested_skills(req: HelpRequest) -> list[str]:
    """The person's needs a volunteer could be required to know, not yet required: offered
    as suggestions the dispatcher confirms by ticking them."""
    required = set(req.required_skills or [])
    return [
        need_label(Need(code))
        for code in req.needs or []
        if code != Need.OTHER and code in set(Need) and code not in required
    ]


@bp.get("/<int:request_id>")
@staff_required
def show(request_id: int) -> tuple[str, int]:
    return _render_show(request_or_404(request_id))


def _stale(form: Any, req: HelpRequest) -> bool:
    """True (and the form says so) when the request changed since the form was shown."""
    if form.version.data == version_of(req) and triage.hold_unchanged(db.session(), req):
        return False
    form.form_errors.append(
        _(
            "Someone else changed this request while you were reading it. "
            "Check the page, then save again."
        )
    )
    form.version.data = version_of(req)
    return True


def open_request(view: Callable[[HelpRequest], Any]) -> Callable[[int], Any]:
    """Staff only; the view receives the request, or the dispatcher goes back to its page
    when it is closed (a closed request no longer changes)."""

    @wraps(view)
    @staff_required
    def wrapped(request_id: int) -> Any:
        req = request_or_404(request_id)
        if not req.is_open:
            flash(refusal_message(ActionRefused("closed")), "error")
            return redirect(url_for("inbox.show", request_id=req.id, back=back_link()))
        return view(req)

    return wrapped


def _saved(changed: bool, message: str, req: HelpRequest) -> Response:
    if changed:
        flash(message, "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("inbox.show", request_id=req.id, back=back_link()))


@bp.post("/<int:request_id>/triage")
@open_request
def save_triage(req: HelpRequest) -> Response | tuple[str, int]:
    form = TriageForm()
    _fill_triage_choices(form, req)
    if not form.validate():
        return _render_show(req, triage_form=form, status=400)
    if _stale(form, req):
        return _render_show(req, triage_form=form, status=409)
    if form.status.data not in set(RequestStatus):
        form.status.errors = [refusal_message(ActionRefused("status"))]
        return _render_show(req, triage_form=form, status=400)
    decision = triage.Triage(
        duration_min=form.duration_min.data,
        priority=form.priority.data,
        required_language=form.required_language.data or None,
        required_skills=tuple(form.required_skills.data or ()),
        internal_notes=form.internal_notes.data,
        status=RequestStatus(form.status.data),
        cancel_reason=form.cancel_reason.data or None,
    )
    try:
        changed = triage.triage_request(
            db.session(), req, decision, user=acting_user(), now=utcnow()
        )
    except ActionRefused as refusal:
        db.session.rollback()
        attach_refusal(form, refusal)
        return _render_show(req, triage_form=form, status=400)
    return _saved(changed, _("Triage saved for %(reference)s.", reference=req.reference), req)


@bp.post("/<int:request_id>/place")
@open_request
def correct_place(req: HelpRequest) -> Response | tuple[str, int]:
    form = PlaceForm()
    _fill_place_choices(form, req)
    if not form.validate():
        return _render_show(req, place_form=form, status=400)
    if _stale(form, req):
        return _render_show(req, place_form=form, status=409)
    correction = triage.PlaceCorrection(
        municipality_id=form.municipality.data,
        address=form.address.data,
        availability=tuple(form.availability.data or ()),
        any_time=form.any_time.data,
    )
    try:
        changed = triage.correct_place(
            db.session(),
            req,
            correction,
            allowed_slots=_grid_codes(),
            user=acting_user(),
            now=utcnow(),
        )
    except ActionRefused as refusal:
        db.session.rollback()
        attach_refusal(form, refusal)
        return _render_show(req, place_form=form, status=400)
    message = _("Place and availability saved for %(reference)s.", reference=req.reference)
    return _saved(changed, message, req)
