"""A form already sent: the one-use key a staff page's form carries."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime


class FormSubmission(Base):
    """The key of a form that created something, so that the same form sent again (a
    double click, the browser's back button then send, a reload of the answer) creates
    nothing a second time (see :mod:`scheduler.core.submissions`).

    The key is unique: two sendings at once race on it and the database lets one win.
    No personal data: the key, which form, who sent it, where its result is.
    """

    __tablename__ = "form_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Which form (``intake``, ``new_volunteer``…), for the log and the tests.
    form: Mapped[str] = mapped_column(sa.String(40))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: The page that shows what the first sending made, once known.
    target: Mapped[str | None] = mapped_column(sa.String(300))
    #: A digest of what was sent (the API's canonical JSON body), so that a key sent again
    #: with another body is refused instead of answering with what the first one made.
    fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    def __repr__(self) -> str:
        return f"<FormSubmission {self.form} {self.id}>"
