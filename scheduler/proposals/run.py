"""One proposal run: solve, check, and keep the answer as ``proposed`` series.

The run replaces the programme's earlier proposed series (never a published one) and
returns, as the task run's result, who each series takes and why everyone else is left
out, so the review page reads it back without solving again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Programme
from scheduler.models import SeriesStatus
from scheduler.models import Site
from scheduler.models import TaskRun
from scheduler.models import TaskStatus
from scheduler.models import User
from scheduler.models import WorkshopSeries
from scheduler.planning import check_proposal
from scheduler.planning import propose
from scheduler.planning.travel import TravelOptions
from scheduler.workshops.programmes import SessionPlan
from scheduler.workshops.programmes import create_series

from .build import SESSION_MIN
from .build import ProposalInput
from .build import build_problem
from .build import session_dates

log = logging.getLogger(__name__)

PROPOSE_SERIES = "propose_series"


class ProposalBroken(RuntimeError):
    """The checker refused the engine's proposal: a bug, never shown as a plan."""


def proposed_series(session: Session, programme: Programme) -> list[WorkshopSeries]:
    return list(
        session.scalars(
            sa.select(WorkshopSeries)
            .where(
                WorkshopSeries.programme_id == programme.id,
                WorkshopSeries.status == SeriesStatus.PROPOSED,
            )
            .order_by(WorkshopSeries.id)
        )
    )


def latest_result(session: Session, programme: Programme) -> dict[str, Any] | None:
    """The result of the programme's last finished proposal run, if any."""
    runs = session.scalars(
        sa.select(TaskRun)
        .where(
            TaskRun.kind == PROPOSE_SERIES,
            TaskRun.organisation_id == programme.organisation_id,
            TaskRun.status == TaskStatus.DONE,
        )
        .order_by(TaskRun.finished_at.desc(), TaskRun.id.desc())
    )
    for run in runs:
        if run.payload.get("programme_id") == programme.id and run.result:
            return run.result
    return None


def _sessions(
    inp: ProposalInput, org: Organisation, slot_id: str, leader_ids: Sequence[int], count: int
) -> list[SessionPlan]:
    day, opens, closes = inp.slots[slot_id]
    zone = ZoneInfo(org.timezone)
    plans = []
    for on in session_dates(inp.first_monday, day, count):
        starts = datetime.combine(on, opens, tzinfo=zone)
        ends = min(starts + timedelta(minutes=SESSION_MIN), datetime.combine(on, closes, zone))
        plans.append(SessionPlan(starts, ends, list(leader_ids)))
    return plans


def propose_series(
    session: Session,
    org: Organisation,
    programme: Programme,
    first_monday: date,
    *,
    periods: Sequence[tuple[str, time, time]],
    now: datetime,
    user: User | None,
    time_limit_s: float = 10.0,
    travel: TravelOptions | None = None,
) -> dict[str, Any]:
    """Solve, check and store the proposal; the result says who goes where and why not."""
    inp = build_problem(
        session,
        org,
        programme,
        first_monday,
        periods=periods,
        time_limit_s=time_limit_s,
        travel=travel or TravelOptions(),
    )
    proposal = propose(inp.problem)
    broken = check_proposal(inp.problem, proposal)
    if broken:
        raise ProposalBroken("; ".join(f"{v.rule}: {v.message}" for v in broken[:5]))
    for old in proposed_series(session, programme):
        session.delete(old)
    session.flush()
    stored = []
    for planned in proposal.series:
        place = inp.places[planned.place_id]
        leaders = [inp.leaders[i].id for i in planned.leader_ids]
        series = create_series(
            session,
            programme,
            sessions=_sessions(inp, org, planned.slot_id, leaders, programme.sessions_count),
            created_by=user,
            now=now,
            site=place if isinstance(place, Site) else None,
            municipality=place if isinstance(place, Municipality) else None,
            status=SeriesStatus.PROPOSED,
        )
        stored.append(
            {
                "series_id": series.id,
                "slot": planned.slot_id,
                "enrolment_ids": [inp.people[p].id for p in planned.people],
            }
        )
    left_out = []
    for left in proposal.left_out:
        detail = dict(left.detail)
        named = inp.places.get(str(detail.get("place", "")))
        if named is not None:
            detail["place_name"] = named.name
        other = detail.get("other_slot")
        if other is not None:
            detail["other_day"] = inp.slots[str(other)][0]
        left_out.append(
            {
                "enrolment_id": inp.people[left.person_id].id,
                "reason": left.reason.value,
                "detail": detail,
            }
        )
    log.info(
        "series proposed for programme %d: %d series, %d of %d people reached",
        programme.id,
        len(stored),
        proposal.reached,
        len(inp.problem.people),
    )
    return {
        "programme_id": programme.id,
        "first_monday": first_monday.isoformat(),
        "series": stored,
        "left_out": left_out,
        "reached": proposal.reached,
        "waiting": len(inp.problem.people),
        "laptops_free": {str(k): v for k, v in inp.problem.laptops_free.items()},
        "optimal": proposal.optimal,
    }
