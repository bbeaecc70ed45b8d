"""Callers who asked for help before, found by phone number during a phone intake, so
their record is reused instead of copied."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import Organisation


@dataclass(frozen=True)
class KnownCaller:
    """A beneficiary record found by phone number, with their latest request."""

    beneficiary: Beneficiary
    requests: int
    latest: HelpRequest | None


def find_callers(session: Session, org: Organisation, phone: str) -> list[KnownCaller]:
    """Beneficiaries of the organisation with this E.164 number, most recent request first."""
    people = session.scalars(
        sa.select(Beneficiary)
        .where(Beneficiary.organisation_id == org.id, Beneficiary.phone == phone)
        .order_by(Beneficiary.created_at.desc())
        .limit(10)
    ).all()
    found = []
    for person in people:
        requests = session.scalars(
            sa.select(HelpRequest)
            .where(HelpRequest.beneficiary_id == person.id)
            .order_by(HelpRequest.created_at.desc())
        ).all()
        found.append(KnownCaller(person, len(requests), requests[0] if requests else None))
    found.sort(key=lambda c: c.latest.created_at if c.latest else c.beneficiary.created_at)
    found.reverse()
    return found


#: The largest id a row can have (PostgreSQL's ``integer``).
MAX_ID = 2**31 - 1


def organisation_beneficiary(
    session: Session, org: Organisation, beneficiary_id: int
) -> Beneficiary | None:
    """A beneficiary record, only if it belongs to the organisation (``None`` for an id no
    record can have: typed in a URL, it must not reach the database driver)."""
    if not 0 < beneficiary_id <= MAX_ID:
        return None
    person = session.get(Beneficiary, beneficiary_id)
    return person if person is not None and person.organisation_id == org.id else None
