"""Stored plans: drafts a dispatcher reviews, and the published plan of a week.

A published plan is never overwritten: re-planning makes a new draft whose
parent is the published one.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import UTCDateTime
from .base import str_enum
from .base import utcnow
from .enums import Mode
from .enums import PlanStatus


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (
        # At most one published plan per organisation and week, whatever races to publish.
        sa.Index(
            "uq_plan_published_week",
            "organisation_id",
            "week_start",
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    #: Monday of the planned week, local date.
    week_start: Mapped[date] = mapped_column(index=True)
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus), default=PlanStatus.DRAFT)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seed: Mapped[int] = mapped_column(default=0)
    time_limit_s: Mapped[float | None]
    solve_seconds: Mapped[float | None]
    objective: Mapped[int | None] = mapped_column(sa.BigInteger)
    #: Served / total, km, minutes on the road, left out by reason.
    stats: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    visits: Mapped[list[PlannedVisit]] = relationship(
        back_populates="plan",
        order_by="(PlannedVisit.volunteer_id, PlannedVisit.starts_at)",
        cascade="all, delete-orphan",
    )
    unassigned: Mapped[list[PlanUnassigned]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class PlannedVisit(Base):
    """A stop on a volunteer's route in a plan, or a visitor's booking at a drop-in."""

    __tablename__ = "planned_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"), index=True)
    kind: Mapped[Mode] = mapped_column(str_enum(Mode))
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("help_request.id"))
    #: Empty for a visitor booked at a drop-in: they come to the site, nobody goes to them.
    volunteer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer.id"))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    appointment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("appointment.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Order of the stop within the volunteer's day, from 0.
    position: Mapped[int] = mapped_column(default=0)
    travel_min_before: Mapped[int] = mapped_column(default=0)
    travel_km_before: Mapped[float] = mapped_column(default=0.0)
    pinned: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship(back_populates="visits")


class PlanUnassigned(Base):
    """A request the plan could not place, with the reason code and its parameters."""

    __tablename__ = "plan_unassigned"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"), index=True)
    #: Indexed: the observatory and the exports look up why a request was left out.
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("help_request.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    plan: Mapped[Plan] = relationship(back_populates="unassigned")
