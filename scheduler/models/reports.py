"""Visit reports: what a volunteer says happened at a visit, call or drop-in duty."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime
from .base import utcnow

#: The two outcomes a volunteer reports.
DONE = "done"
NO_SHOW = "no_show"


class VisitReport(Base):
    """One report per appointment, editable for a while after the visit.

    Feeds the request's history and the volunteer's hours and km of the year.
    """

    __tablename__ = "visit_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    appointment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appointment.id", ondelete="CASCADE"), unique=True
    )
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer.id"), index=True)
    #: "done" or "no_show".
    outcome: Mapped[str] = mapped_column(sa.String(10))
    #: Time actually spent helping, in minutes (done only).
    minutes_spent: Mapped[int | None]
    #: Km driven for this visit, there and back as the volunteer counts them.
    km_driven: Mapped[float | None]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    #: When the visit happened (copied from the appointment, for yearly totals).
    visit_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
