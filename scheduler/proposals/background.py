"""Proposal runs on the task queue: the page asks, a worker solves.

One run per programme at a time (its scope); sending the form twice asks once. The worker
reads the booking periods from the application's settings, like the week's planning.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from scheduler.models import Organisation
from scheduler.models import Programme
from scheduler.models import TaskRun
from scheduler.models import User
from scheduler.tasks import PermanentFailure
from scheduler.tasks import TaskContext
from scheduler.tasks import handler
from scheduler.tasks import submit

from .run import PROPOSE_SERIES
from .run import ProposalBroken
from .run import propose_series


def proposal_scope(programme_id: int) -> str:
    return f"{PROPOSE_SERIES}:{programme_id}"


def ask_proposal(
    session: Session,
    programme: Programme,
    first_monday: date,
    *,
    user: User | None,
    now: datetime,
    key: str,
) -> tuple[TaskRun, bool]:
    """Ask for a proposal starting the week of ``first_monday``: ``(run, created)``."""
    return submit(
        session,
        kind=PROPOSE_SERIES,
        key=f"{proposal_scope(programme.id)}:{key}",
        now=now,
        payload={
            "organisation_id": programme.organisation_id,
            "programme_id": programme.id,
            "first_monday": first_monday.isoformat(),
            "user_id": user.id if user is not None else None,
        },
        scope=proposal_scope(programme.id),
        organisation_id=programme.organisation_id,
        user_id=user.id if user is not None else None,
    )


@handler(PROPOSE_SERIES)
def propose_series_run(ctx: TaskContext) -> dict[str, Any]:
    """The worker's side: solve with the booking form's periods and store the proposal."""
    payload = ctx.payload
    session = ctx.session
    org = session.get(Organisation, payload.get("organisation_id"))
    programme = session.get(Programme, payload.get("programme_id"))
    if org is None or programme is None or programme.organisation_id != org.id:
        raise PermanentFailure("the programme no longer exists")
    try:
        first_monday = date.fromisoformat(str(payload.get("first_monday")))
    except ValueError:
        raise PermanentFailure("the run names no week") from None
    user_id = payload.get("user_id")
    user = session.get(User, user_id) if user_id is not None else None
    try:
        result = propose_series(
            session,
            org,
            programme,
            first_monday,
            periods=ctx.settings.booking.periods,
            now=ctx.now,
            user=user,
            time_limit_s=min(ctx.settings.planning.options.time_limit_s, 30.0),
            travel=ctx.settings.planning.travel,
        )
    except ProposalBroken as broken:
        # The same data would give the same proposal: trying again cannot help.
        raise PermanentFailure(str(broken)[:400]) from None
    # Committed with the run's end (``finish``): the series exist exactly when it succeeded.
    return result
