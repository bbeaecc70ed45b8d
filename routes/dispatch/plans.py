"""The dispatcher's planning pages: choose a week, plan it, read the draft, publish it.

Thin: each view checks the role, parses the week, calls :mod:`scheduler.dispatch` and
renders. Planning runs in the request, bounded by ``[PLANNING] time_limit_s``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from routes.access import staff_required
from routes.context import settings
from routes.dispatch import display as plans_display
from scheduler import dispatch
from scheduler.core.extensions import db
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import WeekInvalid
from scheduler.dispatch.replanning import MODES
from scheduler.dispatch.view import coming_week
from scheduler.dispatch.view import find_plan
from scheduler.dispatch.view import week_view
from scheduler.models import Organisation
from scheduler.models import PlanStatus
from scheduler.models import User
from scheduler.models import utcnow

bp = Blueprint("plans", __name__, url_prefix="/dispatch/plans")

WEEK_HINT = _l("A week such as 2026-W49.")


class WeekForm(FlaskForm):
    """Which week to show; read from the query string."""

    class Meta:
        csrf = False

    week = StringField(_l("Week"), render_kw={"type": "week", "pattern": r"\d{4}-W\d{2}"})


class PlanWeekForm(FlaskForm):
    week = HiddenField()
    #: Once the week is published: how much of it may move (keep published by default).
    mode = RadioField(
        choices=[
            SelectChoice(
                "keep",
                _l("Keep every published visit; only place what is new or lost its volunteer"),
            ),
            SelectChoice(
                "move_unconfirmed",
                _l("Also move published visits that are not confirmed, if it helps"),
            ),
            SelectChoice("free", _l("Plan again freely (confirmed visits still stay)")),
        ],
        default="keep",
    )


class PublishForm(FlaskForm):
    pass


@bp.context_processor
def display_helpers() -> dict[str, Any]:
    return {
        "reason_sentence": plans_display.reason_sentence,
        "seats_sentence": plans_display.seats_sentence,
        "minutes_text": plans_display.minutes_text,
    }


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _organisation() -> Organisation:
    return _user().organisation


def _settings() -> PlanningSettings:
    return settings().planning


def _periods() -> Any:
    return settings().booking.periods


@bp.get("")
@staff_required
def week() -> Any:
    org = _organisation()
    form = WeekForm(request.args)
    text = (form.week.data or "").strip()
    status = 200
    if text:
        try:
            monday = dispatch.parse_week(text)
        except WeekInvalid:
            form.week.errors = [_("Enter a week such as 2026-W49.")]
            monday = None
            status = 400
    else:
        monday = None
    if monday is None:
        monday = coming_week(org, utcnow())
        if status == 200:
            form.week.data = dispatch.week_code(monday)
    view = week_view(db.session(), org, monday)
    code = dispatch.week_code(monday)
    page = render_template(
        "plans/week.html",
        form=form,
        week_code=code,
        monday=monday,
        sunday=monday + timedelta(days=6),
        plan=view.plan,
        published=view.published,
        days=view.days,
        left_out=view.left_out,
        visitors=view.visitors,
        names=view.names,
        plan_form=PlanWeekForm(week=code),
        publish_form=PublishForm(),
        time_limit=_settings().options.time_limit_s,
        previous_week=dispatch.week_code(monday - timedelta(days=7)),
        next_week=dispatch.week_code(monday + timedelta(days=7)),
    )
    return page, status


@bp.post("/solve")
@staff_required
def solve() -> Response:
    org = _organisation()
    form = PlanWeekForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return redirect(url_for("plans.week", week=form.week.data or None))
    try:
        monday = dispatch.parse_week(form.week.data)
    except WeekInvalid:
        flash(_("Enter a week such as 2026-W49."), "error")
        return redirect(url_for("plans.week"))
    row = dispatch.plan_week(
        db.session(),
        org,
        monday,
        settings=_settings(),
        periods=_periods(),
        now=utcnow(),
        user=_user(),
        mode=form.mode.data if form.mode.data in MODES else "keep",
    )
    stats = row.stats or {}
    flash(
        _(
            "Draft ready: %(served)d of %(total)d requests placed. Check it, then publish it.",
            served=stats.get("requests_served", 0),
            total=stats.get("requests_total", 0),
        ),
        "success",
    )
    return redirect(url_for("plans.week", week=dispatch.week_code(monday)))


@bp.post("/<int:plan_id>/publish")
@staff_required
def publish(plan_id: int) -> Response:
    org = _organisation()
    plan = find_plan(db.session(), org.id, plan_id)
    if plan is None:
        abort(404)
    code = dispatch.week_code(plan.week_start)
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return redirect(url_for("plans.week", week=code))
    if plan.status is not PlanStatus.DRAFT:
        flash(_("This plan was already published or replaced by a newer one."), "error")
        return redirect(url_for("plans.week", week=code))
    result = dispatch.publish_plan(db.session(), plan, now=utcnow(), user=_user())
    flash(
        _(
            "Plan published: %(created)d new appointments, %(moved)d moved, %(cancelled)d "
            "cancelled. Volunteers' calendars show them at their next update.",
            created=result.created,
            moved=result.moved,
            cancelled=result.cancelled,
        ),
        "success",
    )
    return redirect(url_for("plans.week", week=code))
