"""The audit trail: record who did what, when, to what; read and purge it.

Every domain calls :func:`record` (or :func:`record_export`) inside the transaction of the
thing it records, so an entry exists exactly when the change does; the caller commits.
``detail`` is for figures and codes (a role, a count, a week): keys that name a secret
(``password``, ``token``, ``secret``, ``link``, ``url``…) are dropped and private links are
redacted from text, so the trail can be shown to administrators and kept for a year.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.logs import redact
from scheduler.models import AuditEntry
from scheduler.models import User

log = logging.getLogger(__name__)

#: Parts of a key that say its value is a secret and never belongs in the trail.
SECRET_KEYS = ("password", "token", "secret", "link", "url", "cookie", "hash")
TEXT_MAX = 200

#: The actions recorded today, for the administrator's filter (others may be added).
ACTIONS = (
    "sign_in.ok",
    "sign_in.failed",
    "sign_out.everywhere",
    "user.create",
    "user.role",
    "user.active",
    "user.password",
    "plan.publish",
    "request.erase",
    "export",
    "messages.erase",
    "messages.opt_out",
    "messages.texts",
    "partner.create",
    "partner.update",
    "partner.active",
    "partner.invite",
    "device.state",
    "device.loan",
    "device.gift",
    "device.return",
    "municipality.population",
)


def clean_detail(detail: Mapping[str, Any] | None) -> dict[str, Any]:
    """``detail`` without secrets: secret-named keys dropped, links redacted, text cut."""
    cleaned: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        name = str(key)[:40]
        if any(part in name.lower() for part in SECRET_KEYS):
            continue
        if isinstance(value, str):
            cleaned[name] = redact(value)[:TEXT_MAX]
        elif value is None or isinstance(value, bool | int | float):
            cleaned[name] = value
        elif isinstance(value, list | tuple):
            cleaned[name] = [redact(str(item))[:TEXT_MAX] for item in value][:50]
        else:
            cleaned[name] = redact(str(value))[:TEXT_MAX]
    return cleaned


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    target: str = "",
    detail: Mapping[str, Any] | None = None,
    now: datetime,
    organisation_id: int | None = None,
) -> AuditEntry:
    """Add one entry to the trail in ``session``'s transaction (the caller commits).

    :param actor: who acted; None for the public or a timed job.
    :param action: a dotted code, e.g. ``plan.publish`` (see :data:`ACTIONS`).
    :param target: what was acted on, ``kind:id`` (``plan:3``); never a name or a link.
    :param organisation_id: defaults to the actor's organisation.
    """
    if organisation_id is None and actor is not None:
        organisation_id = actor.organisation_id
    entry = AuditEntry(
        at=now,
        organisation_id=organisation_id,
        actor_id=actor.id if actor is not None else None,
        actor_label=(actor.email if actor is not None else "")[:254],
        action=action[:40],
        target=redact(target)[:120],
        detail=clean_detail(detail),
    )
    session.add(entry)
    return entry


def record_export(
    session: Session,
    *,
    actor: User | None,
    what: str,
    rows: int,
    now: datetime,
    organisation_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
    once_per: timedelta | None = None,
) -> AuditEntry | None:
    """Record that ``rows`` rows of ``what`` (``requests.csv``, ``feed:team``) left the
    service, and who took them.

    :param once_per: for what is fetched again and again (a calendar app polls a feed
        every hour): record nothing when the same actor took the same thing less than
        this long ago. Returns None then.
    """
    if once_per is not None:
        recent_entry = session.scalar(
            sa.select(AuditEntry.id)
            .where(
                AuditEntry.action == "export",
                AuditEntry.target == what,
                AuditEntry.actor_id == (actor.id if actor is not None else None),
                AuditEntry.at >= now - once_per,
            )
            .limit(1)
        )
        if recent_entry is not None:
            return None
    return record(
        session,
        actor=actor,
        action="export",
        target=what,
        detail={"rows": rows, **dict(detail or {})},
        now=now,
        organisation_id=organisation_id,
    )


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


def recent(
    session: Session,
    organisation_id: int,
    *,
    action: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> AuditPage:
    """An organisation's entries, newest first, optionally of one action (or its family:
    ``sign_in`` matches ``sign_in.ok`` and ``sign_in.failed``)."""
    query = sa.select(AuditEntry).where(AuditEntry.organisation_id == organisation_id)
    if action:
        query = query.where(
            sa.or_(AuditEntry.action == action, AuditEntry.action.startswith(f"{action}."))
        )
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    entries = list(
        session.scalars(
            query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return AuditPage(entries, page, pages, total)


def last_of(session: Session, action: str, target: str) -> AuditEntry | None:
    """The newest entry of ``action`` on ``target``."""
    return session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == action, AuditEntry.target == target)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()


def purge(session: Session, now: datetime, retention_days: int) -> int:
    """Delete entries older than ``retention_days`` (the caller commits: the jobs runner).
    Returns how many went."""
    cutoff = now - timedelta(days=retention_days)
    result = session.execute(sa.delete(AuditEntry).where(AuditEntry.at < cutoff))
    count = int(getattr(result, "rowcount", 0) or 0)
    log.info("audit trail: %d entries older than %d days deleted", count, retention_days)
    return count
