"""Visits and drop-in duties a dispatcher placed by hand outside their volunteer's slots.

The recorded edit says so: its ``availability`` rule was overridden (it starts outside
every slot), or its ``shift_window`` rule (it starts in a slot but runs past its end, or
the drive there or back does): no slot was ever wholly under such a visit. The week's
alerts list it apart rather than flag the week, and the planning problem builds a shift
around it so that keeping the published plan keeps it.
A duty (a seat at a drop-in) is recorded the same way, with no request.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Appointment
from ..models import Plan as PlanRow
from ..models import PlanEdit
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


def placed_outside_by_hand(
    session: Session, organisation_id: int, week: date
) -> set[tuple[int | None, int | None, datetime]]:
    """``(request, volunteer, start)`` of the stops a dispatcher moved or assigned by hand
    outside the volunteer's time slots in any plan of that week (a repair draft carries the
    stop, not the edit)."""
    edits = session.scalars(
        sa.select(PlanEdit)
        .join(PlanRow, PlanRow.id == PlanEdit.plan_id)
        .where(PlanRow.organisation_id == organisation_id, PlanRow.week_start == week)
    )
    found: set[tuple[int | None, int | None, datetime]] = set()
    for edit in edits:
        after = (edit.detail or {}).get("after") or {}
        if OUTSIDE_SLOTS.isdisjoint(edit.rules or []) or not after.get("starts_at"):
            continue
        starts = datetime.fromisoformat(after["starts_at"])
        found.add((edit.request_id, after.get("volunteer_id"), starts))
    return found


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
