"""The dispatcher's inbox: list, read, triage, correct, merge duplicates, erase.

Thin: each view checks the role first, parses its input, calls a service in
``scheduler`` (inbox, triage, duplicates, retention) and renders. Expected
refusals come back as :class:`ActionRefused` and are shown beside their field.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.context import settings
from routes.labels import cancel_reason_label
from routes.labels import mode_label
from routes.labels import need_label
from routes.labels import priority_label
from routes.labels import status_label
from routes.language import safe_next
from routes.requests import display as inbox_display
from routes.requests.display import refusal_message
from routes.requests.forms import InboxFilterForm
from routes.requests.forms import MergeForm
from routes.requests.forms import PlaceForm
from routes.requests.forms import TriageForm
from scheduler.core.extensions import db
from scheduler.core.i18n import language_name
from scheduler.models import Appointment
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Need
from scheduler.models import Organisation
from scheduler.models import Priority
from scheduler.models import RequestStatus
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.models.enums import OPEN_STATUSES
from scheduler.requests import duplicates
from scheduler.requests import inbox
from scheduler.requests import retention
from scheduler.requests import triage
from scheduler.requests.triage import ActionRefused
from scheduler.requests.urgency import urgency

bp = Blueprint("inbox", __name__, url_prefix="/dispatch/requests")

SORT_LABEL = {
    inbox.Sort.URGENCY: _l("Most urgent first"),
    inbox.Sort.OLDEST: _l("Waiting longest first"),
    inbox.Sort.DEADLINE: _l("Nearest deadline first"),
    inbox.Sort.NEWEST: _l("Newest first"),
}
ALL_STATUSES = frozenset(RequestStatus)


@bp.context_processor
def display_helpers() -> dict[str, Any]:
    return {
        name: getattr(inbox_display, name)
        for name in (
            "event_title",
            "event_lines",
            "waiting_in_words",
            "deadline_in_words",
            "phone_in_words",
            "language_names",
        )
    }


# --- helpers --------------------------------------------------------------------------


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _organisation() -> Organisation:
    return _user().organisation


def _request_or_404(request_id: int) -> HelpRequest:
    """The request if it belongs to the signed-in user's organisation; 404 otherwise."""
    found = db.session.scalar(
        sa.select(HelpRequest).where(
            HelpRequest.id == request_id,
            HelpRequest.organisation_id == _user().organisation_id,
        )
    )
    if found is None:
        abort(404)
    return found


def _back() -> str:
    """Where "back to the list" goes: the inbox page the dispatcher came from."""
    home = url_for("inbox.index")
    target = safe_next(request.args.get("back"), home)
    return target if target.split("?")[0] == home else home


def _version(req: HelpRequest) -> str:
    """Changes when anyone saves the request: a form sent from an older page is refused."""
    return req.updated_at.isoformat() if req.updated_at else ""


def _attach(form: Any, refusal: ActionRefused) -> None:
    message = refusal_message(refusal)
    field = getattr(form, refusal.field, None) if refusal.field else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


def _statuses_for(view: str) -> frozenset[RequestStatus]:
    if view == "open":
        return OPEN_STATUSES
    if view == "closed":
        return triage.CLOSED_STATUSES
    if view == "all":
        return ALL_STATUSES
    return frozenset({RequestStatus(view)})


def _booking_languages() -> list[str]:
    return list(settings().booking.languages)


# --- the list -------------------------------------------------------------------------


def _fill_filter_choices(form: InboxFilterForm, org: Organisation) -> None:
    locale = str(get_locale())
    form.status.choices = [
        ("open", _("Open")),
        *((s.value, status_label(s)) for s in RequestStatus),
        ("closed", pgettext("requests", "Closed")),
        ("all", pgettext("requests", "All")),
    ]
    form.mode.choices = [("", _("All modes"))] + [(m.value, mode_label(m)) for m in Mode]
    form.municipality.choices = [("", _("All municipalities"))] + [
        (str(town.id), town.name) for town in org.municipalities
    ]
    form.need.choices = [("", _("All needs"))] + [(n.value, need_label(n)) for n in Need]
    languages = sorted(
        _booking_languages(), key=lambda code: language_name(code, locale).casefold()
    )
    form.language.choices = [("", _("All languages"))] + [
        (code, language_name(code, locale)) for code in languages
    ]
    form.sort.choices = [(s.value, str(label)) for s, label in SORT_LABEL.items()]


def _read_filters(form: InboxFilterForm) -> tuple[inbox.InboxFilters, dict[str, str]]:
    """The filters to apply, and the query arguments that repeat them in links.

    A value that is not valid is left out (the form shows why); the others apply.
    """
    form.validate()

    def given(field: Any) -> str | None:
        value = field.data
        if field.errors or value is None or not str(value).strip():
            return None
        return str(value).strip()

    args = {
        name: value
        for name in ("q", "status", "mode", "municipality", "need", "language", "sort")
        if (value := given(getattr(form, name))) is not None
    }
    if args.get("status") == "open":
        del args["status"]
    if args.get("sort") == inbox.Sort.URGENCY:
        del args["sort"]
    filters = inbox.InboxFilters(
        statuses=_statuses_for(args.get("status", "open")),
        mode=Mode(args["mode"]) if "mode" in args else None,
        municipality_id=int(args["municipality"]) if "municipality" in args else None,
        need=args.get("need"),
        language=args.get("language"),
        query=args.get("q", ""),
        sort=inbox.Sort(args.get("sort", inbox.Sort.URGENCY)),
    )
    return filters, args


def _status_tabs(counts: Any, args: dict[str, str]) -> list[dict[str, Any]]:
    """One link per status with its count; the other filters stay, the page goes back to 1."""
    current = args.get("status", "open")
    others = {k: v for k, v in args.items() if k != "status"}
    tabs = [("open", _("Open"), sum(counts[s] for s in OPEN_STATUSES))]
    tabs += [(s.value, status_label(s), counts[s]) for s in RequestStatus]
    tabs.append(("all", pgettext("requests", "All"), sum(counts.values())))
    return [
        {
            "code": code,
            "label": label,
            "count": count,
            "current": code == current,
            "url": url_for("inbox.index", **others, **({} if code == "open" else {"status": code})),
        }
        for code, label, count in tabs
    ]


@bp.get("")
@staff_required
def index() -> tuple[str, int]:
    org = _organisation()
    form = InboxFilterForm(formdata=request.args)
    _fill_filter_choices(form, org)
    filters, args = _read_filters(form)
    page = inbox.list_requests(
        db.session,
        org,
        filters,
        now=utcnow(),
        page=request.args.get("page", default=1, type=int) or 1,
    )
    return render_template(
        "inbox/index.html",
        form=form,
        page=page,
        filter_args=args,
        tabs=_status_tabs(page.status_counts, args),
        filtered=bool(set(args) - {"status", "sort"}),
        view_label=dict(form.status.choices)[args.get("status", "open")],
        sort_label=SORT_LABEL[filters.sort],
        here=url_for("inbox.index", **args, **({"page": page.page} if page.page > 1 else {})),
    ), (400 if form.errors else 200)


# --- one request ----------------------------------------------------------------------


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
    skills = list(req.required_skills or [])
    if not skills and req.status is RequestStatus.NEW:
        # A first triage starts from what the person asked for.
        skills = [code for code in req.needs or [] if code != Need.OTHER]
    form = TriageForm(
        formdata=None,
        data={
            "version": _version(req),
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
            "version": _version(req),
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
    org = req.organisation
    now = utcnow()
    today = inbox.local_today(org, now)
    created_on = req.created_at.astimezone(ZoneInfo(org.timezone)).date()
    appointments = db.session.scalars(
        sa.select(Appointment)
        .where(Appointment.request_id == req.id)
        .options(selectinload(Appointment.volunteer))
        .order_by(Appointment.starts_at)
    ).all()
    days, periods = _slot_grid()
    grid_rows = [(day, [(triage.slot_code(day, p), p) for p in periods]) for day in days]
    return render_template(
        "inbox/show.html",
        req=req,
        person=req.beneficiary,
        urgency=urgency(req.priority, req.deadline, created_on, today),
        waiting_days=(today - created_on).days,
        days_left=None if req.deadline is None else (req.deadline - today).days,
        erased=retention.is_erased(db.session, req),
        appointments=appointments,
        likely_duplicates=duplicates.likely_duplicates(db.session, req),
        triage_form=(triage_form or _triage_form(req)) if req.is_open else None,
        place_form=(place_form or _place_form(req)) if req.is_open else None,
        grid_rows=grid_rows,
        grid_codes=set(_grid_codes()),
        grid_periods=periods,
        back=_back(),
        country=org.country,
    ), status


@bp.get("/<int:request_id>")
@staff_required
def show(request_id: int) -> tuple[str, int]:
    return _render_show(_request_or_404(request_id))


def _stale(form: Any, req: HelpRequest) -> bool:
    """True (and the form says so) when the request changed since the form was shown."""
    if form.version.data == _version(req):
        return False
    form.form_errors.append(
        _(
            "Someone else changed this request while you were reading it. "
            "Check the page, then save again."
        )
    )
    form.version.data = _version(req)
    return True


@bp.post("/<int:request_id>/triage")
@staff_required
def save_triage(request_id: int) -> Response | tuple[str, int]:
    req = _request_or_404(request_id)
    if not req.is_open:
        flash(refusal_message(ActionRefused("closed")), "error")
        return redirect(url_for("inbox.show", request_id=req.id, back=_back()))
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
        changed = triage.triage_request(db.session, req, decision, user=_user(), now=utcnow())
    except ActionRefused as refusal:
        db.session.rollback()
        _attach(form, refusal)
        return _render_show(req, triage_form=form, status=400)
    if changed:
        flash(_("Triage saved for %(reference)s.", reference=req.reference), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("inbox.show", request_id=req.id, back=_back()))


@bp.post("/<int:request_id>/place")
@staff_required
def correct_place(request_id: int) -> Response | tuple[str, int]:
    req = _request_or_404(request_id)
    if not req.is_open:
        flash(refusal_message(ActionRefused("closed")), "error")
        return redirect(url_for("inbox.show", request_id=req.id, back=_back()))
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
            db.session, req, correction, allowed_slots=_grid_codes(), user=_user(), now=utcnow()
        )
    except ActionRefused as refusal:
        db.session.rollback()
        _attach(form, refusal)
        return _render_show(req, place_form=form, status=400)
    if changed:
        flash(
            _("Place and availability saved for %(reference)s.", reference=req.reference), "success"
        )
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("inbox.show", request_id=req.id, back=_back()))


# --- duplicates -----------------------------------------------------------------------


@bp.route("/<int:request_id>/merge/<int:other_id>", methods=["GET", "POST"])
@staff_required
def merge(request_id: int, other_id: int) -> Response | tuple[str, int]:
    req = _request_or_404(request_id)
    other = _request_or_404(other_id)
    pair = (req, other)
    locked = [r for r in pair if duplicates.has_confirmed_appointment(db.session, r)]
    # The older request is kept, unless only the other one has a promise to keep.
    default = locked[0] if len(locked) == 1 else min(pair, key=lambda r: (r.created_at, r.id))
    form = MergeForm()
    form.keep.choices = [(r.id, r.reference) for r in pair]
    if request.method == "GET":
        form.keep.data = default.id
    blocked = None
    try:
        duplicates.check_pair(req, other)
        if len(locked) == 2:
            raise ActionRefused("merge_confirmed", reference=other.reference)
    except ActionRefused as refusal:
        blocked = refusal_message(refusal)

    if request.method == "POST" and blocked is None and form.validate():
        keep = req if form.keep.data == req.id else other
        duplicate = other if keep is req else req
        try:
            duplicates.merge_requests(db.session, keep, duplicate, user=_user(), now=utcnow())
        except ActionRefused as refusal:
            db.session.rollback()
            _attach(form, ActionRefused(refusal.code, "keep", **refusal.params))
        else:
            flash(
                _(
                    "%(duplicate)s was merged into %(kept)s and cancelled as a duplicate.",
                    duplicate=duplicate.reference,
                    kept=keep.reference,
                ),
                "success",
            )
            return redirect(url_for("inbox.show", request_id=keep.id, back=_back()))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "inbox/merge.html",
        req=req,
        other=other,
        pair=pair,
        form=form,
        blocked=blocked,
        locked=locked,
        back=_back(),
        country=_organisation().country,
    ), status


# --- erasure --------------------------------------------------------------------------


@bp.route("/<int:request_id>/erase", methods=["GET", "POST"])
@staff_required
def erase(request_id: int) -> Response | tuple[str, int]:
    req = _request_or_404(request_id)
    if request.method == "POST":
        try:
            retention.erase_request_now(db.session, req, user=_user(), now=utcnow())
        except ActionRefused as refusal:
            db.session.rollback()
            return render_template(
                "inbox/erase.html", req=req, refusal=refusal_message(refusal), back=_back()
            ), 400
        flash(
            _("The personal data of %(reference)s is erased.", reference=req.reference), "success"
        )
        return redirect(url_for("inbox.show", request_id=req.id, back=_back()))
    refusal = None
    if req.is_open:
        refusal = refusal_message(ActionRefused("erase_open"))
    elif retention.is_erased(db.session, req):
        refusal = refusal_message(ActionRefused("erase_done"))
    return render_template("inbox/erase.html", req=req, refusal=refusal, back=_back()), 200
