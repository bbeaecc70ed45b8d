"""The audit trail: who did what, when, to what; kept for ``[AUDIT] retention_days``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import UTCDateTime


class AuditEntry(Base):
    """One thing that matters for accountability: a sign-in, a role change, a publication,
    an erasure, an export. ``detail`` never holds a password, a token or a private link."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: Empty for what no organisation owns (a sign-in with an unknown e-mail).
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    #: The account that acted; kept as a label too, so the entry survives the account.
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    actor_label: Mapped[str] = mapped_column(sa.String(254), default="")
    #: A dotted code such as ``sign_in.ok``, ``user.role``, ``plan.publish``.
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    #: What was acted on, as ``kind:id`` (``user:12``, ``plan:3``, ``request:40``).
    target: Mapped[str] = mapped_column(sa.String(120), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
