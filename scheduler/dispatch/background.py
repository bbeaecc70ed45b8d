"""Planning a week in the background: the "Plan this week" button asks, a worker plans.

One run per organisation and week at a time (its scope): a second click, by the same
dispatcher or another, follows the run already under way. The worker calls the same
:func:`~scheduler.dispatch.run.plan_week` as ``escouade plan-week``, and reports each phase
so the page can say where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Organisation
from scheduler.models import TaskRun
from scheduler.models import TaskStatus
from scheduler.models import User
from scheduler.planning import ReplanMode
from scheduler.tasks import PermanentFailure
from scheduler.tasks import TaskContext
from scheduler.tasks import find_active
from scheduler.tasks import handler
from scheduler.tasks import submit
from scheduler.tasks.runs import Enqueuer

from .run import plan_week
from .weeks import week_code

PLAN_WEEK = "plan_week"


def plan_scope(organisation_id: int, week: date) -> str:
    return f"{PLAN_WEEK}:{organisation_id}:{week.isoformat()}"


def ask_plan(
    session: Session,
    organisation: Organisation,
    week: date,
    *,
    user: User | None,
    now: datetime,
    key: str,
    mode: str = "keep",
    queue: Enqueuer | None = None,
) -> tuple[TaskRun, bool]:
    """Ask for the week to be planned: ``(run, created)``; ``created`` is false when the
    run already under way for this week (or this very form, sent twice) is given back.

    :param key: unique to the form that asked, so that sending it twice asks once.
    :param mode: how much of a published plan may move (``ReplanMode`` value).
    :raises scheduler.tasks.QueueUnavailable: saved, but the queue did not answer.
    """
    return submit(
        session,
        kind=PLAN_WEEK,
        key=f"{plan_scope(organisation.id, week)}:{key}",
        now=now,
        payload={
            "organisation_id": organisation.id,
            "week": week.isoformat(),
            "user_id": user.id if user is not None else None,
            "mode": mode,
        },
        scope=plan_scope(organisation.id, week),
        organisation_id=organisation.id,
        user_id=user.id if user is not None else None,
        queue=queue,
    )


def active_plan_run(session: Session, organisation_id: int, week: date) -> TaskRun | None:
    """The run planning this week now, if any."""
    return find_active(session, plan_scope(organisation_id, week))


def find_plan_run(session: Session, organisation_id: int, run_id: int) -> TaskRun | None:
    """A planning run of this organisation (``None`` for another's, or any other kind)."""
    run = session.get(TaskRun, run_id)
    if run is None or run.kind != PLAN_WEEK or run.organisation_id != organisation_id:
        return None
    return run


@dataclass(frozen=True)
class RunView:
    """What the progress page shows of a run."""

    run: TaskRun
    week: date
    #: Seconds since it was asked for, and since its current try started (running only).
    waited_s: float
    running_s: float | None
    #: Runs of any kind waiting before it (0: it is next), while it waits.
    ahead: int | None
    #: Runs being carried out now, by every worker.
    running_now: int

    @property
    def week_code(self) -> str:
        return week_code(self.week)


def run_view(session: Session, run: TaskRun, now: datetime) -> RunView:
    waiting = (TaskStatus.QUEUED, TaskStatus.RETRYING)
    ahead = None
    if run.status in waiting:
        ahead = int(
            session.scalar(
                sa.select(sa.func.count(TaskRun.id)).where(
                    TaskRun.status.in_(waiting), TaskRun.queued_at < run.queued_at
                )
            )
            or 0
        )
    running_now = session.scalar(
        sa.select(sa.func.count(TaskRun.id)).where(TaskRun.status == TaskStatus.RUNNING)
    )
    end = run.finished_at or now
    return RunView(
        run=run,
        week=date.fromisoformat(str(run.payload.get("week"))),
        waited_s=max((end - run.queued_at).total_seconds(), 0.0),
        running_s=(
            max((now - run.started_at).total_seconds(), 0.0)
            if run.status is TaskStatus.RUNNING and run.started_at
            else None
        ),
        ahead=ahead,
        running_now=running_now or 0,
    )


@handler(PLAN_WEEK)
def plan_week_run(ctx: TaskContext) -> dict[str, Any]:
    """The worker's side: plan the week with the application's settings; the result names
    the draft and its figures."""
    payload = ctx.payload
    session = ctx.session
    organisation = session.get(Organisation, payload.get("organisation_id"))
    if organisation is None:
        raise PermanentFailure("the organisation no longer exists")
    try:
        week = date.fromisoformat(str(payload.get("week")))
    except ValueError:
        raise PermanentFailure("the run names no week") from None
    user_id = payload.get("user_id")
    user = session.get(User, user_id) if user_id is not None else None
    settings = ctx.settings
    try:
        mode = ReplanMode(str(payload.get("mode") or ReplanMode.KEEP.value))
    except ValueError:
        raise PermanentFailure("the run names no known re-planning mode") from None

    def progress(phase: str, **facts: Any) -> None:
        ctx.report(phase=phase, **facts)

    row = plan_week(
        session,
        organisation,
        week,
        settings=settings.planning,
        periods=settings.booking.periods,
        now=ctx.now,
        user=user,
        progress=progress,
        mode=mode,
    )
    stats = row.stats or {}
    return {
        "plan_id": row.id,
        "requests_served": int(stats.get("requests_served", 0)),
        "requests_total": int(stats.get("requests_total", 0)),
        "solve_seconds": round(float(row.solve_seconds or 0.0), 2),
    }
