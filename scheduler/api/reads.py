"""What the API's read operations return, scoped to the calling token.

A partner's token sees its own partner organisation's referrals only, and of each only
where it stands (received, planned with the appointment's start, done, or not served
and why): never a volunteer, an internal note or another partner's referral. A request
the token may not see is reported exactly as one that does not exist.
Staff tokens read their organisation's requests, a week's appointments and a published
plan; volunteers appear by id and first name only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from scheduler.dispatch.store import published_plan
from scheduler.dispatch.weeks import week_bounds
from scheduler.dispatch.weeks import week_code
from scheduler.models import ApiToken
from scheduler.models import Appointment
from scheduler.models import HelpRequest
from scheduler.partners.referrals import ReferralLine
from scheduler.partners.referrals import line_for
from scheduler.requests.references import normalise_reference


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
        }


def visible_request(session: Session, token: ApiToken, reference: str) -> HelpRequest | None:
    """The request of this reference that ``token`` may see, or None."""
    wanted = normalise_reference(reference)
    if not wanted:
        return None
    query = sa.select(HelpRequest).where(
        HelpRequest.organisation_id == token.organisation_id,
        HelpRequest.reference == wanted,
        HelpRequest.merged_into_id.is_(None),
    )
    if token.partner_organisation_id is not None:
        query = query.where(HelpRequest.partner_organisation_id == token.partner_organisation_id)
    return session.scalar(query)


#: How many merges in a row are followed from a request to the one it lives on in (a
#: request merged into one merged later in turn); a loop would be a fault, not a chain.
MERGES_FOLLOWED = 20


@dataclass(frozen=True)
class MergedAway:
    """A request the token created, merged since into one the token may not see (the
    person's own request from the public form, another partner's referral)."""

    reference: str


def created_request(
    session: Session, token: ApiToken, reference: str
) -> HelpRequest | MergedAway | None:
    """What an ``Idempotency-Key``'s first call created, as it stands now.

    A dispatcher may have merged it into another request of the same person: it then
    lives on in that one, which is returned when the token may see it; when it may not,
    :class:`MergedAway` says so without showing it. None when the request is gone.
    """
    query = sa.select(HelpRequest).where(
        HelpRequest.organisation_id == token.organisation_id,
        HelpRequest.reference == normalise_reference(reference),
    )
    if token.partner_organisation_id is not None:
        query = query.where(HelpRequest.partner_organisation_id == token.partner_organisation_id)
    created = session.scalar(query)
    if created is None:
        return None
    survivor = created
    for _ in range(MERGES_FOLLOWED):
        if survivor.merged_into is None:
            break
        survivor = survivor.merged_into
    visible = visible_request(session, token, survivor.reference)
    return visible if visible is not None else MergedAway(created.reference)


def follow_up(session: Session, request: HelpRequest) -> ReferralLine:
    """Where ``request`` stands, as its partner sees it on the partner's pages (the same
    :func:`scheduler.partners.referrals.line_for`, so the page and the API never differ)."""
    return line_for(session, request)


def partner_referrals(session: Session, token: ApiToken, *, page: int, per_page: int) -> Page:
    """The token's partner organisation's referrals, newest first."""
    base = sa.select(HelpRequest).where(
        HelpRequest.organisation_id == token.organisation_id,
        HelpRequest.partner_organisation_id == token.partner_organisation_id,
        HelpRequest.merged_into_id.is_(None),
    )
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    page = min(page, max(1, math.ceil(total / per_page)))
    rows = session.scalars(
        base.order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return Page([follow_up(session, r) for r in rows], page, per_page, total)


def staff_request(request: HelpRequest) -> dict[str, Any]:
    return {
        "id": request.id,
        "reference": request.reference,
        "status": request.status.value,
        "mode": request.mode.value,
        "needs": list(request.needs or []),
        "languages": list(request.languages or []),
        "municipality_id": request.municipality_id,
        "municipality": request.municipality.name,
        "first_name": request.beneficiary.first_name if request.beneficiary else None,
        "priority": int(request.priority),
        "deadline": request.deadline,
        "partner_organisation_id": request.partner_organisation_id,
        "created_at": request.created_at,
    }


def week_appointments(session: Session, token: ApiToken, monday: date) -> dict[str, Any]:
    """The organisation's appointments that start in the week of ``monday`` (local time)."""
    zone = ZoneInfo(token.organisation.timezone)
    start, end = week_bounds(monday, zone)
    rows = session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.organisation_id == token.organisation_id,
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
        )
        .options(selectinload(Appointment.request), selectinload(Appointment.volunteer))
        .order_by(Appointment.starts_at, Appointment.id)
    )
    items = []
    for a in rows:
        request = a.request
        items.append(
            {
                "id": a.id,
                "kind": a.kind.value,
                "status": a.status.value,
                "starts_at": a.starts_at,
                "ends_at": a.ends_at,
                "request_reference": request.reference if request else None,
                "volunteer_id": a.volunteer_id,
                "volunteer": a.volunteer.first_name if a.volunteer else None,
                "site_id": a.site_id,
                "municipality": request.municipality.name if request else None,
            }
        )
    return {"week": week_code(monday), "items": items}


def week_plan(session: Session, token: ApiToken, monday: date) -> dict[str, Any] | None:
    """The published plan of the week of ``monday``, or None when none is published."""
    plan = published_plan(session, token.organisation_id, monday)
    if plan is None:
        return None
    ids = {v.request_id for v in plan.visits} | {u.request_id for u in plan.unassigned}
    references: dict[int, str] = {
        request_id: reference
        for request_id, reference in session.execute(
            sa.select(HelpRequest.id, HelpRequest.reference).where(
                HelpRequest.id.in_([i for i in ids if i is not None])
            )
        )
    }
    return {
        "id": plan.id,
        "week": week_code(monday),
        "published_at": plan.published_at,
        "visits": [
            {
                "kind": v.kind.value,
                "starts_at": v.starts_at,
                "ends_at": v.ends_at,
                "request_reference": references.get(v.request_id) if v.request_id else None,
                "volunteer_id": v.volunteer_id,
                "site_id": v.site_id,
                "travel_min_before": v.travel_min_before,
                "travel_km_before": v.travel_km_before,
            }
            for v in sorted(plan.visits, key=lambda v: (v.starts_at, v.id))
        ],
        "left_out": [
            {
                "request_reference": references.get(u.request_id) if u.request_id else None,
                "reason": u.reason,
            }
            for u in plan.unassigned
        ],
    }
