"""What the seam builds for one week: the planning problem and the way back to the database.

Plain data shared by the builder (``problem``), the drop-in booking (``dropin``) and the
store (``store``): no queries and no solving here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import time
from zoneinfo import ZoneInfo

from ..models import Mode
from ..planning import Problem
from ..planning import Window

#: The availability grid's periods: code, local start and end ("am", 9:00, 12:00).
Periods = tuple[tuple[str, time, time], ...]


class SeamReason:
    """Reasons found before solving, beside the engine's :class:`~scheduler.planning.Reason`."""

    NO_TIME_THIS_WEEK = "no_time_this_week"
    """None of the person's free times is left in this week. ``slots`` (their grid codes)."""
    VOLUNTEER_ABSENT = "volunteer_absent"
    """A confirmed appointment falls on a day its volunteer is away. ``volunteer_id``."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a planning visit comes from: a request, or a site's drop-in opening."""

    mode: Mode
    request_id: int | None = None
    site_id: int | None = None
    opening_id: int | None = None


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A request (or a duty) kept out of the problem, with a :class:`SeamReason` code."""

    request_id: int | None
    reason: str
    detail: dict[str, object]


@dataclass(frozen=True, slots=True)
class Opening:
    """A drop-in session of the week: its planning visit id, site, time and room."""

    visit_id: str
    site_id: int
    start: int
    end: int
    per_hour: int

    @property
    def capacity(self) -> int:
        return self.per_hour * max(1, math.ceil((self.end - self.start) / 60))


@dataclass(frozen=True, slots=True)
class Visitor:
    """A drop-in request to book. ``fixed_start`` is a confirmed booking's time."""

    request_id: int
    site_id: int | None
    windows: tuple[Window, ...]
    duration_min: int
    urgency: int
    fixed_start: int | None = None
    fixed_site_id: int | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    """A visitor's time at a site, on the week axis."""

    request_id: int
    site_id: int
    start: int
    end: int
    pinned: bool = False


@dataclass(frozen=True)
class Built:
    """A problem and the way back from its string ids to database rows."""

    problem: Problem
    organisation_id: int
    week_start: date
    timezone: str
    #: Visit id → what it stands for.
    sources: dict[str, Source]
    #: Worker id and shift id → volunteer id.
    volunteers: dict[str, int]
    #: (visit id, seat) → the appointment that already holds that seat (pinned or movable).
    appointments: dict[tuple[str, int], int]
    left_out: tuple[LeftOut, ...] = ()
    #: Pinned seats: (visit id, seat).
    pinned: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    #: Drop-in sessions of the week, and the people who asked to come to one.
    openings: tuple[Opening, ...] = ()
    visitors: tuple[Visitor, ...] = ()
    #: Confirmed appointments whose volunteer is away that day, offered to others at the
    #: same time: visit id → the absent volunteer's id.
    reassigned: dict[str, int] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def request_count(self) -> int:
        """Requests of the week: those in the problem and those left out before solving."""
        in_problem = {s.request_id for s in self.sources.values() if s.request_id is not None}
        visitors = {v.request_id for v in self.visitors}
        return len(in_problem | visitors | {x.request_id for x in self.left_out if x.request_id})
