"""Publishing a proposal: the laptops are checked and reserved, people get their seats.

Nothing changes unless every session of every proposed series has its laptops free on its
day (counting the ones this publication itself reserves): otherwise
:class:`ProposalRefused` names the first day short. Each session's laptops are lent to its
leaders for that day (they carry them), the people the proposal reached move from the
waiting list into their series, and the series are published.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.devices import free_devices
from scheduler.devices import lend
from scheduler.models import Device
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Organisation
from scheduler.models import Programme
from scheduler.models import User
from scheduler.models import WorkshopSeries
from scheduler.workshops.programmes import publish_series

from .run import latest_result
from .run import proposed_series

log = logging.getLogger(__name__)


class ProposalRefused(Exception):
    """Publishing is refused: ``code`` (``laptops``, ``nothing``) with its figures."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _laptops(
    session: Session, org: Organisation, series: list[WorkshopSeries], today: date
) -> dict[int, list[tuple[date, list[Device]]]]:
    """For each session id, its day and the laptops it takes; refused when one is short.

    A laptop lent for a session held today or earlier leaves at once and counts as out
    until it is returned (as in :func:`free_devices`), so no later day may count on it.
    """
    zone = ZoneInfo(org.timezone)
    taken: dict[date, set[int]] = defaultdict(set)
    out_now: set[int] = set()
    chosen: dict[int, list[tuple[date, list[Device]]]] = {}
    # Earliest first, so that a laptop leaving today is known before later days choose.
    sessions = sorted((s for one in series for s in one.sessions), key=lambda s: s.starts_at)
    for wsession in sessions:
        need = wsession.laptops_needed
        if not need:
            continue
        day = wsession.starts_at.astimezone(zone).date()
        free = [
            d
            for d in free_devices(session, org.id, day)
            if d.id not in taken[day] and d.id not in out_now
        ]
        if len(free) < need:
            raise ProposalRefused("laptops", day=day, needed=need, free=len(free))
        picked = free[:need]
        taken[day].update(d.id for d in picked)
        if day <= today:
            out_now.update(d.id for d in picked)
        chosen[wsession.id] = [(day, picked)]
    return chosen


def reserve_laptops(
    session: Session,
    org: Organisation,
    series: list[WorkshopSeries],
    *,
    today: date,
    now: datetime,
    actor: User | None,
) -> int:
    """Lend each session's laptops to its leaders for its day; refused (nothing lent) when
    one day is short. Returns how many loans were made. The caller commits."""
    laptops = _laptops(session, org, series, today)
    made = 0
    for one in series:
        for wsession in one.sessions:
            for day, devices in laptops.get(wsession.id, []):
                leaders = wsession.leaders
                for n, device in enumerate(devices):
                    lend(
                        session,
                        device,
                        starts_on=day,
                        due_on=day,
                        today=today,
                        actor=actor,
                        now=now,
                        volunteer=leaders[n % len(leaders)] if leaders else None,
                        holder_name="" if leaders else one.place_name,
                        session_id=wsession.id,
                    )
                    made += 1
    return made


def publish_proposal(
    session: Session,
    org: Organisation,
    programme: Programme,
    *,
    today: date,
    now: datetime,
    actor: User | None,
) -> list[WorkshopSeries]:
    """Publish the programme's proposed series; the caller commits."""
    series = proposed_series(session, programme)
    if not series:
        raise ProposalRefused("nothing")
    lent = reserve_laptops(session, org, series, today=today, now=now, actor=actor)
    result = latest_result(session, programme) or {}
    seats = {int(s["series_id"]): s.get("enrolment_ids", []) for s in result.get("series", [])}
    for one in series:
        for enrolment_id in seats.get(one.id, []):
            enrolment = session.get(Enrolment, enrolment_id)
            if (
                enrolment is None
                or enrolment.programme_id != programme.id
                or enrolment.status is not EnrolmentStatus.WAITING
            ):
                continue
            enrolment.series = one
            enrolment.status = EnrolmentStatus.ENROLLED
            enrolment.waiting_position = None
        publish_series(session, one, now=now)
    audit.record(
        session,
        actor=actor,
        action="plan.publish",
        target=f"programme:{programme.id}",
        detail={"series": len(series), "laptops": lent},
        now=now,
        organisation_id=org.id,
    )
    log.info("proposal of programme %d published: %d series", programme.id, len(series))
    return series
