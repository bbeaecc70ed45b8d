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
from . import localtime
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


def _codes(text: Any, known: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A JSON list as stored (text on SQLite, already a list on some drivers); the same
    few texts come back on every group, so each is read once (``known``)."""
    if text is None:
        return ()
    if not isinstance(text, str):
        return tuple(str(v) for v in text or ())
    if text not in known:
        known[text] = tuple(str(v) for v in json.loads(text) or ())
    return known[text]


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
    known: dict[str, tuple[str, ...]] = {}
    return [
        Group(
            town_id,
            town,
            str(getattr(mode, "value", mode)),
            _codes(n, known),
            _codes(lang, known),
            out,
            count,
        )
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
    """The latest published reason of each request still left out, ranked.

    The database keeps the latest reason of each request (a window over its plans, the
    latest week first) and counts the requests by reason and detail.
    """
    open_statuses = [RequestStatus.NEW, RequestStatus.TRIAGED]
    latest_first = sa.func.row_number().over(
        partition_by=PlanUnassigned.request_id,
        order_by=(Plan.week_start.desc(), PlanUnassigned.id.desc()),
    )
    ranked = (
        sa.select(
            PlanUnassigned.reason.label("reason"),
            sa.cast(PlanUnassigned.detail, sa.Text).label("detail"),
            latest_first.label("rank"),
        )
        .join(Plan, Plan.id == PlanUnassigned.plan_id)
        .join(HelpRequest, HelpRequest.id == PlanUnassigned.request_id)
        .where(
            Plan.organisation_id == organisation.id,
            Plan.status == PlanStatus.PUBLISHED,
            HelpRequest.status.in_(open_statuses),
            *_request_filter(organisation, scope),
        )
        .subquery("ranked")
    )
    query = (
        sa.select(ranked.c.reason, ranked.c.detail, sa.func.count())
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.reason, ranked.c.detail)
    )
    return figures.rank_reason_counts(
        (reason, _detail(text), count) for reason, text, count in session.execute(query)
    )


def _detail(text: Any) -> dict[str, Any]:
    if text is None:
        return {}
    found = json.loads(text) if isinstance(text, str) else text
    return dict(found) if isinstance(found, dict) else {}


def waits(session: Session, organisation: Organisation, scope: Scope) -> list[tuple[date, float]]:
    """(local day received, days to the first appointment not cancelled) per request
    that has one; the database works both out, so no instant is read into Python."""
    zone = zone_of(organisation)
    starts, ends = scope.bounds(zone)
    received = localtime.local_day(HelpRequest.created_at, zone, starts, ends).label("day")
    first = localtime.epoch_seconds(sa.func.min(Appointment.starts_at))
    seconds = (first - localtime.epoch_seconds(HelpRequest.created_at)).label("seconds")
    query = (
        sa.select(received, seconds)
        .join(Appointment, Appointment.request_id == HelpRequest.id)
        .where(
            *_request_filter(organisation, scope),
            Appointment.status != AppointmentStatus.CANCELLED,
        )
        .group_by(HelpRequest.id, HelpRequest.created_at)
    )
    days: dict[int, date] = {}
    found = []
    for number, gap in session.execute(query):
        if number not in days:
            days[number] = localtime.to_date(number)
        found.append((days[number], max(0.0, int(gap) / 86400)))
    return found
