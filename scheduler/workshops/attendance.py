"""Attendance per session, and completion of the cycle.

A participant has completed the cycle once the share of the programme's sessions they
attended reaches ``programme.completion_share`` (6 of 8 at 0.75). Completion is kept
when a later attendance is corrected downwards only if the share still holds: it is
recomputed from the attendance rows each time.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Collection
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.inserts import insert_for
from scheduler.models import Attendance
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import WorkshopSession

from .enrolment import participants
from .errors import WorkshopError

log = logging.getLogger(__name__)
#: Attendance opens on the day: a leader may record it from an hour before the start.
_EARLIEST = timedelta(hours=1)


def sessions_needed(sessions_count: int, share: float) -> int:
    """Sessions to attend to complete: the share of the cycle, rounded up (6 of 8 at 0.75)."""
    return max(1, math.ceil(sessions_count * share - 1e-9))


def may_take_attendance(user: User, wsession: WorkshopSession) -> bool:
    """Its leaders, and the organisation's staff."""
    if user.organisation_id != wsession.series.organisation_id:
        return False
    if user.volunteer is not None and user.volunteer in wsession.leaders:
        return True
    return user.role in (Role.ADMIN, Role.DISPATCHER)


def attendance_of(session: Session, wsession: WorkshopSession) -> dict[int, bool]:
    """enrolment id → present, for the participants already marked."""
    rows = session.execute(
        sa.select(Attendance.enrolment_id, Attendance.present).where(
            Attendance.session_id == wsession.id
        )
    )
    return {enrolment_id: present for enrolment_id, present in rows}


def record_attendance(
    session: Session,
    wsession: WorkshopSession,
    present_ids: Collection[int],
    *,
    by: User,
    now: datetime,
) -> list[Enrolment]:
    """Mark every participant of the session present (ids given) or absent; flushes.

    Returns the participants whose cycle became complete with this record.
    """
    if not may_take_attendance(by, wsession):
        raise WorkshopError("not_leader")
    if wsession.starts_at - now > _EARLIEST:
        raise WorkshopError("too_early")
    people = participants(session, wsession.series)
    known = {e.id for e in people}
    if set(present_ids) - known:
        raise WorkshopError("unknown_participant")
    rows = sa.select(Attendance).where(Attendance.session_id == wsession.id)
    existing = {a.enrolment_id: a for a in session.scalars(rows)}
    missing = [e.id for e in people if e.id not in existing]
    if missing:
        # One INSERT that yields to rows another save made a moment ago (the two leaders
        # on their phones, a double tap), which this save then overwrites.
        session.execute(
            insert_for(session)(Attendance)
            .values(
                [
                    {"session_id": wsession.id, "enrolment_id": i, "recorded_at": now}
                    for i in missing
                ]
            )
            .on_conflict_do_nothing(index_elements=[Attendance.session_id, Attendance.enrolment_id])
        )
        existing = {a.enrolment_id: a for a in session.scalars(rows)}
    for enrolment in people:
        row = existing[enrolment.id]
        row.present = enrolment.id in present_ids
        row.recorded_by_id = by.id
        row.recorded_at = now
    session.flush()
    completed = update_completion(session, people, now=now)
    log.info(
        "attendance of workshop session %d recorded: %d of %d present",
        wsession.id,
        len(present_ids),
        len(people),
    )
    return completed


def attended(session: Session, enrolment: Enrolment) -> int:
    return int(
        session.scalar(
            sa.select(sa.func.count(Attendance.id)).where(
                Attendance.enrolment_id == enrolment.id, Attendance.present.is_(True)
            )
        )
        or 0
    )


def update_completion(
    session: Session, people: list[Enrolment], *, now: datetime
) -> list[Enrolment]:
    """Set each participant completed or enrolled from their attendance; flushes.

    Returns those who became completed now.
    """
    newly = []
    for enrolment in people:
        programme = enrolment.programme
        done = attended(session, enrolment) >= sessions_needed(
            programme.sessions_count, programme.completion_share
        )
        if done and enrolment.status is EnrolmentStatus.ENROLLED:
            enrolment.status = EnrolmentStatus.COMPLETED
            enrolment.completed_at = now
            newly.append(enrolment)
            log.info("enrolment %d completed its cycle", enrolment.id)
        elif not done and enrolment.status is EnrolmentStatus.COMPLETED:
            enrolment.status = EnrolmentStatus.ENROLLED
            enrolment.completed_at = None
    session.flush()
    return newly
