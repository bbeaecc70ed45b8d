"""One planning run from start to finish: read the week, solve, store the draft."""

from __future__ import annotations

import time as clock
from datetime import date
from datetime import datetime

from sqlalchemy.orm import Session

from ..models import Organisation
from ..models import Plan as PlanRow
from ..models import User
from ..planning import solve
from .problem import Periods
from .problem import build_problem
from .settings import PlanningSettings
from .store import save_plan


def plan_week(
    session: Session,
    organisation: Organisation,
    week: date,
    *,
    settings: PlanningSettings,
    now: datetime,
    periods: Periods | None = None,
    user: User | None = None,
) -> PlanRow:
    """Plan the week starting on Monday ``week`` and store the result as its draft.

    Takes up to ``settings.options.time_limit_s`` seconds of solving.
    """
    began = clock.monotonic()
    built = build_problem(session, organisation, week, settings=settings, periods=periods, now=now)
    plan = solve(built.problem)
    return save_plan(
        session, built, plan, now=now, user=user, solve_seconds=clock.monotonic() - began
    )
