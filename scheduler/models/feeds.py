"""Calendar feed tokens: the secret in a subscription URL, stored as a hash (and sealed)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime
from .base import str_enum
from .base import utcnow
from .enums import FeedKind


class FeedToken(Base):
    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    kind: Mapped[FeedKind] = mapped_column(str_enum(FeedKind))
    volunteer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    #: SHA-256 hex of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The token sealed with a key derived from SECRET_KEY, so that its owner can
    #: see their link again (and scan its QR code on a new phone). The database
    #: alone does not open it; after a SECRET_KEY change it no longer unseals and
    #: the owner is asked to make a new link, while subscriptions keep working.
    sealed_token: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
