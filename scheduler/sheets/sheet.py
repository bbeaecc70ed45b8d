"""Route sheets: a volunteer's day on paper, what to take along when the phone is off.

For each stop, in order: when to leave, the time, who (reference, first name), where,
how to reach them, which languages, what they asked for in their own words and what
the volunteer should know on arriving; then the calls of the day. Plain data: the
template says it in the reader's language, and :mod:`.pdf` lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from ..maps.days import Day
from ..maps.days import Stop
from ..models import Mode
from ..models import Volunteer


@dataclass(frozen=True)
class SheetStop:
    """One line of the sheet."""

    #: Place in the day's visiting order, from 1; calls are not numbered.
    number: int | None
    kind: Mode
    starts: datetime
    ends: datetime
    #: When to leave the previous place (home or the stop before).
    leave_by: datetime | None
    reference: str | None
    first_name: str
    address: str | None
    place: str
    phone: str | None
    languages: tuple[str, ...]
    needs: tuple[str, ...]
    #: What the person wrote, as they wrote it.
    in_their_words: str | None
    accessibility: str | None
    travel_min: int
    travel_km: float
    #: Only the municipality's centre is known.
    approximate: bool
    request_id: int | None
    appointment_id: int | None


@dataclass
class Sheet:
    """One volunteer's day."""

    volunteer: Volunteer
    day: date
    stops: list[SheetStop] = field(default_factory=list)
    calls: list[SheetStop] = field(default_factory=list)
    #: The whole day's km and minutes on the road, the way home included, when known.
    totals: dict[str, float] = field(default_factory=dict)

    @property
    def volunteer_name(self) -> str:
        """First name and initial: enough on paper, less if the sheet is lost."""
        initial = self.volunteer.last_name[:1]
        return (
            f"{self.volunteer.first_name} {initial}.".strip()
            if initial
            else self.volunteer.first_name
        )

    @property
    def leave_at(self) -> datetime | None:
        """When to leave home for the first place of the day."""
        return self.stops[0].leave_by if self.stops else None

    @property
    def km(self) -> float:
        if "km" in self.totals:
            return float(self.totals["km"])
        return round(sum(s.travel_km for s in self.stops), 1)

    @property
    def road_min(self) -> int:
        if "road_min" in self.totals:
            return int(self.totals["road_min"])
        return sum(s.travel_min for s in self.stops)

    @property
    def way_home_included(self) -> bool:
        return "km" in self.totals

    @property
    def help_min(self) -> int:
        """Minutes of help given: visits, drop-in duties and calls."""
        return sum(
            int((s.ends - s.starts).total_seconds() // 60) for s in (*self.stops, *self.calls)
        )


def sheets_for(days: list[Day], totals: dict[str, Any] | None = None) -> list[Sheet]:
    """One sheet per day, in the days' order.

    :param totals: a plan's ``stats["days"]`` (``"<volunteer id>/<iso date>"`` → km and
        road minutes, the way home included), when the days come from a plan.
    """
    sheets = []
    for day in days:
        key = f"{day.volunteer.id}/{day.day.isoformat()}"
        sheet = Sheet(day.volunteer, day.day, totals=dict((totals or {}).get(key) or {}))
        number = 0
        for stop in day.stops:
            if stop.travels:
                number += 1
                sheet.stops.append(_line(stop, number))
            else:
                sheet.calls.append(_line(stop, None))
        sheets.append(sheet)
    return sheets


def _line(stop: Stop, number: int | None) -> SheetStop:
    request = stop.request
    person = request.beneficiary if request is not None else None
    site = stop.site
    if request is not None and stop.kind is Mode.HOME:
        address, place = request.address, request.municipality.name
        approximate = bool(request.location_approximate) or request.lat is None
    elif site is not None:
        address, place, approximate = site.address, site.name, False
    else:
        address = None
        place = request.municipality.name if request is not None else ""
        approximate = False
    travels = stop.travels
    return SheetStop(
        number=number,
        kind=stop.kind,
        starts=stop.starts,
        ends=stop.ends,
        leave_by=stop.starts - timedelta(minutes=stop.travel_min) if travels else None,
        reference=request.reference if request is not None else None,
        first_name=person.first_name if person is not None else "",
        address=address,
        place=place,
        phone=person.phone if person is not None else None,
        languages=tuple(request.languages or ()) if request is not None else (),
        needs=tuple(request.needs or ()) if request is not None else (),
        in_their_words=request.need_details if request is not None else None,
        accessibility=(
            person.accessibility_notes
            if person is not None
            else (site.access_notes if site is not None else None)
        ),
        travel_min=stop.travel_min,
        travel_km=stop.travel_km,
        approximate=approximate,
        request_id=request.id if request is not None else None,
        appointment_id=stop.appointment.id if stop.appointment is not None else None,
    )
