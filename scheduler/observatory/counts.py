"""The dashboard's counts, grouped by the database: a year of an association's requests
comes back as a few hundred groups instead of tens of thousands of rows.

The outcome of a request (:func:`.figures.outcome`) is written here as one SQL ``CASE``
that SQLite and PostgreSQL read alike; needs and languages, stored as JSON lists, are
grouped on their text and split in Python. The exports keep reading one row per request
(:mod:`.rows`), and the tests check that both ways give the same figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import PartnerOrganisation
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import PlanUnassigned
from scheduler.models import RequestStatus

from . import figures
from .rows import _request_filter
from .rows import zone_of
from .scope import Scope


@dataclass(frozen=True, slots=True)
class Group:
    """Requests sharing municipality, mode, needs, languages and outcome."""

    municipality_id: int
    municipality: str
    mode: str
    needs: tuple[str, ...]
    languages: tuple[str, ...]
    outcome: str
    requests: int


def _left_out_ids(organisation: Organisation) -> Any:
    """The requests some published plan left out, once each: joined, not probed row by row
    (``plan_unassigned`` has no index on the request)."""
    return (
        sa.select(PlanUnassigned.request_id.label("request_id"))
        .join(Plan, Plan.id == PlanUnassigned.plan_id)
        .where(
            Plan.organisation_id == organisation.id,
            Plan.status == PlanStatus.PUBLISHED,
            PlanUnassigned.request_id.is_not(None),
        )
        .distinct()
        .subquery("left_out")
    )


def _outcome(left_out: Any) -> Any:
    S = RequestStatus
    return sa.case(
        (HelpRequest.status == S.CANCELLED, "cancelled"),
        (HelpRequest.status == S.NO_SHOW, "no_show"),
        (HelpRequest.status.in_([S.PLANNED, S.CONFIRMED, S.DONE]), "served"),
        (left_out.c.request_id.is_not(None), "left_out"),
        else_="waiting",
    )


def _codes(text: Any) -> tuple[str, ...]:
    """A JSON list as stored (text on SQLite, already a list on some drivers)."""
    if text is None:
        return ()
    values = json.loads(text) if isinstance(text, str) else text
    return tuple(str(v) for v in values or ())


def groups(session: Session, organisation: Organisation, scope: Scope) -> list[Group]:
    left_out = _left_out_ids(organisation)
    outcome = _outcome(left_out).label("outcome")
    needs = sa.cast(HelpRequest.needs, sa.Text).label("needs")
    languages = sa.cast(HelpRequest.languages, sa.Text).label("languages")
    query = (
        sa.select(
            HelpRequest.municipality_id,
            Municipality.name,
            HelpRequest.mode,
            needs,
            languages,
            outcome,
            sa.func.count(HelpRequest.id),
        )
        .join(Municipality, Municipality.id == HelpRequest.municipality_id)
        .outerjoin(left_out, left_out.c.request_id == HelpRequest.id)
        .where(*_request_filter(organisation, scope))
        .group_by(
            HelpRequest.municipality_id,
            Municipality.name,
            HelpRequest.mode,
            needs,
            languages,
            outcome,
        )
    )
    return [
        Group(town_id, town, str(getattr(mode, "value", mode)), _codes(n), _codes(lang), out, count)
        for town_id, town, mode, n, lang, out, count in session.execute(query)
    ]


def tallies(found: list[Group], key: str) -> list[figures.Tally]:
    """Like :func:`.figures.by_municipality` and its siblings, from groups."""
    lines: dict[str, figures.Tally] = {}
    for g in found:
        if key == "municipality":
            keys: tuple[str, ...] = (g.municipality,)
        elif key == "mode":
            keys = (g.mode,)
        elif key == "need":
            keys = tuple(dict.fromkeys(g.needs))
        else:
            keys = tuple(dict.fromkeys(g.languages))
        for k in keys or (figures.UNKNOWN,):
            line = lines.setdefault(k, figures.Tally(k))
            line.received += g.requests
            line.outcomes[g.outcome] += g.requests
    return sorted(lines.values(), key=lambda t: (-t.received, t.key))


def by_partner(session: Session, organisation: Organisation, scope: Scope) -> list[figures.Tally]:
    """Referrals received in the scope, by the partner organisation that sent them, and
    what became of them; requests that no partner referred are not counted here."""
    left_out = _left_out_ids(organisation)
    outcome = _outcome(left_out).label("outcome")
    query = (
        sa.select(PartnerOrganisation.name, outcome, sa.func.count(HelpRequest.id))
        .join(PartnerOrganisation, PartnerOrganisation.id == HelpRequest.partner_organisation_id)
        .outerjoin(left_out, left_out.c.request_id == HelpRequest.id)
        .where(*_request_filter(organisation, scope))
        .group_by(PartnerOrganisation.id, PartnerOrganisation.name, outcome)
    )
    lines: dict[str, figures.Tally] = {}
    for name, out, count in session.execute(query):
        line = lines.setdefault(name, figures.Tally(name))
        line.received += count
        line.outcomes[out] += count
    return sorted(lines.values(), key=lambda t: (-t.received, t.key))


def total(found: list[Group]) -> figures.Tally:
    line = figures.Tally("")
    for g in found:
        line.received += g.requests
        line.outcomes[g.outcome] += g.requests
    return line


def left_out_reasons(
    session: Session, organisation: Organisation, scope: Scope
) -> list[figures.ReasonCount]:
    """The latest published reason of each request still left out, ranked."""
    open_statuses = [RequestStatus.NEW, RequestStatus.TRIAGED]
    latest: dict[int, tuple[str, dict[str, Any]]] = {}
    for request_id, reason, detail in session.execute(
        sa.select(PlanUnassigned.request_id, PlanUnassigned.reason, PlanUnassigned.detail)
        .join(Plan, Plan.id == PlanUnassigned.plan_id)
        .join(HelpRequest, HelpRequest.id == PlanUnassigned.request_id)
        .where(
            Plan.organisation_id == organisation.id,
            Plan.status == PlanStatus.PUBLISHED,
            HelpRequest.status.in_(open_statuses),
            *_request_filter(organisation, scope),
        )
        .order_by(Plan.week_start, PlanUnassigned.id)
    ):
        latest[request_id] = (reason, dict(detail or {}))
    return figures.rank_reasons(latest.values())


def waits(session: Session, organisation: Organisation, scope: Scope) -> list[tuple[date, float]]:
    """(local day received, days to the first appointment not cancelled) per request
    that has one."""
    zone = zone_of(organisation)
    first = sa.func.min(Appointment.starts_at).label("first")
    query = (
        sa.select(HelpRequest.created_at, first)
        .join(Appointment, Appointment.request_id == HelpRequest.id)
        .where(
            *_request_filter(organisation, scope),
            Appointment.status != AppointmentStatus.CANCELLED,
        )
        .group_by(HelpRequest.id, HelpRequest.created_at)
    )
    found = []
    for created, starts in session.execute(query):
        if isinstance(starts, str):  # SQLite hands back text through an aggregate
            starts = datetime.fromisoformat(starts).replace(tzinfo=created.tzinfo)
        days = max(0.0, (starts - created).total_seconds() / 86400)
        found.append((created.astimezone(zone).date(), days))
    return found
