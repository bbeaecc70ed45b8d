"""Data retention: erase the personal data of requests closed long enough ago.

GDPR and Québec's Law 25 allow keeping personal data only as long as it is needed.
Once a request has been closed (done, cancelled, no-show) for the organisation's
``retention_days``, what identifies the person goes:

* the :class:`Beneficiary` (first name, phone, e-mail, accessibility notes) is
  deleted once no request that still needs it (open, or closed but within its own
  retention period) uses it; otherwise the erased request only lets go of it;
* on the request: address and coordinates, the person's own description of the need,
  internal notes, the referrer's name, availability, the words they typed when cancelling
  (reason codes stay), and its private link (the
  secret's hash is replaced, so the old link opens nothing);
* in its history: values that could hold personal data (an old address, free text);
* in calendars: the events of its appointments get a higher SEQUENCE, so that the
  volunteers' calendar apps replace the text that showed the person.

What statistics need stays: mode, needs, municipality, languages, dates, status,
source, referral, priority, duration, cancel reason. Each erasure adds an
``erased`` event, which is also how an erased request is recognised.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.core.tokens import new_token
from scheduler.models import Appointment
from scheduler.models import Beneficiary
from scheduler.models import Enrolment
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import RequestEvent
from scheduler.models import User
from scheduler.models import VisitReport
from scheduler.requests.triage import CLOSED_STATUSES
from scheduler.requests.triage import ActionRefused
from scheduler.requests.triage import CancelReason
from scheduler.requests.triage import record_event

ERASED = "erased"
#: Cancel reasons that are codes, not a person's own words.
CANCEL_REASON_CODES = frozenset(reason.value for reason in CancelReason)
#: Keys of an event's detail that never hold personal data; the others are dropped.
SAFE_DETAIL_KEYS = frozenset(
    {"changes", "added", "from", "to", "into", "reason", "source", "mode", "status"}
)
#: Fields whose old and new values an erased history may keep.
SAFE_CHANGED_FIELDS = frozenset(
    {
        "duration_min",
        "priority",
        "required_language",
        "required_skills",
        "municipality",
        "any_time",
        "status",
        "mode",
        "needs",
        "languages",
        "deadline",
    }
)
log = logging.getLogger(__name__)

SAFE_ADDED_FIELDS = frozenset(
    {"needs", "languages", "required_skills", "any_time", "deadline", "priority"}
)


def is_erased(session: Session, request: HelpRequest) -> bool:
    found = session.scalar(
        sa.select(RequestEvent.id)
        .where(RequestEvent.request_id == request.id, RequestEvent.kind == ERASED)
        .limit(1)
    )
    return found is not None


def erase_expired(session: Session, now: datetime) -> int:
    """Erase the personal data of every request closed more than its organisation's
    ``retention_days`` ago; return how many requests were erased.

    Does not commit: the caller (the daily job's runner, the command) does. Running
    it twice erases nothing more.
    """
    erased = 0
    for org in session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        cutoff = now - timedelta(days=org.retention_days)
        already = sa.select(RequestEvent.id).where(
            RequestEvent.request_id == HelpRequest.id, RequestEvent.kind == ERASED
        )
        expired = session.scalars(
            sa.select(HelpRequest)
            .where(
                HelpRequest.organisation_id == org.id,
                HelpRequest.status.in_(CLOSED_STATUSES),
                sa.or_(
                    HelpRequest.closed_at < cutoff,
                    # Closed by code that forgot closed_at: its last change is the closing.
                    sa.and_(HelpRequest.closed_at.is_(None), HelpRequest.updated_at < cutoff),
                ),
                ~already.exists(),
            )
            .order_by(HelpRequest.id)
        ).all()
        released = [
            _erase(session, request, user=None, now=now, reason="retention") for request in expired
        ]
        if expired:
            audit.record(
                session,
                actor=None,
                action="request.erase",
                target=f"organisation:{org.id}",
                detail={"reason": "retention", "requests": len(expired)},
                now=now,
                organisation_id=org.id,
            )
        _delete_unused(session, {b for b in released if b is not None})
        erased += len(expired)
        if expired:
            log.info(
                "erased the personal data of %d requests of organisation %d closed more "
                "than %d days ago",
                len(expired),
                org.id,
                org.retention_days,
            )
    session.flush()
    return erased


def erase_request_now(session: Session, request: HelpRequest, *, user: User, now: datetime) -> None:
    """A dispatcher erases a closed request's personal data before the period ends.

    Refuses an open request (``ActionRefused("erase_open")``) and one already
    erased (``"erase_done"``). Commits.
    """
    if request.status not in CLOSED_STATUSES:
        raise ActionRefused("erase_open")
    if is_erased(session, request):
        raise ActionRefused("erase_done")
    released = _erase(session, request, user=user, now=now, reason="request")
    _delete_unused(session, {released} if released is not None else set())
    audit.record(
        session,
        actor=user,
        action="request.erase",
        target=f"request:{request.id}",
        detail={"reason": "request"},
        now=now,
        organisation_id=request.organisation_id,
    )
    session.commit()
    log.info(
        "erased the personal data of request %d of organisation %d on request of user %d",
        request.id,
        request.organisation_id,
        user.id,
    )


def _erase(
    session: Session, request: HelpRequest, *, user: User | None, now: datetime, reason: str
) -> int | None:
    """Clear one request's personal data; return the beneficiary id it let go of."""
    released = request.beneficiary_id
    if _shown_in_calendars(request):
        _renew_calendar_events(session, request, now)
    request.beneficiary = None
    request.address = None
    request.lat = request.lon = None
    request.location_approximate = True
    request.need_details = None
    request.internal_notes = None
    # The dispatchers' reason codes are counted for funders; the words a person typed on
    # their private page when cancelling ("I am in hospital") are theirs, and go.
    if request.cancel_reason not in CANCEL_REASON_CODES:
        request.cancel_reason = None
    request.referrer_name = None
    request.availability = []
    request.any_time = False
    request.access_token_hash = new_token()[1]
    for event in request.events:
        event.detail = scrub_detail(event.detail or {})
    # A volunteer's note after a visit may name the person: it goes too; minutes and km stay.
    reports = session.scalars(
        sa.select(VisitReport)
        .join(Appointment, VisitReport.appointment_id == Appointment.id)
        .where(Appointment.request_id == request.id)
    )
    for report in reports:
        report.note = None
    record_event(session, request, ERASED, {"reason": reason}, user=user, now=now)
    return released


def _shown_in_calendars(request: HelpRequest) -> bool:
    """Whether the request's calendar events show something erasure takes away: the
    person's name, phone or notes, the address or exact position, their own words."""
    exact_place = not request.location_approximate and request.lat is not None
    return bool(request.beneficiary_id or request.address or request.need_details or exact_place)


def _renew_calendar_events(session: Session, request: HelpRequest, now: datetime) -> None:
    """Raise the SEQUENCE (and LAST-MODIFIED, DTSTAMP) of the request's appointments.

    Calendar apps replace an event they already hold only when its SEQUENCE or stamp
    went up; without it, a volunteer's phone would go on showing the erased name and
    address under the same UID.
    """
    appointments = session.scalars(
        sa.select(Appointment).where(Appointment.request_id == request.id)
    )
    for appointment in appointments:
        appointment.sequence += 1
        appointment.updated_at = now


def _delete_unused(session: Session, beneficiary_ids: Iterable[int]) -> None:
    """Delete the beneficiaries no request nor workshop enrolment refers to any more."""
    session.flush()
    for beneficiary_id in sorted(beneficiary_ids):
        still_used = session.scalar(
            sa.select(HelpRequest.id).where(HelpRequest.beneficiary_id == beneficiary_id).limit(1)
        )
        # The same person may be enrolled in a workshop, which keeps them until its own end.
        enrolled = session.scalar(
            sa.select(Enrolment.id).where(Enrolment.beneficiary_id == beneficiary_id).limit(1)
        )
        if still_used is None and enrolled is None:
            beneficiary = session.get(Beneficiary, beneficiary_id)
            if beneficiary is not None:
                session.delete(beneficiary)


def scrub_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """An event detail without anything that could identify the person.

    Unknown keys are dropped; changed fields outside the safe list keep their name
    (the history still says *what* changed) but lose their values.
    """
    scrubbed: dict[str, Any] = {}
    for key, value in detail.items():
        if key not in SAFE_DETAIL_KEYS:
            continue
        if key == "changes" and isinstance(value, dict):
            value = {
                name: change if name in SAFE_CHANGED_FIELDS else [None, None]
                for name, change in value.items()
            }
        elif key == "added" and isinstance(value, dict):
            value = {name: v for name, v in value.items() if name in SAFE_ADDED_FIELDS}
        scrubbed[key] = value
    return scrubbed
