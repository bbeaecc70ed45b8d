"""Running a published week: what the draft changes, absences and cancellations, locks,
hand edits and the organisation's planning policy.

The plan page (``plans.week``) includes ``plans/_running.html``, which asks
:func:`running_view` for what to show; the hand edits live in :mod:`routes.dispatch.edits`.
Planning itself stays with the plans blueprint: the repair proposal and the modes post to
``plans.solve``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import BooleanField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import validators
from wtforms.fields.choices import SelectChoice

from routes.access import staff_required
from routes.context import current_organisation
from routes.dispatch import rules as words
from routes.forms import FlaskForm
from routes.weekly import clock
from routes.weekly import long_date
from scheduler.core.extensions import db
from scheduler.core.validation import InputRefused
from scheduler.dispatch import alerts
from scheduler.dispatch import changes
from scheduler.dispatch import locks
from scheduler.dispatch import week_code
from scheduler.dispatch.policy import GRIDS
from scheduler.dispatch.policy import LEAD_RANGE
from scheduler.dispatch.policy import Policy
from scheduler.dispatch.policy import policy_of
from scheduler.dispatch.policy import save_policy
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import Plan as PlanRow
from scheduler.models import PlanEdit
from scheduler.models import PlanStatus
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow

bp = Blueprint("running", __name__, url_prefix="/dispatch/plans")


class LockForm(FlaskForm):
    """Lock or unlock: the button says which."""

    locked = BooleanField()


class PolicyForm(FlaskForm):
    lead_min = IntegerField(
        _l("Drive before availability opens (minutes)"),
        validators=[
            validators.InputRequired(_l("Enter a number of minutes.")),
            validators.NumberRange(
                *LEAD_RANGE, message=_l("Enter a number of minutes from 0 to 120.")
            ),
        ],
    )
    time_grid_min = SelectField(_l("Appointments start every"), coerce=int)
    dropin_grid_min = SelectField(_l("Drop-in duties start every"), coerce=int)
    hard_deadlines = BooleanField(_l("Never place a request after its deadline"))


@dataclass(frozen=True)
class RunningView:
    """What the plan page shows about running its week."""

    alerts: alerts.WeekAlerts
    changes: changes.WeekChanges | None
    locked_stops: set[int]
    locked_days: set[tuple[int, date]]
    edits: list[PlanEdit]
    late: list[tuple[HelpRequest, str, str]]
    editable: bool


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _organisation() -> Organisation:
    return _user().organisation


def running_view(plan: PlanRow | None, published: PlanRow | None) -> RunningView:
    """Alerts, the difference with the published plan, locks and hand edits of a week."""
    session = db.session()
    zone = ZoneInfo(_organisation().timezone)
    found = alerts.week_alerts(session, published, zone)
    diff = None
    draft = plan if plan is not None and plan.status is PlanStatus.DRAFT else None
    if draft is not None and published is not None:
        diff = changes.week_changes(session, published, draft, zone)
    edits: list[PlanEdit] = []
    late = []
    if plan is not None:
        edits = list(
            session.scalars(
                db.select(PlanEdit).where(PlanEdit.plan_id == plan.id).order_by(PlanEdit.at)
            )
        )
        for line in (plan.stats or {}).get("late") or []:
            req = session.get(HelpRequest, line.get("request_id"))
            if req is not None:
                late.append((req, str(line.get("deadline", "")), str(line.get("ends_at", ""))))
    return RunningView(
        alerts=found,
        changes=diff,
        locked_stops=locks.locked_stops(session, plan) if plan is not None else set(),
        locked_days=locks.locked_days(session, plan) if plan is not None else set(),
        edits=edits,
        late=late,
        editable=draft is not None,
    )


@bp.app_context_processor
def running_helpers() -> dict[str, Any]:
    return {
        "running_view": running_view,
        "rule_sentence": words.rule_sentence,
        "dropped_sentence": words.dropped_sentence,
        "overlap_outcome": words.overlap_outcome,
        "lock_form": LockForm,
        "iso_datetime": _iso_datetime,
        "edit_author": _author,
        "flagged_week_codes": _flagged,
    }


@bp.app_template_global()
def moment_text(value: datetime | None) -> str:
    """An instant as people say it where the organisation is: "lundi 7 décembre 2026, 9 h 30"."""
    if value is None:
        return ""
    org = current_organisation()
    local = value.astimezone(ZoneInfo(org.timezone)) if org is not None else value
    return f"{long_date(local.date())}, {clock(local.time())}"


def _flagged() -> list[str]:
    """Codes of the published weeks with an alert (staff only: others see none)."""
    if not current_user.is_authenticated or current_user.role is Role.VOLUNTEER:
        return []
    weeks = alerts.flagged_weeks(db.session(), _organisation(), utcnow())
    return [week_code(w) for w in weeks]


def _author(user_id: int) -> str:
    user = db.session.get(User, user_id)
    return user.display_name if user is not None else ""


def _iso_datetime(text: str) -> Any:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@bp.route("/policy", methods=["GET", "POST"])
@staff_required
def policy() -> str | Response | tuple[str, int]:
    org = _organisation()
    form = PolicyForm()
    choices = [SelectChoice(g, _("%(minutes)d minutes", minutes=g)) for g in GRIDS]
    form.time_grid_min.choices = choices
    form.dropin_grid_min.choices = choices
    if request.method == "GET":
        current = policy_of(db.session(), org.id)
        form.lead_min.data = current.lead_min
        form.time_grid_min.data = current.time_grid_min
        form.dropin_grid_min.data = current.dropin_grid_min
        form.hard_deadlines.data = current.hard_deadlines
    elif form.validate_on_submit():
        try:
            save_policy(
                db.session(),
                org,
                Policy(
                    lead_min=form.lead_min.data or 0,
                    time_grid_min=form.time_grid_min.data,
                    dropin_grid_min=form.dropin_grid_min.data,
                    hard_deadlines=bool(form.hard_deadlines.data),
                ),
                now=utcnow(),
            )
        except InputRefused as refused:
            field = getattr(form, refused.field or "lead_min")
            field.errors = [*field.errors, _("Choose from the list.")]
        else:
            flash(_("The planning rules are saved. They apply from the next plan."), "success")
            return redirect(url_for("running.policy"))
    page = render_template("plans/policy.html", form=form)
    return (page, 400) if request.method == "POST" else page


# The hand-edit views attach themselves to this blueprint.
from routes.dispatch import edits as _edits  # noqa: E402,F401
