"""A partner's referrals and the status it may see of each.

A partner follows the people it referred, not the association's work: each referral
shows its reference, the person's first name, when it was sent, and one of four
statuses — received, planned (with the appointment's day and time once the week is
published), done, or could not be served with the reason as a code the page turns
into a sentence. Nothing about volunteers, no internal notes, no other partner's
referrals: the queries here always filter on the partner organisation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import PlanUnassigned
from scheduler.models import RequestStatus

#: How many referrals the list shows, newest first.
LIST_LIMIT = 500


class PartnerStatus(enum.StrEnum):
    """What a partner is told of a referral."""

    RECEIVED = "received"
    PLANNED = "planned"
    DONE = "done"
    NOT_SERVED = "not_served"


@dataclass(frozen=True, slots=True)
class ReferralLine:
    """One referral as its partner sees it."""

    id: int
    reference: str
    first_name: str
    mode: Mode
    municipality: str
    created_at: datetime
    status: PartnerStatus
    #: The appointment's start, when one is published (and not cancelled).
    appointment_at: datetime | None = None
    #: Why it could not be served: "cancelled", "no_show", or the planning engine's reason
    #: code when the last published plan left it out (with its parameters in ``detail``).
    reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def _appointment(session: Session, request_id: int) -> Appointment | None:
    """The referral's latest appointment that still holds (scheduled, confirmed or done)."""
    return session.scalar(
        sa.select(Appointment)
        .where(
            Appointment.request_id == request_id,
            Appointment.status.in_(
                [AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED, AppointmentStatus.DONE]
            ),
        )
        .order_by(Appointment.starts_at.desc())
        .limit(1)
    )


def _left_out(session: Session, request_id: int) -> PlanUnassigned | None:
    """Why the latest published plan that considered the request left it out, if it did."""
    return session.scalar(
        sa.select(PlanUnassigned)
        .join(Plan, Plan.id == PlanUnassigned.plan_id)
        .where(PlanUnassigned.request_id == request_id, Plan.status == PlanStatus.PUBLISHED)
        .order_by(Plan.week_start.desc(), PlanUnassigned.id.desc())
        .limit(1)
    )


def line_for(session: Session, request: HelpRequest) -> ReferralLine:
    """The status a partner sees of one of its referrals."""
    appointment = _appointment(session, request.id)
    status, reason, detail = PartnerStatus.RECEIVED, None, {}
    when = appointment.starts_at if appointment is not None else None
    if request.status is RequestStatus.DONE:
        status = PartnerStatus.DONE
    elif request.status in (RequestStatus.CANCELLED, RequestStatus.NO_SHOW):
        status, reason, when = PartnerStatus.NOT_SERVED, request.status.value, None
    elif appointment is not None or request.status in (
        RequestStatus.PLANNED,
        RequestStatus.CONFIRMED,
    ):
        status = PartnerStatus.PLANNED
    else:
        left_out = _left_out(session, request.id)
        if left_out is not None:
            status, reason, detail = PartnerStatus.NOT_SERVED, left_out.reason, left_out.detail
    return ReferralLine(
        id=request.id,
        reference=request.reference,
        first_name=request.beneficiary.first_name if request.beneficiary else "",
        mode=request.mode,
        municipality=request.municipality.name,
        created_at=request.created_at,
        status=status,
        appointment_at=when,
        reason=reason,
        detail=dict(detail or {}),
    )


def referrals(session: Session, partner_id: int) -> list[ReferralLine]:
    """The partner's referrals, newest first."""
    requests = session.scalars(
        sa.select(HelpRequest)
        .where(HelpRequest.partner_organisation_id == partner_id)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
        .limit(LIST_LIMIT)
    )
    return [line_for(session, request) for request in requests]


def find_referral(session: Session, partner_id: int, request_id: int) -> ReferralLine | None:
    """One referral of this partner; None for any other request, whoever referred it."""
    request = session.get(HelpRequest, request_id)
    if request is None or request.partner_organisation_id != partner_id:
        return None
    return line_for(session, request)
