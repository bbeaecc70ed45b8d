"""What a hand edit does that the engine's checker cannot see: a stop outside every shift,
and two stops of one volunteer at the same time (see :mod:`scheduler.dispatch.edits`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import Appointment
from ..models import Organisation
from ..models import Plan as PlanRow
from ..models import PlannedVisit
from ..planning import Violation
from .locks import locked_days
from .locks import locked_stops
from .replay import Replayed
from .visits import is_fixed


def stray_rules(replayed: Replayed) -> set[tuple[str, str]]:
    """Stops the checker cannot even see: outside every shift, or not plannable."""
    out = set()
    for row in replayed.strays:
        out.add(("availability", f"{what_stop(row)} is outside v{row.volunteer_id}'s availability"))
    return out


def overlaps(rows: list[PlannedVisit]) -> set[tuple[str, str]]:
    """Two stops of one volunteer at the same time. The checker only sees this between
    stops of one shift (as ``overlap``): a stop placed outside every slot is on no
    shift, so without this its overlap went unsaid, and a repair after publication kept
    the stop placed by hand and took the other away (its person told it was cancelled)."""
    out = set()
    by_volunteer: dict[int, list[PlannedVisit]] = {}
    for row in rows:
        if row.volunteer_id is not None:
            by_volunteer.setdefault(row.volunteer_id, []).append(row)
    for volunteer_id, stops in by_volunteer.items():
        stops.sort(key=lambda r: (r.starts_at, r.ends_at))
        for k, first in enumerate(stops):
            for then in stops[k + 1 :]:
                if then.starts_at >= first.ends_at:
                    break
                pair = " and ".join(sorted((what_stop(first), what_stop(then))))
                out.add(("overlap", f"{pair} overlap in v{volunteer_id}'s day"))
    return out


def overlapped_by(
    rows: list[PlannedVisit], edited: PlannedVisit, broken: tuple[Violation, ...]
) -> tuple[int, ...]:
    """The other stops of the edited stop's volunteer that it runs into, by start: the
    ``overlap`` rule alone does not say which visit the dispatcher is about to push aside."""
    if not any(v.rule == "overlap" for v in broken):
        return ()
    hit = [
        row
        for row in rows
        if row.id != edited.id
        and row.volunteer_id == edited.volunteer_id
        and row.starts_at < edited.ends_at
        and edited.starts_at < row.ends_at
    ]
    return tuple(row.id for row in sorted(hit, key=lambda r: (r.starts_at, r.id)))


def what_stop(row: PlannedVisit) -> str:
    return f"r{row.request_id}" if row.request_id else f"site {row.site_id}"


def held_in_place(session: Session, plan: PlanRow, ids: tuple[int, ...]) -> set[int]:
    """The stops among ``ids`` that re-planning keeps where they are, as it keeps the one
    placed by hand: confirmed (or pinned) appointments, and stops locked one by one or
    with their volunteer's whole day. When the edit runs into one of them, re-planning
    cannot place either again, and keeps only one (see :mod:`scheduler.dispatch.edits`)."""
    if not ids:
        return set()
    organisation = session.get(Organisation, plan.organisation_id)
    assert organisation is not None
    zone = ZoneInfo(organisation.timezone)
    stops, days = locked_stops(session, plan), locked_days(session, plan)
    held = set()
    for row in plan.visits:
        if row.id not in ids:
            continue
        appointment = session.get(Appointment, row.appointment_id) if row.appointment_id else None
        day = (row.volunteer_id, row.starts_at.astimezone(zone).date())
        if row.id in stops or day in days or (appointment is not None and is_fixed(appointment)):
            held.add(row.id)
    return held
