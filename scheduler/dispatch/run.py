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
from ..planning import OnBetter
from ..planning import Progress
from ..planning import ReplanMode
from .built import Built
from .built import Periods
from .locks import carry_locks
from .policy import settings_for
from .problem import build_problem
from .replanning import plan_again
from .settings import PlanningSettings
from .store import save_plan
from .weeks import week_code

log = logging.getLogger(__name__)

#: Seconds between two reports of the best plan so far (each one writes the run's row).
BEST_EVERY_S = 1.0


def _best_so_far(built: Built, tell: Callable[..., None]) -> OnBetter:
    """A listener that reports the engine's better plans as requests placed and km."""
    last = [float("-inf")]

    def better(found: Progress) -> None:
        now = clock.monotonic()
        if now - last[0] < BEST_EVERY_S:
            return
        last[0] = now
        placed = sum(
            1
            for visit_id in found.placed
            if (source := built.sources.get(visit_id)) is not None and source.request_id is not None
        )
        tell("solving", best_placed=placed, best_km=round(found.metres / 1000, 1))

    return better


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
    mode: ReplanMode | str = ReplanMode.KEEP,
) -> PlanRow:
    """Plan the week starting on Monday ``week`` and store the result as its draft.

    The whole run, reading the week and building the travel matrix included, ends within
    ``settings.options.time_limit_s`` seconds (plus the time to store the draft): one
    :class:`~scheduler.planning.Deadline` is made here and every solver asks it for the
    time left.

    :param progress: told each phase as it starts (``progress("solving", requests=…)``), for a
        page that shows a background run; while the engine searches, told the best plan so
        far too (``best_placed``: requests with a visit or a call placed, ``best_km``), at
        most once every ``BEST_EVERY_S`` seconds.
    Once the week is published, or when its latest plan holds locks, the week is planned
    again from it: ``mode`` says how much of the published plan may move (by default
    nothing: only new requests and visits that lost their volunteer are placed), and
    locked stops and days stay as they are. The organisation's planning policy (lead
    time, time grids, hard deadlines) applies to every run.
    """
    tell = progress or (lambda phase, **facts: None)
    began = clock.monotonic()
    mode = ReplanMode(mode)
    settings = settings_for(session, organisation.id, settings)
    deadline = Deadline.after(settings.options.time_limit_s)
    tell("reading", time_limit_s=settings.options.time_limit_s)
    built = build_problem(session, organisation, week, settings=settings, periods=periods, now=now)
    tell(
        "solving",
        requests_total=built.request_count,
        volunteers=len(built.problem.workers),
        left_out_before=len(built.left_out),
    )
    on_better = _best_so_far(built, tell) if progress is not None else None
    built, plan, base = plan_again(
        session, built, mode=mode, deadline=deadline, on_better=on_better
    )
    seconds = clock.monotonic() - began
    tell("saving", solve_seconds=round(seconds, 2))
    row = save_plan(session, built, plan, now=now, user=user, solve_seconds=seconds)
    row.stats = {**(row.stats or {}), "mode": mode.value, "replanned": base is not None}
    carry_locks(session, base, row, built.zone)
    stats = row.stats or {}
    log.info(
        "planned %s for organisation %d: %d requests, %d volunteers, %d places; engine %s; "
        "%.2f s of %.2f s; served %d/%d; objective %d; mode %s; draft plan %d",
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
        mode.value,
        row.id,
    )
    return row
