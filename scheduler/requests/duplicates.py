"""Duplicate requests: finding them and merging two into one.

People call twice, a partner fills the form for someone who also booked online.
A likely duplicate is another open request of the same organisation with the same
phone number, or with the same first name in the same municipality and created
within 30 days. Requests of one cycle (a series) are never duplicates of each other.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import RequestStatus
from scheduler.models import User
from scheduler.models.enums import OPEN_STATUSES
from scheduler.requests.triage import ActionRefused
from scheduler.requests.triage import CancelReason
from scheduler.requests.triage import change_status
from scheduler.requests.triage import record_event
from scheduler.requests.triage import sort_slots

SAME_NAME_WINDOW = timedelta(days=30)
NEED_DETAILS_MAX = 1000
NOTES_MAX = 4000


class DuplicateSign(enum.StrEnum):
    """Why two requests look like the same person's."""

    SAME_PHONE = "same_phone"
    SAME_NAME_AND_PLACE = "same_name_and_place"


@dataclass(frozen=True)
class LikelyDuplicate:
    request: HelpRequest
    signs: tuple[DuplicateSign, ...]


def fold_name(name: str | None) -> str:
    """A first name compared without case, accents or spacing: 'Hélène ' ~ 'helene'."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def likely_duplicates(session: Session, request: HelpRequest) -> list[LikelyDuplicate]:
    """Other open requests that may be the same person's, oldest first; empty when closed."""
    if not request.is_open:
        return []
    person = request.beneficiary
    phone = person.phone if person is not None else None
    near = sa.and_(
        HelpRequest.municipality_id == request.municipality_id,
        HelpRequest.created_at >= request.created_at - SAME_NAME_WINDOW,
        HelpRequest.created_at <= request.created_at + SAME_NAME_WINDOW,
    )
    either = sa.or_(near, Beneficiary.phone == phone) if phone else near
    stmt = (
        sa.select(HelpRequest)
        .outerjoin(HelpRequest.beneficiary)
        .where(
            HelpRequest.organisation_id == request.organisation_id,
            HelpRequest.id != request.id,
            HelpRequest.status.in_(OPEN_STATUSES),
            either,
        )
        .options(selectinload(HelpRequest.beneficiary), selectinload(HelpRequest.municipality))
        .order_by(HelpRequest.created_at, HelpRequest.id)
    )
    name = fold_name(person.first_name if person is not None else None)
    found = []
    for other in session.scalars(stmt):
        if request.series_id is not None and other.series_id == request.series_id:
            continue
        signs = []
        other_person = other.beneficiary
        if phone and other_person is not None and other_person.phone == phone:
            signs.append(DuplicateSign.SAME_PHONE)
        if (
            name
            and other_person is not None
            and fold_name(other_person.first_name) == name
            and other.municipality_id == request.municipality_id
            and abs(other.created_at - request.created_at) <= SAME_NAME_WINDOW
        ):
            signs.append(DuplicateSign.SAME_NAME_AND_PLACE)
        if signs:
            found.append(LikelyDuplicate(other, tuple(signs)))
    return found


def has_confirmed_appointment(session: Session, request: HelpRequest) -> bool:
    if request.status is RequestStatus.CONFIRMED:
        return True
    found = session.scalar(
        sa.select(Appointment.id)
        .where(
            Appointment.request_id == request.id,
            Appointment.status == AppointmentStatus.CONFIRMED,
        )
        .limit(1)
    )
    return found is not None


def check_pair(one: HelpRequest, other: HelpRequest) -> None:
    """Refuse a pair that can be merged neither way (:class:`ActionRefused`)."""
    if one.id == other.id:
        raise ActionRefused("merge_same")
    if one.organisation_id != other.organisation_id:
        raise ActionRefused("merge_other_organisation")
    if not one.is_open or not other.is_open:
        raise ActionRefused("merge_closed")
    if one.series_id is not None and one.series_id == other.series_id:
        raise ActionRefused("merge_series")


def check_merge(session: Session, keep: HelpRequest, duplicate: HelpRequest) -> None:
    """Refuse a merge the rules forbid (:class:`ActionRefused`); return quietly otherwise.

    The request cancelled must not hold a confirmed appointment: that promise stays.
    """
    check_pair(keep, duplicate)
    if has_confirmed_appointment(session, duplicate):
        raise ActionRefused("merge_confirmed", reference=duplicate.reference)


def _hold_pair(session: Session, *requests: HelpRequest) -> None:
    """Hold both requests until the merge is saved, then read them again.

    Two dispatchers merging the pair each way at once both found both requests open; both
    merges went through and the person's request was lost (each cancelled, each « merged
    into » the other). Rows are locked in id order on PostgreSQL; SQLite ignores FOR UPDATE,
    so a write there takes its single write lock. The second merge then finds its request
    closed and is refused.
    """
    ids = sorted(r.id for r in requests)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.select(HelpRequest.id)
            .where(HelpRequest.id.in_(ids))
            .order_by(HelpRequest.id)
            .with_for_update()
        )
    else:
        session.execute(
            sa.update(HelpRequest)
            .where(HelpRequest.id.in_(ids))
            .values(status=HelpRequest.status)
            .execution_options(synchronize_session=False)
        )
    for request in requests:
        session.refresh(request)


def merge_requests(
    session: Session, keep: HelpRequest, duplicate: HelpRequest, *, user: User, now: datetime
) -> None:
    """Fold ``duplicate`` into ``keep``, then cancel it as a duplicate.

    The kept request gains the duplicate's needs, languages, required skills and
    availability, the earlier deadline and the higher priority; the duplicate's
    description and internal notes (and the person's other phone number, when the
    two requests name two records) are appended to its own; the kept person's
    record gains the e-mail and accessibility notes it lacked. Both histories say so.
    """
    _hold_pair(session, keep, duplicate)
    check_merge(session, keep, duplicate)
    added: dict[str, Any] = {}
    for name in ("needs", "languages", "required_skills", "availability"):
        mine = list(getattr(keep, name) or [])
        new = [code for code in getattr(duplicate, name) or [] if code not in mine]
        if new:
            merged = mine + new
            setattr(keep, name, sort_slots(merged) if name == "availability" else merged)
            added[name] = new
    if duplicate.any_time and not keep.any_time:
        keep.any_time = True
        added["any_time"] = True
    if duplicate.deadline is not None and (
        keep.deadline is None or duplicate.deadline < keep.deadline
    ):
        added["deadline"] = duplicate.deadline.isoformat()
        keep.deadline = duplicate.deadline
    if duplicate.priority > keep.priority:
        added["priority"] = duplicate.priority
        keep.priority = duplicate.priority
    keep.need_details = _appended(
        keep.need_details, duplicate.need_details, duplicate.reference, NEED_DETAILS_MAX
    )
    their_notes = [duplicate.internal_notes or ""]
    kept, other = keep.beneficiary, duplicate.beneficiary
    if kept is None:
        keep.beneficiary = other
    elif other is not None and other.id != kept.id:
        # Two records of one person: what the kept one lacks is copied, a second
        # phone number goes in the notes rather than being lost.
        kept.email = kept.email or other.email
        kept.accessibility_notes = kept.accessibility_notes or other.accessibility_notes
        if other.phone and other.phone != kept.phone:
            their_notes.append(other.phone)
    keep.internal_notes = _appended(
        keep.internal_notes,
        "\n".join(n.strip() for n in their_notes if n.strip()),
        duplicate.reference,
        NOTES_MAX,
    )

    duplicate.merged_into = keep
    change_status(
        session,
        duplicate,
        RequestStatus.CANCELLED,
        user=user,
        now=now,
        cancel_reason=CancelReason.DUPLICATE,
    )
    record_event(session, duplicate, "merged", {"into": keep.reference}, user=user, now=now)
    record_event(
        session, keep, "merged", {"from": duplicate.reference, "added": added}, user=user, now=now
    )
    session.commit()


def _appended(mine: str | None, theirs: str | None, reference: str, longest: int) -> str | None:
    """``mine`` followed by ``theirs`` under the duplicate's reference, cut to fit the column."""
    if not theirs or not theirs.strip() or (mine and theirs.strip() in mine):
        return mine
    text = f"{mine}\n\n{reference}: {theirs.strip()}" if mine else f"{reference}: {theirs.strip()}"
    return text if len(text) <= longest else text[: longest - 1] + "…"
