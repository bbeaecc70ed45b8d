"""What a draft changes in the published plan, visit by visit, and whom to tell.

Both stored plans are read as engine plans whose "shifts" are volunteer-days (and each
site, for people booked at a drop-in), then compared with the engine's
:func:`~scheduler.planning.diff_plans`: a visit is new, moved (another volunteer or day),
re-timed (same volunteer-day, another time), dropped (with the reason the draft gives, or
because the request was cancelled) or unchanged. Every published visit is in one of these,
so none disappears unseen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import HelpRequest
from ..models import Plan as PlanRow
from ..models import PlannedVisit
from ..models import RequestStatus
from ..models import Site
from ..models import Volunteer
from ..planning import ChangeKind
from ..planning import Plan
from ..planning import Route
from ..planning import Stats
from ..planning import Stop
from ..planning import diff_plans
from .weeks import week_minute

#: Reason code of a visit dropped because its request was cancelled.
CANCELLED = "cancelled"
#: Reason code of a visit the draft neither places nor explains (closed meanwhile).
NOT_PLANNED = "not_planned"


@dataclass(frozen=True, slots=True)
class Where:
    """One side of a change: who, when (local times)."""

    volunteer: Volunteer | None
    starts: datetime
    ends: datetime


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One visit (or one seat of a drop-in duty) in the published plan and the draft."""

    kind: ChangeKind
    request: HelpRequest | None
    site: Site | None
    before: Where | None
    after: Where | None
    #: For a dropped visit: a reason code of the engine or the seam, ``cancelled`` or
    #: ``not_planned``, with its parameters.
    reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def when(self) -> datetime:
        """When it was (or, for a new visit, will be): the list's order."""
        side = self.before or self.after
        assert side is not None
        return side.starts


@dataclass
class Contact:
    """Someone whose appointment changed: a beneficiary or a volunteer."""

    role: str
    name: str
    phone: str | None
    reference: str | None
    kinds: set[ChangeKind] = field(default_factory=set)


@dataclass(frozen=True)
class WeekChanges:
    """The draft against the published plan."""

    changed: list[ChangeLine]
    unchanged: list[ChangeLine]
    contacts: list[Contact]

    def count(self, kind: ChangeKind | str) -> int:
        """How many visits changed this way (``kind`` may be the code, for templates)."""
        kind = ChangeKind(kind)
        if kind is ChangeKind.UNCHANGED:
            return len(self.unchanged)
        return sum(1 for line in self.changed if line.kind is kind)


_ORDER = {
    ChangeKind.REMOVED: 0,
    ChangeKind.MOVED: 1,
    ChangeKind.RETIMED: 2,
    ChangeKind.ADDED: 3,
    ChangeKind.UNCHANGED: 4,
}


def _key(row: PlannedVisit) -> str:
    if row.request_id is not None:
        return f"r{row.request_id}"
    return f"s{row.site_id}@{row.starts_at.isoformat()}"


def _shift(row: PlannedVisit, zone: ZoneInfo) -> str:
    if row.volunteer_id is None:
        return f"site{row.site_id}"
    return f"{row.volunteer_id}|{row.starts_at.astimezone(zone).date().isoformat()}"


def _as_plan(
    rows: list[PlannedVisit], monday: date, zone: ZoneInfo
) -> tuple[Plan, dict[tuple[str, str, int], PlannedVisit]]:
    """The rows as an engine plan with volunteer-days for shifts, and the way back."""
    seats: dict[str, int] = defaultdict(int)
    by_shift: dict[str, list[Stop]] = defaultdict(list)
    back: dict[tuple[str, str, int], PlannedVisit] = {}
    for row in sorted(rows, key=lambda r: (r.starts_at, r.volunteer_id or 0, r.id or 0)):
        key, shift = _key(row), _shift(row, zone)
        start = week_minute(monday, row.starts_at, zone)
        seat = seats[key]
        seats[key] += 1
        by_shift[shift].append(Stop(key, start, week_minute(monday, row.ends_at, zone), seat))
        back[(key, shift, start)] = row
    routes = tuple(Route(s, s, 0, 0, tuple(stops), 0, 0, 0) for s, stops in by_shift.items())
    stats = Stats(0, 0, 0, 0, 0, 0, 0, 0, {}, "stored")
    return Plan(routes, (), stats), back


def week_changes(
    session: Session, published: PlanRow, draft: PlanRow, zone: ZoneInfo
) -> WeekChanges:
    """Every published visit and every draft visit, compared (see the module's docstring)."""
    monday = draft.week_start
    before, old_rows = _as_plan(list(published.visits), monday, zone)
    after, new_rows = _as_plan(list(draft.visits), monday, zone)
    diff = diff_plans(before, after)
    rows = [*published.visits, *draft.visits]
    requests = _by_id(session, HelpRequest, {r.request_id for r in rows})
    sites = _by_id(session, Site, {r.site_id for r in rows})
    volunteers = _by_id(session, Volunteer, {r.volunteer_id for r in rows})
    why = {u.request_id: u for u in draft.unassigned if u.request_id is not None}

    def where(side: tuple[str, int] | None, visit_id: str, rows_of: Any) -> Where | None:
        if side is None:
            return None
        row = rows_of[(visit_id, side[0], side[1])]
        volunteer = volunteers.get(row.volunteer_id) if row.volunteer_id else None
        return Where(volunteer, row.starts_at.astimezone(zone), row.ends_at.astimezone(zone))

    lines = []
    for change in (*diff.changes, *diff.unchanged):
        old = where(change.before, change.visit_id, old_rows)
        new = where(change.after, change.visit_id, new_rows)
        sample = old_rows.get((change.visit_id, *change.before)) if change.before else None
        sample = sample or (
            new_rows.get((change.visit_id, *change.after)) if change.after else None
        )
        assert sample is not None
        request = requests.get(sample.request_id) if sample.request_id else None
        reason, detail = None, {}
        if change.kind is ChangeKind.REMOVED:
            if request is not None and request.status is RequestStatus.CANCELLED:
                reason = CANCELLED
            elif request is not None and request.id in why:
                reason, detail = why[request.id].reason, dict(why[request.id].detail or {})
            elif request is None:
                reason, detail = _duty_reason(draft, sample)
            else:
                reason = NOT_PLANNED
        lines.append(
            ChangeLine(
                change.kind,
                request,
                sites.get(sample.site_id) if sample.site_id else None,
                old,
                new,
                reason,
                detail,
            )
        )
    lines.sort(key=lambda x: (_ORDER[x.kind], x.when))
    changed = [x for x in lines if x.kind is not ChangeKind.UNCHANGED]
    unchanged = [x for x in lines if x.kind is ChangeKind.UNCHANGED]
    return WeekChanges(changed, unchanged, _contacts(changed))


def _duty_reason(draft: PlanRow, row: PlannedVisit) -> tuple[str | None, dict[str, Any]]:
    for missing in draft.unassigned:
        detail = dict(missing.detail or {})
        if missing.request_id is None and detail.get("site_id") == row.site_id:
            starts = detail.get("starts_at")
            if isinstance(starts, str) and datetime.fromisoformat(starts) == row.starts_at:
                return missing.reason, detail
    return NOT_PLANNED, {}


def _contacts(changed: list[ChangeLine]) -> list[Contact]:
    """Beneficiaries and volunteers whose appointment moved, changed time or was dropped."""
    people: dict[tuple[str, int], Contact] = {}
    for line in changed:
        if line.kind is ChangeKind.ADDED:
            continue
        request = line.request
        if request is not None and request.beneficiary is not None and line.reason != CANCELLED:
            person = request.beneficiary
            contact = people.setdefault(
                ("beneficiary", person.id),
                Contact("beneficiary", person.first_name, person.phone, request.reference),
            )
            contact.kinds.add(line.kind)
        for side in (line.before, line.after):
            volunteer = side.volunteer if side is not None else None
            if volunteer is None:
                continue
            contact = people.setdefault(
                ("volunteer", volunteer.id),
                Contact("volunteer", volunteer.full_name, volunteer.phone, None),
            )
            contact.kinds.add(line.kind)
    return sorted(people.values(), key=lambda c: (c.role != "beneficiary", c.name.casefold()))


def _by_id(session: Session, model: Any, ids: set[int | None]) -> dict[int, Any]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row for row in session.scalars(sa.select(model).where(model.id.in_(wanted)))}
