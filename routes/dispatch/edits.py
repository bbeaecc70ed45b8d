"""Hand edits of a draft: move a stop, assign a left-out request, lock a stop or a day.

Plain forms. An edit that breaks a planning rule comes back with the rule in words and a
box to tick to do it anyway; the override is recorded and shown on the draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.wrappers import Response
from wtforms import BooleanField
from wtforms import SelectField
from wtforms import validators
from wtforms.fields.choices import SelectChoice

from routes.access import staff_required
from routes.context import settings
from routes.forms import FlaskForm
from routes.requests.display import language_names
from routes.weekly import ClockField
from routes.weekly import long_date
from scheduler.core.extensions import db
from scheduler.dispatch import locks
from scheduler.dispatch import week_code
from scheduler.dispatch.edits import EditOutcome
from scheduler.dispatch.edits import EditRefused
from scheduler.dispatch.edits import Target
from scheduler.dispatch.edits import assign_request
from scheduler.dispatch.edits import move_stop
from scheduler.dispatch.stop_overlaps import held_in_place
from scheduler.dispatch.store import PlanNotDraft
from scheduler.dispatch.view import find_plan
from scheduler.models import HelpRequest
from scheduler.models import Plan as PlanRow
from scheduler.models import PlannedVisit
from scheduler.models import PlanStatus
from scheduler.models import Site
from scheduler.models import Volunteer
from scheduler.models import utcnow

from .running import LockForm
from .running import _organisation
from .running import _user
from .running import bp


class EditForm(FlaskForm):
    volunteer = SelectField(_l("Volunteer"), coerce=int, validate_choice=True)
    day = SelectField(_l("Day"))
    starts = ClockField(
        _l("Start time"), validators=[validators.InputRequired(_l("Enter a time such as 9:30."))]
    )
    confirm = BooleanField(_l("I have read the rules above and want this change anyway"))


def _draft_or_404(plan_id: int) -> PlanRow:
    plan = find_plan(db.session(), _organisation().id, plan_id)
    if plan is None:
        abort(404)
    return plan


def _back(plan: PlanRow) -> Response:
    return redirect(url_for("plans.week", week=week_code(plan.week_start)))


def _not_draft(plan: PlanRow) -> Response:
    flash(_("This plan was already published or replaced by a newer one."), "error")
    return _back(plan)


def _choices(form: EditForm, plan: PlanRow) -> None:
    org = _organisation()
    volunteers = db.session.scalars(
        sa.select(Volunteer)
        .where(Volunteer.organisation_id == org.id, Volunteer.active.is_(True))
        .order_by(Volunteer.first_name, Volunteer.id)
    )
    form.volunteer.choices = [SelectChoice(v.id, v.full_name) for v in volunteers]
    days = [plan.week_start + timedelta(days=k) for k in range(7)]
    form.day.choices = [SelectChoice(d.isoformat(), long_date(d)) for d in days]


def _target(form: EditForm) -> Target | None:
    try:
        day = date.fromisoformat(form.day.data or "")
    except ValueError:
        form.day.errors = [*form.day.errors, _("Choose a day of the week.")]
        return None
    if form.starts.data is None:
        return None
    return Target(form.volunteer.data, day, form.starts.data)


def _refused(form: EditForm, refusal: EditRefused) -> None:
    if refusal.code == "day":
        form.day.errors = [*form.day.errors, _("Choose a day of the week.")]
    elif refusal.code == "volunteer":
        form.volunteer.errors = [*form.volunteer.errors, _("Choose from the list.")]
    else:
        form.form_errors.append(_("This request is not left out of this draft any more."))


def _done(plan: PlanRow, outcome: EditOutcome) -> Response:
    if outcome.rules:
        flash(
            ngettext(
                "Saved by hand against %(num)d planning rule; the draft shows it. "
                "Re-planning keeps it where it is.",
                "Saved by hand against %(num)d planning rules; the draft shows it. "
                "Re-planning keeps it where it is.",
                len(outcome.rules),
            ),
            "success",
        )
    else:
        flash(
            _("Saved. It breaks no planning rule, and re-planning keeps it where it is."), "success"
        )
    return _back(plan)


def _page(
    plan: PlanRow, form: EditForm, broken: Any, status: int, **context: Any
) -> tuple[str, int]:
    return (
        render_template(
            "plans/edit_stop.html",
            plan=plan,
            form=form,
            broken=broken,
            week=week_code(plan.week_start),
            language_names=language_names,
            **context,
        ),
        status,
    )


@bp.route("/<int:plan_id>/stops/<int:stop_id>", methods=["GET", "POST"])
@staff_required
def edit_stop(plan_id: int, stop_id: int) -> Any:
    plan = _draft_or_404(plan_id)
    stop = db.session.get(PlannedVisit, stop_id)
    if stop is None or stop.plan_id != plan.id or stop.volunteer_id is None:
        abort(404)
    if plan.status is not PlanStatus.DRAFT:
        return _not_draft(plan)
    org = _organisation()
    zone_start = stop.starts_at.astimezone(_zone())
    form = EditForm() if request.method == "POST" else EditForm(formdata=None)
    _choices(form, plan)
    if request.method == "GET":
        form.volunteer.data = stop.volunteer_id
        form.day.data = zone_start.date().isoformat()
        form.starts.data = zone_start.time()
    context = {
        "stop": stop,
        "stop_request": db.session.get(HelpRequest, stop.request_id) if stop.request_id else None,
        "action": url_for("running.edit_stop", plan_id=plan.id, stop_id=stop.id),
        "locked": locks.stop_lock(db.session(), plan, stop) is not None,
        "lock_form": LockForm(),
    }
    return _checked_edit(
        plan,
        form,
        context,
        lambda target, common: move_stop(db.session(), org, plan, stop, target, **common),
    )


@bp.route("/<int:plan_id>/requests/<int:request_id>/assign", methods=["GET", "POST"])
@staff_required
def assign(plan_id: int, request_id: int) -> Any:
    plan = _draft_or_404(plan_id)
    req = db.session.get(HelpRequest, request_id)
    if req is None or req.organisation_id != _organisation().id:
        abort(404)
    if plan.status is not PlanStatus.DRAFT:
        return _not_draft(plan)
    form = EditForm() if request.method == "POST" else EditForm(formdata=None)
    _choices(form, plan)
    context = {
        "stop": None,
        "stop_request": req,
        "action": url_for("running.assign", plan_id=plan.id, request_id=req.id),
        "locked": False,
        "lock_form": None,
    }
    return _checked_edit(
        plan,
        form,
        context,
        lambda target, common: assign_request(
            db.session(), _organisation(), plan, req, target, **common
        ),
    )


def _checked_edit(
    plan: Any, form: EditForm, context: dict[str, Any], edit: Callable[..., Any]
) -> Any:
    """The part a move and a hand assignment share: read the form, let the service judge
    the edit by the rules, and answer with the page again (with the broken rules to
    confirm) or with the saved draft."""
    if request.method == "GET" or not form.validate():
        return _page(plan, form, (), 200 if request.method == "GET" else 400, **context)
    target = _target(form)
    if target is None:
        return _page(plan, form, (), 400, **context)
    common = {
        "settings": settings().planning,
        "periods": settings().booking.periods,
        "user": _user(),
        "now": utcnow(),
        "override": bool(form.confirm.data),
    }
    try:
        outcome = edit(target, common)
    except PlanNotDraft:
        return _not_draft(plan)
    except EditRefused as refusal:
        _refused(form, refusal)
        return _page(plan, form, (), 400, **context)
    if not outcome.saved:
        form.confirm.data = False
        overlaps = _overlap_lines(plan, outcome.overlapped)
        return _page(plan, form, outcome.rules, 409, overlaps=overlaps, **context)
    return _done(plan, outcome)


@dataclass(frozen=True)
class OverlapLine:
    """Another visit of the volunteer that the edit runs into, as the page names it."""

    request: HelpRequest | None
    site: Site | None
    starts: datetime
    #: Confirmed or locked: re-planning will not move it either.
    held: bool = False


def _overlap_lines(plan: PlanRow, ids: tuple[int, ...]) -> list[OverlapLine]:
    rows = {row.id: row for row in plan.visits}
    held = held_in_place(db.session(), plan, ids)
    lines = []
    for row_id in ids:
        row = rows.get(row_id)
        if row is None:
            continue
        request = db.session.get(HelpRequest, row.request_id) if row.request_id else None
        site = db.session.get(Site, row.site_id) if row.site_id else None
        lines.append(OverlapLine(request, site, row.starts_at, row.id in held))
    return lines


@bp.post("/<int:plan_id>/stops/<int:stop_id>/lock")
@staff_required
def lock_stop(plan_id: int, stop_id: int) -> Response:
    plan = _draft_or_404(plan_id)
    stop = db.session.get(PlannedVisit, stop_id)
    if stop is None or stop.plan_id != plan.id:
        abort(404)
    form = LockForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return _back(plan)
    if plan.status is not PlanStatus.DRAFT:
        return _not_draft(plan)
    locked = bool(form.locked.data)
    locks.set_stop_lock(
        db.session(), _organisation(), plan, stop, locked, user=_user(), now=utcnow()
    )
    flash(
        _("Locked: re-planning keeps it.") if locked else _("Unlocked: re-planning may move it."),
        "success",
    )
    return _back(plan)


@bp.post("/<int:plan_id>/days/<int:volunteer_id>/<day>/lock")
@staff_required
def lock_day(plan_id: int, volunteer_id: int, day: str) -> Response:
    plan = _draft_or_404(plan_id)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.organisation_id != plan.organisation_id:
        abort(404)
    if not plan.week_start <= when < plan.week_start + timedelta(days=7):
        abort(404)
    form = LockForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return _back(plan)
    if plan.status is not PlanStatus.DRAFT:
        return _not_draft(plan)
    locked = bool(form.locked.data)
    locks.set_day_lock(db.session(), plan, volunteer.id, when, locked, user=_user(), now=utcnow())
    flash(
        _("The day is locked: re-planning keeps it as it is.")
        if locked
        else _("The day is unlocked: re-planning may change it."),
        "success",
    )
    return _back(plan)


def _zone() -> ZoneInfo:
    return ZoneInfo(_organisation().timezone)
