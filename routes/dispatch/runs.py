"""Planning in the background, as the dispatcher sees it: ask, follow, read the result.

"Plan this week" records a run and hands it to the task queue, then sends the dispatcher
to the run's page at once. That page refreshes itself every two seconds (a plain
``<meta http-equiv="refresh">``: no JavaScript needed) while the run waits or works, and
moves on to the week's draft when it is ready. With JavaScript, ``static/js/plan-run.js``
fetches the page instead and swaps the run's part in place.
"""

from __future__ import annotations

import uuid
from datetime import date
from datetime import timedelta
from typing import Any

from flask import Blueprint
from flask import abort
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.context import settings
from scheduler.core.extensions import db
from scheduler.dispatch import week_code
from scheduler.dispatch.background import ask_plan
from scheduler.dispatch.background import find_plan_run
from scheduler.dispatch.background import run_view
from scheduler.models import Organisation
from scheduler.models import TaskStatus
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.tasks import QueueUnavailable

bp = Blueprint("plan_runs", __name__, url_prefix="/dispatch/plans/runs")

#: Seconds between two refreshes of a run's page.
REFRESH_S = 2
#: A run waiting longer than this with no worker busy probably has no worker at all.
NO_WORKER_AFTER_S = 30


def start_plan(
    organisation: Organisation, monday: date, user: User, *, mode: str = "keep"
) -> Response:
    """Ask for ``monday``'s week to be planned (``mode``: how much of a published plan may
    move) and answer at once with where to follow it."""
    session = db.session()
    try:
        run, created = ask_plan(
            session,
            organisation,
            monday,
            user=user,
            now=utcnow(),
            key=uuid.uuid4().hex,
            mode=mode,
        )
    except QueueUnavailable as refused:
        flash(
            _(
                "Your request to plan is saved, but the background worker cannot be reached. "
                "Planning will start as soon as it is back."
            ),
            "error",
        )
        return redirect(url_for("plan_runs.show", run_id=refused.run_id))
    if not created and run.active:
        flash(_("This week is already being planned: here is how far it got."), "info")
    if run.status is TaskStatus.DONE:
        # Planned already (a queue that runs at once, or a very small week).
        return _to_draft(run)
    return redirect(url_for("plan_runs.show", run_id=run.id))


def _to_draft(run: Any) -> Response:
    result = run.result or {}
    flash(
        _(
            "Draft ready: %(served)d of %(total)d requests placed. Check it, then publish it.",
            served=result.get("requests_served", 0),
            total=result.get("requests_total", 0),
        ),
        "success",
    )
    week = date.fromisoformat(str(run.payload.get("week")))
    return redirect(url_for("plans.week", week=week_code(week)))


def _organisation_run(run_id: int) -> Any:
    """The run, if it belongs to the signed-in dispatcher's organisation; 404 otherwise."""
    run = find_plan_run(db.session(), current_user.organisation.id, run_id)
    if run is None:
        abort(404)
    return run


@bp.get("/<int:run_id>")
@staff_required
def show(run_id: int) -> Any:
    run = _organisation_run(run_id)
    if run.status is TaskStatus.DONE and request.args.get("follow") == "1":
        return _to_draft(run)
    view = run_view(db.session(), run, utcnow())
    return render_template(
        "plans/run.html",
        view=view,
        run=run,
        progress=run.progress or {},
        result=run.result or {},
        monday=view.week,
        sunday=view.week + timedelta(days=6),
        refresh_s=REFRESH_S,
        # "Stop updating": a page that reloads itself must let people stop it (WCAG 2.2.1).
        auto_refresh=request.args.get("refresh") != "off",
        no_worker=(
            run.status is TaskStatus.QUEUED
            and view.running_now == 0
            and view.waited_s > NO_WORKER_AFTER_S
        ),
        time_limit=settings().planning.options.time_limit_s,
    )


@bp.get("/<int:run_id>.json")
@staff_required
def show_json(run_id: int) -> Any:
    """The same facts for a script that would rather poll than reload the page."""
    run = _organisation_run(run_id)
    view = run_view(db.session(), run, utcnow())
    return jsonify(
        status=run.status.value,
        week=view.week_code,
        attempts=run.attempts,
        max_attempts=run.max_attempts,
        waited_s=round(view.waited_s, 1),
        running_s=None if view.running_s is None else round(view.running_s, 1),
        ahead=view.ahead,
        progress=run.progress or {},
        result=run.result,
        next=url_for("plan_runs.show", run_id=run.id, follow=1),
    )
