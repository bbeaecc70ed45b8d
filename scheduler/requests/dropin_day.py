"""Which day a person who asked for a drop-in should come, said on the confirmation.

The person chose a site and ticked when they are free; the site opens on set days.
The first opening from tomorrow on that falls in one of their times (any opening when
they said any time suits them) is the day to come. When none of their times meets an
opening, the site's next opening is named anyway, and the page says so: the
coordinators then call to agree on another day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import time
from datetime import timedelta

from scheduler.models import HelpRequest
from scheduler.models import Site
from scheduler.models import SiteOpening
from scheduler.requests.booking_options import BookingOptions
from scheduler.requests.booking_options import slot_code

#: How far ahead a drop-in day is looked for.
HORIZON_DAYS = 28


@dataclass(frozen=True)
class DropinDay:
    site: Site
    day: date
    starts: time
    ends: time
    #: True when the day falls in one of the times the person ticked.
    fits: bool


def _fits(opening: SiteOpening, free: set[str], options: BookingOptions) -> bool:
    for period, start, end in options.periods:
        if (
            slot_code(opening.weekday, period) in free
            and opening.starts < end
            and start < opening.ends
        ):
            return True
    return False


def first_dropin_day(
    request: HelpRequest, options: BookingOptions, today: date
) -> DropinDay | None:
    """The day to come to the request's drop-in site, or None (no site, no opening)."""
    site = request.site
    if site is None or not site.openings:
        return None
    free = set(request.availability or [])
    first: DropinDay | None = None
    for offset in range(1, HORIZON_DAYS + 1):
        day = today + timedelta(days=offset)
        for opening in sorted(site.openings, key=lambda o: o.starts):
            if opening.weekday != day.weekday():
                continue
            fits = request.any_time or _fits(opening, free, options)
            found = DropinDay(site, day, opening.starts, opening.ends, fits)
            if fits:
                return found
            first = first or found
    return first
