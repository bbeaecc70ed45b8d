"""Running a published week: the organisation's planning policy, locks and hand edits.

A draft can be edited by hand before it is published. Locks say what re-planning must keep
(one stop, or a volunteer's whole day); a hand edit that breaks a planning rule is kept
only with an explicit confirmation, and that override is recorded here (who, when, which
rule) so the draft can show it.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime
from .base import utcnow

#: Minutes a volunteer may leave home before their availability opens (drive only).
DEFAULT_LEAD_MIN = 30
#: Appointments start on this grid (minutes); drop-in duties on the second one.
DEFAULT_TIME_GRID_MIN = 5
DEFAULT_DROPIN_GRID_MIN = 15


class PlanningPolicy(Base):
    """An organisation's own planning rules, passed to the engine and its checker.

    An organisation without a row plans with the defaults above and soft deadlines.
    """

    __tablename__ = "planning_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), unique=True
    )
    lead_min: Mapped[int] = mapped_column(default=DEFAULT_LEAD_MIN)
    time_grid_min: Mapped[int] = mapped_column(default=DEFAULT_TIME_GRID_MIN)
    dropin_grid_min: Mapped[int] = mapped_column(default=DEFAULT_DROPIN_GRID_MIN)
    #: True: a request is never placed after its deadline (it is left out and explained).
    hard_deadlines: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanLock(Base):
    """What re-planning keeps from a draft: one stop (``planned_visit_id``) or a whole
    volunteer-day (``planned_visit_id`` empty)."""

    __tablename__ = "plan_lock"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer.id"))
    #: Local date of the locked day (or of the locked stop).
    day: Mapped[date]
    planned_visit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("planned_visit.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class PlanEdit(Base):
    """A change made by hand to a draft, with the rules it broke when the dispatcher
    confirmed it anyway (``rules`` empty: no rule was broken)."""

    __tablename__ = "plan_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    #: "move", "assign", "lock_visit", "lock_day", "unlock".
    action: Mapped[str] = mapped_column(sa.String(20))
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("help_request.id"))
    volunteer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer.id"))
    #: Checker rule names broken and overridden ("availability", "time_grid"…).
    rules: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: From and to (ISO local times, volunteer ids), for the draft's history.
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
