"""The record of every export of figures: who took what, when, over which period.

Exports leave the service (a spreadsheet sent to a funder, a CSV on a laptop), so each one
is written down, even those that hold no personal data.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime
from .base import utcnow


class ExportRecord(Base):
    """One export of the observatory or of a volunteer's statement."""

    __tablename__ = "export_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: What was exported: "requests", "activity", "summary", "volunteer_year".
    kind: Mapped[str] = mapped_column(sa.String(30))
    #: "csv" or "xlsx".
    file_format: Mapped[str] = mapped_column(sa.String(8))
    #: The filters as the dashboard shows them: "2026-01-01..2026-03-31 site=2".
    scope: Mapped[str] = mapped_column(sa.String(200))
    rows: Mapped[int] = mapped_column(default=0)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
