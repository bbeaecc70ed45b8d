"""Workshop attendance against capacity, and completed cycles, over a period.

One row per series with a session in the period: sessions held, seats offered
(capacity × sessions held), presences recorded, and participants who completed their
cycle in the period. The site and municipality filters narrow to series held there.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Attendance
from scheduler.models import Enrolment
from scheduler.models import EnrolmentStatus
from scheduler.models import Organisation
from scheduler.models import SeriesStatus
from scheduler.models import WorkshopSeries
from scheduler.models import WorkshopSession

from .scope import Scope


@dataclass(frozen=True, slots=True)
class WorkshopRow:
    title: str
    place: str
    sessions: int
    seats: int
    present: int
    completed: int
    waiting: int

    @property
    def rate(self) -> float | None:
        """Presences over seats offered, from 0 to 1; None when no seat was offered."""
        return self.present / self.seats if self.seats else None


def workshop_rows(session: Session, organisation: Organisation, scope: Scope) -> list[WorkshopRow]:
    starts, ends = scope.bounds(ZoneInfo(organisation.timezone))
    query = (
        sa.select(WorkshopSession)
        .join(WorkshopSeries, WorkshopSeries.id == WorkshopSession.series_id)
        .where(
            WorkshopSeries.organisation_id == organisation.id,
            WorkshopSeries.status == SeriesStatus.PUBLISHED,
            WorkshopSession.starts_at >= starts,
            WorkshopSession.starts_at < ends,
        )
    )
    if scope.site_id is not None:
        query = query.where(WorkshopSeries.site_id == scope.site_id)
    if scope.municipality_id is not None:
        query = query.where(WorkshopSeries.municipality_id == scope.municipality_id)
    held: dict[int, list[WorkshopSession]] = {}
    for wsession in session.scalars(query):
        held.setdefault(wsession.series_id, []).append(wsession)
    rows = []
    for series_id, sessions in sorted(held.items()):
        series = sessions[0].series
        ids = [s.id for s in sessions]
        present = session.scalar(
            sa.select(sa.func.count(Attendance.id)).where(
                Attendance.session_id.in_(ids), Attendance.present.is_(True)
            )
        )
        completed = session.scalar(
            sa.select(sa.func.count(Enrolment.id)).where(
                Enrolment.series_id == series_id,
                Enrolment.status == EnrolmentStatus.COMPLETED,
                Enrolment.completed_at >= starts,
                Enrolment.completed_at < ends,
            )
        )
        waiting = session.scalar(
            sa.select(sa.func.count(Enrolment.id)).where(
                Enrolment.series_id == series_id,
                Enrolment.status.in_((EnrolmentStatus.WAITING, EnrolmentStatus.OFFERED)),
            )
        )
        rows.append(
            WorkshopRow(
                title=series.programme.title,
                place=series.place_name,
                sessions=len(sessions),
                seats=series.programme.capacity * len(sessions),
                present=int(present or 0),
                completed=int(completed or 0),
                waiting=int(waiting or 0),
            )
        )
    return rows
