"""Forgetting workshop participants once their series is long over.

An enrolment keeps its counts (status, attendance, referral source) for the observatory,
but its person, the partner's name and the private link go once the series ended (or the
person left) more than the organisation's ``retention_days`` ago. The person's record is
deleted when no request and no other enrolment uses it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.tokens import new_token
from scheduler.models import Beneficiary
from scheduler.models import Enrolment
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import WorkshopSession

log = logging.getLogger(__name__)


def erase_past_participants(session: Session, now: datetime) -> int:
    """Erase the personal data of enrolments past retention; return how many. Flushes."""
    erased = 0
    for org in session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        cutoff = now - timedelta(days=org.retention_days)
        last_session = (
            sa.select(sa.func.max(WorkshopSession.ends_at))
            .where(WorkshopSession.series_id == Enrolment.series_id)
            .scalar_subquery()
        )
        expired = session.scalars(
            sa.select(Enrolment).where(
                Enrolment.organisation_id == org.id,
                Enrolment.beneficiary_id.is_not(None),
                sa.or_(
                    Enrolment.withdrawn_at < cutoff,
                    last_session < cutoff,
                    sa.and_(Enrolment.series_id.is_(None), Enrolment.updated_at < cutoff),
                ),
            )
        ).all()
        released = set()
        for enrolment in expired:
            if enrolment.beneficiary_id is not None:
                released.add(enrolment.beneficiary_id)
            enrolment.beneficiary = None
            enrolment.referrer_name = None
            enrolment.availability = []
            enrolment.access_token_hash = new_token()[1]
        session.flush()
        for beneficiary_id in sorted(released):
            if in_use(session, beneficiary_id):
                continue
            beneficiary = session.get(Beneficiary, beneficiary_id)
            if beneficiary is not None:
                session.delete(beneficiary)
        if expired:
            log.info(
                "erased the personal data of %d workshop enrolments of organisation %d",
                len(expired),
                org.id,
            )
        erased += len(expired)
    session.flush()
    return erased


def in_use(session: Session, beneficiary_id: int) -> bool:
    """Whether a request or an enrolment still names this person."""
    for model in (HelpRequest, Enrolment):
        found = session.scalar(
            sa.select(model.id).where(model.beneficiary_id == beneficiary_id).limit(1)
        )
        if found is not None:
            return True
    return False
