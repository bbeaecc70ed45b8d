"""A public request form being filled in, one screen at a time, before it is sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime
from .base import utcnow


class BookingDraft(Base):
    """The answers given so far on the step-by-step form, kept on the server.

    The visitor's browser holds only the secret key of its draft (in the signed
    session cookie); the database holds its hash. A draft is not a request: no one
    sees it, it is deleted when the request is sent, and an abandoned one is erased
    after ``[PUBLIC] draft_minutes`` (see :mod:`scheduler.requests.drafts`).
    """

    __tablename__ = "booking_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The raw answers as posted, by field name: ``{"mode": ["home"], "needs": [...]}``.
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON(), default=dict)
    #: Names of the screens answered and accepted, in the order of the form.
    done_steps: Mapped[list[str]] = mapped_column(sa.JSON(), default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<BookingDraft {self.id}>"
