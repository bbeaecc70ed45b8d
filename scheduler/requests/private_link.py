"""A request's private link: what the person who asked can do without an account.

The link's secret is never stored, only its hash; a malformed secret never reaches the
database. Through it the person sees where their request stands, their next confirmed
appointment, and can cancel.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.tokens import hash_token
from scheduler.core.tokens import looks_like_token
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import RequestEvent
from scheduler.models import RequestStatus
from scheduler.requests.intake import clean_text

CANCEL_REASON_MAX = 200


class RequestNotFound(Exception):
    """No request has this private link."""


class RequestClosed(Exception):
    """The request is already done, cancelled or missed; nothing to cancel."""


def find_by_token(session: Session, token: str) -> HelpRequest | None:
    """The request a private link opens, or None; a malformed token never reaches the database."""
    if not looks_like_token(token):
        return None
    return session.scalars(
        sa.select(HelpRequest).where(HelpRequest.access_token_hash == hash_token(token))
    ).first()


def cancel_request(
    session: Session, token: str, *, now: datetime, reason: str | None = None
) -> HelpRequest:
    """Cancel a request through its private link; its appointments are cancelled too.

    :raises RequestNotFound: no request has this link.
    :raises RequestClosed: the request is already done, cancelled or missed.
    """
    request = find_by_token(session, token)
    if request is None:
        raise RequestNotFound()
    if not request.is_open:
        raise RequestClosed()
    previous = request.status
    # Close it in the database only if it is still as read: the same link cancelled from
    # two tabs at once waits here for the first, then finds it closed.
    closed = session.execute(
        sa.update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.status == previous)
        .values(status=RequestStatus.CANCELLED, closed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise RequestClosed()
    appointments = session.scalars(
        sa.select(Appointment).where(
            Appointment.request_id == request.id,
            Appointment.status.in_([AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED]),
        )
    ).all()
    for appointment in appointments:
        appointment.cancel(now)
    request.status = RequestStatus.CANCELLED
    request.closed_at = now
    request.updated_at = now
    request.cancel_reason = clean_text(reason, CANCEL_REASON_MAX)
    session.add(
        RequestEvent(
            request=request,
            at=now,
            kind="cancelled",
            detail={
                "by": "beneficiary",
                "from": previous.value,
                "appointments_cancelled": len(appointments),
            },
        )
    )
    session.commit()
    return request


def upcoming_appointment(
    session: Session, request: HelpRequest, now: datetime
) -> Appointment | None:
    """The next appointment the person can rely on, not over yet: a confirmed one, or
    one of the published plan (the request is then planned or confirmed)."""
    if not request.is_open:
        return None
    confirmed = Appointment.status == AppointmentStatus.CONFIRMED
    if request.status in (RequestStatus.PLANNED, RequestStatus.CONFIRMED):
        confirmed = Appointment.status.in_(
            [AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED]
        )
    return session.scalars(
        sa.select(Appointment)
        .where(Appointment.request_id == request.id, confirmed, Appointment.ends_at > now)
        .order_by(Appointment.starts_at)
        .limit(1)
    ).first()


#: A home visit is announced as a window of arrival: the road decides the minute.
ARRIVAL_MARGIN = timedelta(minutes=15)


def arrival_window(appointment: Appointment) -> tuple[datetime, datetime]:
    """When the volunteer may ring the bell: the planned start, give or take the margin."""
    return appointment.starts_at - ARRIVAL_MARGIN, appointment.starts_at + ARRIVAL_MARGIN
