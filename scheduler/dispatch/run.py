"""One planning run from start to finish: read the week, solve, store the draft."""

from __future__ import annotations

import logging
import time as clock
from collections.abc import Callable
from datetime import date
from datetime import datetime

from sqlalchemy.orm import Session

from ..models import Organisation
from ..models import Plan as PlanRow
from ..models import User
from ..planning import Deadline
from ..planning import solve
from .built import Periods
from .problem import build_problem
from .settings import PlanningSettings
from .store import save_plan
from .weeks import week_code

log = logging.getLogger(__name__)


def plan_week(
    session: Session,
    organisation: Organisation,
    week: date,
    *,
    settings: PlanningSettings,
    now: datetime,
    periods: Periods | None = None,
    user: User | None = None,
    progress: Callable[..., None] | None = None,
) -> PlanRow:
    """Plan the week starting on Monday ``week`` and store the result as its draft.

    The whole run, reading the week and building the travel matrix included, ends within
    ``settings.options.time_limit_s`` seconds (plus the time to store the draft): one
    :class:`~scheduler.planning.Deadline` is made here and every solver asks it for the
    time left.

    :param progress: told each phase as it starts (``progress("solving", requests=…)``), for a
        page that shows a background run; the engine itself reports nothing while it searches.
    """
    tell = progress or (lambda phase, **facts: None)
    began = clock.monotonic()
    deadline = Deadline.after(settings.options.time_limit_s)
    tell("reading", time_limit_s=settings.options.time_limit_s)
    built = build_problem(session, organisation, week, settings=settings, periods=periods, now=now)
    tell(
        "solving",
        requests_total=built.request_count,
        volunteers=len(built.problem.workers),
        left_out_before=len(built.left_out),
    )
    plan = solve(built.problem, deadline=deadline)
    seconds = clock.monotonic() - began
    tell("saving", solve_seconds=round(seconds, 2))
    row = save_plan(session, built, plan, now=now, user=user, solve_seconds=seconds)
    stats = row.stats or {}
    log.info(
        "planned %s for organisation %d: %d requests, %d volunteers, %d places; engine %s; "
        "%.2f s of %.2f s; served %d/%d; objective %d; draft plan %d",
        week_code(week),
        organisation.id,
        stats.get("requests_total", 0),
        len(built.problem.workers),
        len(built.problem.locations),
        plan.stats.solver,
        seconds,
        settings.options.time_limit_s,
        stats.get("requests_served", 0),
        stats.get("requests_total", 0),
        plan.stats.objective,
        row.id,
    )
    return row
