"""API tokens: how a partner's software or the organisation's own tools call ``/api/v1``.

A token belongs to one organisation and, for a partner's software, to one partner
organisation: then it sees only that partner's referrals. Only a SHA-256 of the secret is
stored; the secret is shown once, when an administrator creates the token. Each token
carries scopes (what it may do), an expiry, and may be revoked at any time.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import UTCDateTime
from .base import json_list
from .base import utcnow

if TYPE_CHECKING:
    from .organisation import Organisation
    from .partners import PartnerOrganisation
    from .people import User


class ApiScope(enum.StrEnum):
    """What a token may do. Partner tokens carry only the first two."""

    REQUESTS_CREATE = "requests:create"
    REQUESTS_READ = "requests:read"
    APPOINTMENTS_READ = "appointments:read"
    PLANS_READ = "plans:read"


#: Scopes a partner organisation's token may hold: referring and following its referrals.
PARTNER_SCOPES = frozenset({ApiScope.REQUESTS_CREATE, ApiScope.REQUESTS_READ})


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    #: Set for a partner's software: the token acts for that partner organisation only.
    partner_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("partner_organisation.id"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    #: SHA-256 hex of the secret; the secret itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The first characters of the secret, so that an administrator recognises a token in
    #: the list and in a partner's configuration; too short to guess the rest.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    #: :class:`ApiScope` values.
    scopes: Mapped[list[str]] = mapped_column(json_list(), default=list)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()
    partner_organisation: Mapped[PartnerOrganisation | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def is_partner(self) -> bool:
        return self.partner_organisation_id is not None

    def has_scope(self, scope: ApiScope) -> bool:
        return scope.value in self.scopes

    def is_live(self, now: datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… {self.name}>"
