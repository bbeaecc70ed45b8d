"""Finding an organisation, and what its clock says.

Escouade runs one organisation per installation today; the model carries
``organisation_id`` everywhere so that several can share one database later.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Organisation


def default_organisation(session: Session) -> Organisation | None:
    """The installation's first organisation, if any."""
    return session.scalars(sa.select(Organisation).order_by(Organisation.id).limit(1)).first()


def find_organisation(session: Session, slug: str) -> Organisation | None:
    return session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


def local_today(organisation: Organisation, now: datetime) -> date:
    """Today's date where the organisation is."""
    return now.astimezone(ZoneInfo(organisation.timezone)).date()
