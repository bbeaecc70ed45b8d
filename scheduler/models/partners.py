"""Partner organisations: the social services, schools, landlords or food banks that refer people.

A partner organisation belongs to one association (``organisation_id``); its staff sign in
with the partner role and see only the referrals of their own partner organisation. A
referral is a help request whose ``partner_organisation_id`` names the partner, so that
follow-up and the observatory count by organisation rather than by a typed name.
"""

from __future__ import annotations

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
from .enums import PartnerKind

if TYPE_CHECKING:
    from .organisation import Organisation


class PartnerOrganisation(Base):
    """An organisation that refers people to the association and follows what became of them."""

    __tablename__ = "partner_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[PartnerKind] = mapped_column(str_enum(PartnerKind, 30))
    #: Where status-change messages go when ``notify_on_status`` is set.
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    #: Send an e-mail to ``contact_email`` each time one of its referrals changes status.
    notify_on_status: Mapped[bool] = mapped_column(default=False)
    #: A deactivated partner keeps its history but its staff can no longer sign in or refer.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    def __repr__(self) -> str:
        return f"<PartnerOrganisation {self.name} {self.kind.value}>"
