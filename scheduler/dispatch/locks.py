"""Locks on a draft: a stop, or a volunteer's whole day, that re-planning keeps.

Locks belong to one stored plan; each new draft of the week inherits the locks of the plan
it was made from, matched stop by stop (the same request, or the same duty).
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Organisation
from ..models import Plan as PlanRow
from ..models import PlanEdit
from ..models import PlanLock
from ..models import PlannedVisit
from ..models import User


def _same_stop(old: PlannedVisit, new: PlannedVisit) -> bool:
    if old.request_id is not None:
        return new.request_id == old.request_id and new.kind is old.kind
    return (new.request_id, new.site_id, new.volunteer_id, new.starts_at) == (
        None,
        old.site_id,
        old.volunteer_id,
        old.starts_at,
    )


def carry_locks(session: Session, source: PlanRow | None, target: PlanRow, zone: ZoneInfo) -> int:
    """Copy the locks of ``source`` to ``target`` (a new draft of the same week); commit.

    :return: how many locks were kept (a locked stop no longer in ``target`` is not).
    """
    if source is None or source.id == target.id:
        return 0
    kept = 0
    old_rows = {v.id: v for v in source.visits}
    for lock in session.scalars(sa.select(PlanLock).where(PlanLock.plan_id == source.id)):
        if lock.planned_visit_id is None:
            session.add(PlanLock(plan_id=target.id, volunteer_id=lock.volunteer_id, day=lock.day))
            kept += 1
            continue
        old = old_rows.get(lock.planned_visit_id)
        new = next((v for v in target.visits if old and _same_stop(old, v)), None)
        if new is None or new.volunteer_id is None:
            continue
        session.add(
            PlanLock(
                plan_id=target.id,
                volunteer_id=new.volunteer_id,
                day=new.starts_at.astimezone(zone).date(),
                planned_visit_id=new.id,
            )
        )
        kept += 1
    session.commit()
    return kept


def stop_lock(session: Session, plan: PlanRow, stop: PlannedVisit) -> PlanLock | None:
    return session.scalar(
        sa.select(PlanLock).where(PlanLock.plan_id == plan.id, PlanLock.planned_visit_id == stop.id)
    )


def day_lock(session: Session, plan: PlanRow, volunteer_id: int, day: date) -> PlanLock | None:
    return session.scalar(
        sa.select(PlanLock).where(
            PlanLock.plan_id == plan.id,
            PlanLock.volunteer_id == volunteer_id,
            PlanLock.day == day,
            PlanLock.planned_visit_id.is_(None),
        )
    )


def locked_stops(session: Session, plan: PlanRow) -> set[int]:
    """Ids of the planned visits locked one by one."""
    return {
        lock.planned_visit_id
        for lock in session.scalars(sa.select(PlanLock).where(PlanLock.plan_id == plan.id))
        if lock.planned_visit_id is not None
    }


def locked_days(session: Session, plan: PlanRow) -> set[tuple[int, date]]:
    """(volunteer id, local date) of the volunteer-days locked whole."""
    return {
        (lock.volunteer_id, lock.day)
        for lock in session.scalars(sa.select(PlanLock).where(PlanLock.plan_id == plan.id))
        if lock.planned_visit_id is None
    }


def set_stop_lock(
    session: Session,
    organisation: Organisation,
    plan: PlanRow,
    stop: PlannedVisit,
    locked: bool,
    *,
    user: User | None,
    now: datetime,
) -> None:
    """Lock or unlock one stop of a draft; record it; commit."""
    found = stop_lock(session, plan, stop)
    if locked and found is None and stop.volunteer_id is not None:
        day = stop.starts_at.astimezone(ZoneInfo(organisation.timezone)).date()
        session.add(
            PlanLock(
                plan_id=plan.id,
                volunteer_id=stop.volunteer_id,
                day=day,
                planned_visit_id=stop.id,
                created_at=now,
                created_by_id=user.id if user else None,
            )
        )
    elif not locked and found is not None:
        session.delete(found)
    else:
        return
    _record(
        session,
        plan,
        "lock_visit" if locked else "unlock",
        stop.request_id,
        stop.volunteer_id,
        user,
        now,
    )
    session.commit()


def set_day_lock(
    session: Session,
    plan: PlanRow,
    volunteer_id: int,
    day: date,
    locked: bool,
    *,
    user: User | None,
    now: datetime,
) -> None:
    """Lock or unlock a volunteer's whole day in a draft; record it; commit."""
    found = day_lock(session, plan, volunteer_id, day)
    if locked and found is None:
        session.add(
            PlanLock(
                plan_id=plan.id,
                volunteer_id=volunteer_id,
                day=day,
                created_at=now,
                created_by_id=user.id if user else None,
            )
        )
    elif not locked and found is not None:
        session.delete(found)
    else:
        return
    _record(
        session,
        plan,
        "lock_day" if locked else "unlock_day",
        None,
        volunteer_id,
        user,
        now,
        day=day.isoformat(),
    )
    session.commit()


def _record(
    session: Session,
    plan: PlanRow,
    action: str,
    request_id: int | None,
    volunteer_id: int | None,
    user: User | None,
    now: datetime,
    **detail: object,
) -> None:
    session.add(
        PlanEdit(
            plan_id=plan.id,
            action=action,
            request_id=request_id,
            volunteer_id=volunteer_id,
            rules=[],
            detail=dict(detail),
            at=now,
            user_id=user.id if user else None,
        )
    )
