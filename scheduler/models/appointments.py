"""Appointments: a volunteer, a time, a place. What calendars show."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import UTCDateTime
from .base import str_enum
from .base import utcnow
from .enums import AppointmentStatus
from .enums import Mode

if TYPE_CHECKING:
    from .organisation import Organisation
    from .organisation import Site
    from .people import Volunteer
    from .requests import HelpRequest


def new_uid() -> str:
    """A calendar UID that never changes for the life of the appointment."""
    return f"{uuid.uuid4()}@escouade"


class Appointment(Base):
    """One planned piece of help.

    A home visit or call has a request and a volunteer; a drop-in duty has a site
    and a volunteer but no request; a beneficiary's drop-in booking has a request
    and a site. ``sequence`` goes up each time time or place changes, so calendar
    apps replace the event instead of adding one.
    """

    __tablename__ = "appointment"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="appointment_order"),
        # The observatory reads an organisation's appointments of a period.
        sa.Index("ix_appointment_organisation_starts", "organisation_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    uid: Mapped[str] = mapped_column(sa.String(80), unique=True, default=new_uid)
    kind: Mapped[Mode] = mapped_column(str_enum(Mode))
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("help_request.id"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[AppointmentStatus] = mapped_column(
        str_enum(AppointmentStatus), default=AppointmentStatus.SCHEDULED
    )
    sequence: Mapped[int] = mapped_column(default=0)
    #: Minutes and km on the road just before this appointment (from home or the
    #: previous visit): calendars show "leave at".
    travel_min_before: Mapped[int | None]
    travel_km_before: Mapped[float | None]
    #: Pinned by a dispatcher: re-planning leaves it where it is.
    pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    request: Mapped[HelpRequest | None] = relationship()
    volunteer: Mapped[Volunteer | None] = relationship()
    site: Mapped[Site | None] = relationship()

    def move(self, starts_at: datetime, ends_at: datetime) -> None:
        """Change the time; calendars see a new SEQUENCE and replace the event."""
        if (starts_at, ends_at) != (self.starts_at, self.ends_at):
            self.starts_at, self.ends_at = starts_at, ends_at
            self.sequence += 1

    def cancel(self, now: datetime) -> None:
        if self.status is not AppointmentStatus.CANCELLED:
            self.status = AppointmentStatus.CANCELLED
            self.cancelled_at = now
            self.sequence += 1

    def __repr__(self) -> str:
        return f"<Appointment {self.kind.value} {self.starts_at:%Y-%m-%d %H:%M}>"
