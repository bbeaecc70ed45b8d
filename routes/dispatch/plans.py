"""The dispatcher's planning pages: choose a week, plan it, read the draft, publish it.

Thin: each view checks the role, parses the week, calls :mod:`scheduler.dispatch` and
renders. Planning runs in the background (``routes.dispatch.runs``): the button returns
at once, and a worker plans within ``[PLANNING] time_limit_s``.
"""

from __future__ import annotations

from datetime import date
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
from werkzeug.wrappers import Response
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from routes.access import staff_required
from routes.context import settings
from routes.dispatch import display as plans_display
from routes.dispatch.runs import start_plan
from routes.fields import OfferedChoices
from routes.forms import FlaskForm
from routes.messages import hooks as message_hooks
from scheduler import dispatch
from scheduler.core.extensions import db
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import WeekInvalid
from scheduler.dispatch import WeekOutOfRange
from scheduler.dispatch.background import active_plan_run
from scheduler.dispatch.replanning import MODES
from scheduler.dispatch.view import coming_week
from scheduler.dispatch.view import find_plan
from scheduler.dispatch.view import week_view
from scheduler.models import Organisation
from scheduler.models import PlanStatus
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today

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
        # An unknown mode is a choice to correct, said beside the choices, not an expired
        # form: WTForms' own check would answer in English, before ours could.
        validate_choice=False,
        validators=[OfferedChoices(_l("Choose from the list."))],
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


def _parse_week(text: str | None, org: Organisation) -> Any:
    """The Monday of the week ``text`` names, or the sentence that says what is wrong."""
    try:
        return dispatch.parse_week(text, today=local_today(org, utcnow()))
    except WeekOutOfRange as far:
        return _(
            "Choose a week between %(first)s and %(last)s.",
            first=dispatch.week_code(far.earliest),
            last=dispatch.week_code(far.latest),
        )
    except WeekInvalid:
        return _("Enter a week such as 2026-W49.")


@bp.get("")
@staff_required
def week() -> Any:
    org = _organisation()
    form = WeekForm(request.args)
    text = (form.week.data or "").strip()
    if "week" not in request.args:
        return _week_page(org, form, None, 200)
    # The choice was sent empty: say so, rather than show some other week as if chosen.
    parsed = _parse_week(text, org) if text else _("Enter a week such as 2026-W49.")
    if isinstance(parsed, str):
        form.week.errors = [parsed]
        return _week_page(org, form, None, 400)
    code = dispatch.week_code(parsed)
    if request.args["week"] != code:
        # "2026W50", "2026-w50": read, then shown at the address the page's own links and
        # its <input type="week"> use, which that input can display (it shows nothing for
        # any other spelling).
        return redirect(url_for("plans.week", week=code), 303)
    return _week_page(org, form, parsed, 200)


def _week_page(
    org: Organisation,
    form: WeekForm,
    monday: date | None,
    status: int,
    plan_form: PlanWeekForm | None = None,
) -> Any:
    """The week's page; the coming week when ``monday`` is None (the form keeps what was
    typed when it is refused, and ``plan_form`` what was sent to plan the week)."""
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
        plan_form=plan_form or PlanWeekForm(week=code),
        active_run=active_plan_run(db.session(), org.id, monday),
        publish_form=PublishForm(),
        time_limit=_settings().options.time_limit_s,
        previous_week=dispatch.week_code(monday - timedelta(days=7)),
        next_week=dispatch.week_code(monday + timedelta(days=7)),
    )
    return page, status


@bp.post("/solve")
@staff_required
def solve() -> Any:
    org = _organisation()
    form = PlanWeekForm()
    valid = form.validate_on_submit()
    if not valid and set(form.errors) != {"mode"}:
        flash(_("The form expired. Please send it again."), "error")
        return redirect(url_for("plans.week", week=form.week.data or None))
    monday = _parse_week(form.week.data, org)
    if isinstance(monday, str):
        # Nothing is planned or stored; the page says why, with what was sent.
        shown = WeekForm(formdata=None, week=form.week.data)
        shown.week.errors = [monday]
        return _week_page(org, shown, None, 400)
    if not valid:
        # A mode that is not offered: nothing is planned; the choices say so.
        return _week_page(org, WeekForm(formdata=None, week=form.week.data), monday, 400, form)
    mode = form.mode.data if form.mode.data in MODES else "keep"
    return start_plan(org, monday, _user(), mode=mode)


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
    try:
        result = dispatch.publish_plan(db.session(), plan, now=utcnow(), user=_user())
    except dispatch.WeekJustPublished as lost:
        if lost.by:
            flash(_("This week was just published by %(name)s.", name=lost.by), "error")
        else:
            flash(_("This week was just published by someone else."), "error")
        return redirect(url_for("plans.week", week=code))
    except dispatch.PlanNotDraft:
        flash(_("This plan was already published or replaced by a newer one."), "error")
        return redirect(url_for("plans.week", week=code))
    message_hooks.after_change(org.id)
    flash(
        _(
            # Figures after a label, not before a noun: "1 annulés" read wrong, and
            # three numbers in one sentence cannot each take their own plural.
            "Plan published. New appointments: %(created)d; moved: %(moved)d; "
            "cancelled: %(cancelled)d. Volunteers' calendars show them at their next update.",
            created=result.created,
            moved=result.moved,
            cancelled=result.cancelled,
        ),
        "success",
    )
    return redirect(url_for("plans.week", week=code))
