"""Visitors who come to a drop-in: a time at one of their site's openings, once it is staffed.

The router places volunteers; people who asked to come to a drop-in need no route, only a
seat. After solving, each is booked, most urgent first, at the earliest opening of their
site (any site when they did not choose one) that falls in their free times, has a
volunteer planned, and has room. Room is ``visitors_per_hour`` (else the site's
workstations, else its volunteers) for each hour of the opening; visitors get the first
hour with room, so arrivals are spread over the session.
"""

from __future__ import annotations

from ..planning import Plan
from .built import Booking
from .built import Built
from .built import LeftOut
from .built import Opening


class DropInReason:
    """Why a visitor could not be booked."""

    NO_OPENING = "dropin_no_opening"
    """No opening of the site falls in the person's free times this week. ``site_id``."""
    UNSTAFFED = "dropin_unstaffed"
    """Openings fit, but no volunteer could be planned there. ``site_id``."""
    FULL = "dropin_full"
    """Openings fit and are staffed, but every place is taken. ``site_id``."""


def book_visitors(built: Built, plan: Plan) -> tuple[list[Booking], list[LeftOut]]:
    """Bookings for the week's drop-in visitors, and the visitors left out with a reason."""
    staffed = {s.visit_id for r in plan.routes for s in r.stops}
    taken: dict[str, int] = {o.visit_id: 0 for o in built.openings}
    bookings: list[Booking] = []
    left: list[LeftOut] = []
    for visitor in built.visitors:
        if visitor.fixed_start is not None and visitor.fixed_site_id is not None:
            opening = _opening_at(built.openings, visitor.fixed_site_id, visitor.fixed_start)
            if opening is not None:
                taken[opening.visit_id] += 1
            end = visitor.fixed_start + visitor.duration_min
            bookings.append(
                Booking(visitor.request_id, visitor.fixed_site_id, visitor.fixed_start, end, True)
            )
    waiting = [v for v in built.visitors if v.fixed_start is None]
    for visitor in sorted(waiting, key=lambda v: (-v.urgency, v.request_id)):
        fitting = [
            o
            for o in built.openings
            if (visitor.site_id is None or o.site_id == visitor.site_id)
            and any(w.start <= o.start and o.start < w.end for w in visitor.windows)
        ]
        detail: dict[str, object] = {"site_id": visitor.site_id}
        if not fitting:
            left.append(LeftOut(visitor.request_id, DropInReason.NO_OPENING, detail))
            continue
        open_ones = [o for o in fitting if o.visit_id in staffed]
        if not open_ones:
            left.append(LeftOut(visitor.request_id, DropInReason.UNSTAFFED, detail))
            continue
        room = [o for o in open_ones if taken[o.visit_id] < o.capacity]
        if not room:
            left.append(LeftOut(visitor.request_id, DropInReason.FULL, detail))
            continue
        opening = min(room, key=lambda o: (o.start, o.site_id))
        hour = taken[opening.visit_id] // opening.per_hour
        start = min(opening.start + 60 * hour, opening.end - 1)
        end = min(start + visitor.duration_min, opening.end)
        taken[opening.visit_id] += 1
        bookings.append(Booking(visitor.request_id, opening.site_id, start, max(end, start + 1)))
    return bookings, left


def _opening_at(openings: tuple[Opening, ...], site_id: int, minute: int) -> Opening | None:
    return next(
        (o for o in openings if o.site_id == site_id and o.start <= minute < o.end),
        None,
    )
