"""Builders for the inbox tests: requests with a given person, age and status."""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import utcnow
from tests.builders import make_municipality
from tests.builders import make_organisation
from tests.builders import make_request

REFERENCE_IN_ROW = re.compile(r'class="inbox-table__reference"[^>]*>(ESC-[0-9A-Z]+)<')


def add_request(
    session: Session,
    org: Organisation,
    *,
    first_name: str = "Jeannine",
    phone: str = "+18195550142",
    beneficiary: Beneficiary | None = None,
    age_days: float | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> HelpRequest:
    """A request from ``first_name`` (a new beneficiary unless one is given),
    ``age_days`` old when given."""
    if beneficiary is None:
        beneficiary = Beneficiary(organisation=org, first_name=first_name, phone=phone)
    if age_days is not None:
        created = (now or utcnow()) - timedelta(days=age_days)
        fields.setdefault("created_at", created)
        fields.setdefault("consent_at", created)
    return make_request(session, org, beneficiary=beneficiary, **fields)


def add_other_organisation(session: Session) -> tuple[Organisation, Municipality]:
    org = make_organisation(session, name="Autre association", slug="autre")
    town = make_municipality(session, org, "Victoriaville", 46.05, -71.96)
    return org, town


def listed_references(html: str) -> list[str]:
    """References of the inbox rows, in the order shown."""
    return REFERENCE_IN_ROW.findall(html)
