"""Triage: what a dispatcher decides about a request, and the life of its status.

Every change is written to the request's history (:class:`RequestEvent`) with who
made it. A status only moves forward: new → triaged → planned → confirmed → done;
cancelled and no-show can be reached from any open status; closed requests
(done, cancelled, no-show) no longer change, and their ``closed_at`` starts the
retention clock.

Functions take the session, the acting user and ``now``; they commit once, and
refuse what the rules forbid with :class:`ActionRefused` (a code, never a sentence).
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import Need
from scheduler.models import Period
from scheduler.models import Priority
from scheduler.models import RequestEvent
from scheduler.models import RequestStatus
from scheduler.models import User
from scheduler.models import Weekday
from scheduler.models import utcnow

#: Shortest and longest time a dispatcher may plan for one piece of help, in minutes.
DURATION_BOUNDS_MIN = (10, 240)
NOTES_MAX = 4000
ADDRESS_MAX = 200

S = RequestStatus
#: Where each status may go next; closed statuses go nowhere.
NEXT_STATUSES: dict[RequestStatus, tuple[RequestStatus, ...]] = {
    S.NEW: (S.TRIAGED, S.CANCELLED, S.NO_SHOW),
    S.TRIAGED: (S.PLANNED, S.CANCELLED, S.NO_SHOW),
    S.PLANNED: (S.CONFIRMED, S.CANCELLED, S.NO_SHOW),
    S.CONFIRMED: (S.DONE, S.CANCELLED, S.NO_SHOW),
    S.DONE: (),
    S.CANCELLED: (),
    S.NO_SHOW: (),
}
CLOSED_STATUSES = frozenset({S.DONE, S.CANCELLED, S.NO_SHOW})


class CancelReason(enum.StrEnum):
    """Why a request was cancelled; stored in ``cancel_reason`` and counted for funders."""

    PERSON_CANCELLED = "person_cancelled"
    SOLVED_ELSEWHERE = "solved_elsewhere"
    UNREACHABLE = "unreachable"
    NO_VOLUNTEER = "no_volunteer"
    OUT_OF_TERRITORY = "out_of_territory"
    DUPLICATE = "duplicate"
    OTHER = "other"


class ActionRefused(Exception):
    """An expected refusal: ``code`` says which rule, ``field`` which input it concerns.

    Routes turn the code into a translated message beside the field.
    """

    def __init__(self, code: str, field: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


def can_become(current: RequestStatus, target: RequestStatus) -> bool:
    return target is current or target in NEXT_STATUSES[current]


def record_event(
    session: Session,
    request: HelpRequest,
    kind: str,
    detail: dict[str, Any],
    *,
    user: User | None,
    now: datetime,
) -> RequestEvent:
    event = RequestEvent(request=request, kind=kind, detail=detail, user=user, at=now)
    session.add(event)
    return event


# --- status ---------------------------------------------------------------------------


def change_status(
    session: Session,
    request: HelpRequest,
    target: RequestStatus,
    *,
    user: User | None,
    now: datetime,
    cancel_reason: str | None = None,
) -> None:
    """Move the request to ``target`` and record it; does not commit.

    Closing sets ``closed_at``. Cancelling also cancels the request's appointments
    still to come, so that volunteers' calendars drop them.
    """
    current = request.status
    if target is current:
        return
    if not can_become(current, target):
        raise ActionRefused("transition", "status", current=current, target=target)
    detail: dict[str, Any] = {"from": current.value, "to": target.value}
    if target is S.CANCELLED:
        if cancel_reason not in set(CancelReason):
            raise ActionRefused("cancel_reason", "cancel_reason")
        request.cancel_reason = cancel_reason
        detail["reason"] = cancel_reason
        _cancel_coming_appointments(session, request, now)
    request.status = target
    if target in CLOSED_STATUSES:
        request.closed_at = now
    record_event(session, request, "status", detail, user=user, now=now)


def _cancel_coming_appointments(session: Session, request: HelpRequest, now: datetime) -> None:
    coming = session.scalars(
        sa.select(Appointment).where(
            Appointment.request_id == request.id,
            Appointment.status.in_([AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED]),
            Appointment.starts_at > now,
        )
    )
    for appointment in coming:
        appointment.cancel(now)


# --- triage ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Triage:
    """What the triage form decides. ``required_language`` None means any of the person's."""

    duration_min: int
    priority: int
    required_language: str | None
    required_skills: tuple[str, ...]
    internal_notes: str | None
    status: RequestStatus
    cancel_reason: str | None = None


def hold_unchanged(session: Session, request: HelpRequest) -> bool:
    """Take the request for this save if nobody saved it since it was read; False otherwise.

    Comparing the form's version with the request read a moment ago is not enough: two
    saves of the same page (a double click, two dispatchers) both pass that comparison, then
    both write. This moves the version on only where it still is as read, in the database
    itself: the second save waits for the first one's transaction (a row lock on
    PostgreSQL, the write lock on SQLite), then finds nothing to update. Does not commit:
    the caller's changes complete the same transaction.
    """
    seen = request.updated_at
    now = utcnow()
    taken: sa.CursorResult[Any] = session.execute(  # type: ignore[assignment]
        sa.update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.updated_at == seen)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        session.rollback()
        return False
    request.updated_at = now
    return True


def triage_request(
    session: Session, request: HelpRequest, triage: Triage, *, user: User, now: datetime
) -> bool:
    """Apply a triage decision; return False when nothing changed.

    Field changes make one ``triaged`` event listing each field's old and new value
    (internal notes only say they changed: their text stays on the request); a new
    status makes a ``status`` event.
    """
    if not request.is_open:
        raise ActionRefused("closed")
    lowest, highest = DURATION_BOUNDS_MIN
    if not lowest <= triage.duration_min <= highest:
        raise ActionRefused("duration", "duration_min", lowest=lowest, highest=highest)
    if triage.priority not in set(Priority):
        raise ActionRefused("priority", "priority")
    if triage.required_language is not None and triage.required_language not in (
        request.languages or []
    ):
        raise ActionRefused("language", "required_language")
    skills = _ordered_needs(triage.required_skills)
    if len(skills) != len(set(triage.required_skills)):
        raise ActionRefused("skills", "required_skills")
    notes = (triage.internal_notes or "").strip() or None
    if notes is not None and len(notes) > NOTES_MAX:
        raise ActionRefused("notes", "internal_notes", longest=NOTES_MAX)
    if not can_become(request.status, triage.status):
        raise ActionRefused("transition", "status", current=request.status, target=triage.status)
    cancelling = triage.status is S.CANCELLED and request.status is not S.CANCELLED
    if cancelling and triage.cancel_reason not in set(CancelReason):
        raise ActionRefused("cancel_reason", "cancel_reason")

    changes: dict[str, list[Any]] = {}
    for name, value in (
        ("duration_min", triage.duration_min),
        ("priority", int(triage.priority)),
        ("required_language", triage.required_language),
        ("required_skills", skills),
    ):
        old = getattr(request, name)
        if old != value:
            changes[name] = [old, value]
            setattr(request, name, value)
    if (request.internal_notes or None) != notes:
        changes["internal_notes"] = [None, None]
        request.internal_notes = notes
    if changes:
        record_event(session, request, "triaged", {"changes": changes}, user=user, now=now)
    status_changes = triage.status is not request.status
    change_status(
        session, request, triage.status, user=user, now=now, cancel_reason=triage.cancel_reason
    )
    if not changes and not status_changes:
        return False
    session.commit()
    return True


def _ordered_needs(codes: Iterable[str]) -> list[str]:
    """Known need codes, each once, in the vocabulary's order."""
    wanted = set(codes)
    return [need.value for need in Need if need.value in wanted]


# --- place and availability -------------------------------------------------------------

PERIOD_ORDER = [p.value for p in Period]
WEEKDAY_CODES = [d.code for d in Weekday]


def slot_code(weekday: int, period: str) -> str:
    """'tue-am' for Tuesday morning."""
    return f"{Weekday(weekday).code}-{period}"


def parse_slot(code: str) -> tuple[int, str] | None:
    """(weekday, period) of a slot code, or None when it is not one."""
    day, _, period = code.partition("-")
    if day not in WEEKDAY_CODES or period not in PERIOD_ORDER:
        return None
    return WEEKDAY_CODES.index(day), period


def sort_slots(codes: Iterable[str]) -> list[str]:
    """Slot codes once each, Monday morning first; unknown codes keep their place at the end."""
    unique = list(dict.fromkeys(codes))

    def key(code: str) -> tuple[int, int]:
        parsed = parse_slot(code)
        if parsed is None:
            return (99, 99)
        return (parsed[0], PERIOD_ORDER.index(parsed[1]))

    return sorted(unique, key=key)


@dataclass(frozen=True)
class PlaceCorrection:
    municipality_id: int
    address: str | None
    availability: tuple[str, ...]
    any_time: bool


def correct_place(
    session: Session,
    request: HelpRequest,
    correction: PlaceCorrection,
    *,
    allowed_slots: Collection[str],
    user: User,
    now: datetime,
) -> bool:
    """Correct where and when the person can be helped; return False when nothing changed.

    A new municipality or address moves the request's point to the municipality's
    centre, flagged approximate, until it is geocoded again.
    """
    if not request.is_open:
        raise ActionRefused("closed")
    town = session.get(Municipality, correction.municipality_id)
    if town is None or town.organisation_id != request.organisation_id:
        raise ActionRefused("municipality", "municipality_id")
    if not town.active and town.id != request.municipality_id:
        raise ActionRefused("municipality", "municipality_id")
    address = (correction.address or "").strip() or None
    if request.mode is Mode.HOME and address is None:
        raise ActionRefused("address_missing", "address")
    if address is not None and len(address) > ADDRESS_MAX:
        raise ActionRefused("address_long", "address", longest=ADDRESS_MAX)
    if request.mode is not Mode.HOME:
        address = request.address
    known = set(allowed_slots) | set(request.availability or [])
    if any(code not in known for code in correction.availability):
        raise ActionRefused("availability", "availability")
    slots = sort_slots(correction.availability)
    if not slots and not correction.any_time:
        raise ActionRefused("availability_missing", "availability")

    changes: dict[str, list[Any]] = {}
    if town.id != request.municipality_id:
        changes["municipality"] = [request.municipality.name, town.name]
        request.municipality = town
    if address != request.address:
        changes["address"] = [request.address, address]
        request.address = address
    if slots != list(request.availability or []):
        changes["availability"] = [list(request.availability or []), slots]
        request.availability = slots
    if correction.any_time != request.any_time:
        changes["any_time"] = [request.any_time, correction.any_time]
        request.any_time = correction.any_time
    if not changes:
        return False
    if "municipality" in changes or "address" in changes:
        request.lat, request.lon = town.lat, town.lon
        request.location_approximate = True
    record_event(session, request, "corrected", {"changes": changes}, user=user, now=now)
    session.commit()
    return True
