"""Visits and drop-in duties a dispatcher placed by hand outside their volunteer's slots.

The recorded edit says so: its ``availability`` rule was overridden (it starts outside
every slot), or its ``shift_window`` rule (it starts in a slot but runs past its end, or
the drive there or back does): no slot was ever wholly under such a visit. The week's
alerts list it apart rather than flag the week, and the planning problem builds a shift
around it so that keeping the published plan keeps it; as long as no slot that was partly
under it is removed since (then it needs someone else, as any visit whose slot goes).
A duty (a seat at a drop-in) is recorded the same way, with no request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..core.weekly import covered_minutes
from ..models import Appointment
from ..models import Organisation
from ..models import Plan as PlanRow
from ..models import PlanEdit
from ..models import Volunteer
from ..planning import Pin
from ..planning import Visit
from ..planning import Window
from .shifts import ShiftBook
from .visits import is_fixed
from .weeks import week_minute

#: Rules whose override says a stop was placed outside its volunteer's slots. The checker
#: sees a stop starting outside every slot as ``availability``; one starting inside a slot
#: yet ending (or driving home) after it as ``shift_window``, which is the same agreement.
OUTSIDE_SLOTS = frozenset({"availability", "shift_window"})


@dataclass(frozen=True, slots=True)
class PlacedOutside:
    """A stop placed by hand outside its volunteer's slots, as its edit recorded it."""

    request_id: int | None
    volunteer_id: int | None
    starts: datetime
    ends: datetime | None
    #: Minutes of it that its volunteer's slots held when it was placed; None for an edit
    #: recorded before this was kept, where a ``shift_window`` override says its start was.
    covered: int | None
    rules: frozenset[str]

    @property
    def key(self) -> tuple[int | None, int | None, datetime]:
        return (self.request_id, self.volunteer_id, self.starts)

    def still_agreed(self, slots: Iterable[tuple[int, time, time]], zone: ZoneInfo) -> bool:
        """True while no slot that was under it has been removed or shortened since: the
        agreement was for a visit outside the slots as they stood, not for one the
        volunteer has since said they cannot do."""
        ends = self.ends or self.starts + timedelta(minutes=1)
        then = self.covered
        if then is None:
            then = 1 if "shift_window" in self.rules else 0
        return covered_minutes(slots, self.starts.astimezone(zone), ends.astimezone(zone)) >= then


def hand_placed_outside(
    session: Session,
    organisation_id: int,
    *,
    week: date | None = None,
    volunteer_id: int | None = None,
) -> dict[tuple[int | None, int | None, datetime], PlacedOutside]:
    """The stops a dispatcher moved or assigned by hand outside the volunteer's time slots
    in any plan (of that week, of that volunteer), by ``(request, volunteer, start)``: a
    repair draft carries the stop, not the edit."""
    query = (
        sa.select(PlanEdit)
        .join(PlanRow, PlanRow.id == PlanEdit.plan_id)
        .where(PlanRow.organisation_id == organisation_id)
        .order_by(PlanEdit.id)
    )
    if week is not None:
        query = query.where(PlanRow.week_start == week)
    if volunteer_id is not None:
        query = query.where(PlanEdit.volunteer_id == volunteer_id)
    found: dict[tuple[int | None, int | None, datetime], PlacedOutside] = {}
    for edit in session.scalars(query):
        after = (edit.detail or {}).get("after") or {}
        if OUTSIDE_SLOTS.isdisjoint(edit.rules or []) or not after.get("starts_at"):
            continue
        ends = after.get("ends_at")
        placed = PlacedOutside(
            edit.request_id,
            after.get("volunteer_id"),
            datetime.fromisoformat(after["starts_at"]),
            datetime.fromisoformat(ends) if ends else None,
            after.get("covered_min"),
            frozenset(edit.rules or []),
        )
        found[placed.key] = placed
    return found


def slots_of(volunteer: Volunteer) -> list[tuple[int, time, time]]:
    return [(w.weekday, w.starts, w.ends) for w in volunteer.availability]


def placed_outside_by_hand(
    session: Session, organisation_id: int, week: date
) -> set[tuple[int | None, int | None, datetime]]:
    """``(request, volunteer, start)`` of the stops of that week placed by hand outside
    their volunteer's slots and still agreed so (see :meth:`PlacedOutside.still_agreed`):
    one whose slot under it was removed since needs someone else, like any other."""
    found = hand_placed_outside(session, organisation_id, week=week)
    if not found:
        return set()
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None
    zone = ZoneInfo(organisation.timezone)
    ids = {p.volunteer_id for p in found.values() if p.volunteer_id is not None}
    volunteers = {
        v.id: v for v in session.scalars(sa.select(Volunteer).where(Volunteer.id.in_(ids)))
    }
    return {
        key
        for key, placed in found.items()
        if (volunteer := volunteers.get(placed.volunteer_id or 0)) is None
        or placed.still_agreed(slots_of(volunteer), zone)
    }


def around_hand_placed(
    book: ShiftBook,
    appointment: Appointment,
    visit: Visit,
    windows: tuple[Window, ...],
    week: date,
    zone: ZoneInfo,
) -> tuple[str | None, tuple[Window, ...]]:
    """The shift made around an appointment placed by hand outside its volunteer's slots,
    and the visit's windows with its agreed time among them.

    :return: no shift (and the windows unchanged) when the volunteer is away that day.
    """
    start = week_minute(week, appointment.starts_at, zone)
    length = round((appointment.ends_at - appointment.starts_at).total_seconds() / 60)
    length = max(1, length, visit.duration_min)
    shift_id = book.shift_for_pin(f"v{appointment.volunteer_id}", start, length, visit.location)
    if shift_id is None:
        return None, windows
    agreed = Window(start, start + length)
    return shift_id, tuple(sorted({*windows, agreed}, key=lambda w: (w.start, w.end)))


def kept_where_placed(
    visit: Visit, shift_id: str, appointment: Appointment, week: date, zone: ZoneInfo
) -> Visit:
    """The visit pinned where the dispatcher placed it, free of the rules a new placement
    follows (a language, a skill, a cycle's volunteer).

    They overrode those rules and were told re-planning keeps it where it is. Otherwise
    the engine drops it from the shift made for it and gives that shift, outside the
    volunteer's slots, to another visit; or, planning freely, hands it to someone who
    does not speak the person's language.
    """
    agreed = week_minute(week, appointment.starts_at, zone)
    return replace(
        visit,
        pins=(Pin(shift_id, agreed),),
        languages=frozenset(),
        skills=frozenset(),
        series_worker_id=None,
    )


def duty_shift(
    book: ShiftBook,
    duty: Appointment,
    start: int,
    length: int,
    place: int,
    by_hand: set[tuple[int | None, int | None, datetime]],
) -> str | None:
    """The shift on which a published drop-in duty keeps its seat.

    A fixed duty, or one placed by hand outside its volunteer's slots, gets a shift made
    around it (as a confirmed visit does). Any other duty stays only on a slot of its
    volunteer that still holds it: once the slot is removed the week's alerts flag it, and
    the seat is staffed again.

    :return: None when the seat is to be staffed again (or the volunteer is away that day).
    """
    worker_id = f"v{duty.volunteer_id}"
    if is_fixed(duty) or (None, duty.volunteer_id, duty.starts_at) in by_hand:
        return book.shift_for_pin(worker_id, start, length, place)
    return book.reach_published(worker_id, start, place)
