"""The dispatchers' daily digest: what came in, what broke, who to call.

Sent by e-mail to each active dispatcher and administrator once their organisation's
digest hour has come; keyed by organisation, day and person, so any number of runs
that day sends one.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.weekly import covers
from scheduler.models import Absence
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import MessageStatus
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import RecipientKind
from scheduler.models import Role
from scheduler.models import User

from . import words
from .outbox import Route
from .outbox import enabled
from .outbox import queue
from .outbox import setting
from .settings import MessageSettings
from .texts import language_of
from .texts import phrase
from .texts import text_for

ACTIVE = (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)
#: How far ahead absences are checked against published appointments.
AHEAD = timedelta(days=14)


def digest_lines(
    session: Session, organisation: Organisation, now: datetime, language: str, locale: str
) -> list[str]:
    """The digest's lines: counts, each followed by its items."""
    since = now - timedelta(days=1)
    org = organisation.id
    new = session.scalars(
        sa.select(HelpRequest)
        .where(HelpRequest.organisation_id == org, HelpRequest.created_at >= since)
        .order_by(HelpRequest.created_at)
    ).all()
    absent = session.execute(
        sa.select(Appointment, Absence)
        .join(Absence, Absence.volunteer_id == Appointment.volunteer_id)
        .where(
            Appointment.organisation_id == org,
            Appointment.status.in_(ACTIVE),
            Appointment.starts_at >= now,
            Appointment.starts_at < now + AHEAD,
        )
        .order_by(Appointment.starts_at)
    ).all()
    zone = ZoneInfo(organisation.timezone)
    clashes = [
        (a, b)
        for a, b in absent
        if b.first_day <= a.starts_at.astimezone(zone).date() <= b.last_day
    ]
    uncovered = _outside_their_week(session, org, now, zone, {a.id for a, _ in clashes})
    cancelled = session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.organisation_id == org,
            Appointment.status == AppointmentStatus.CANCELLED,
            Appointment.cancelled_at >= since,
        )
        .order_by(Appointment.starts_at)
    ).all()
    failed = session.scalars(
        sa.select(OutboxMessage).where(
            OutboxMessage.organisation_id == org,
            OutboxMessage.status == MessageStatus.FAILED,
            OutboxMessage.updated_at >= since,
        )
    ).all()
    calls = session.scalar(
        sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.organisation_id == org,
            OutboxMessage.channel == MessageChannel.CALL,
            OutboxMessage.status == MessageStatus.QUEUED,
        )
    )

    def item(text: str) -> str:
        return phrase(language, "digest_item", text=text)

    lines = [phrase(language, "digest_new", count=len(new))]
    lines += [item(f"{r.reference} ({phrase(language, f'mode_{r.mode.value}')})") for r in new]
    lines.append(phrase(language, "digest_absences", count=len(clashes)))
    for appointment, _absence in clashes:
        who = appointment.volunteer.first_name if appointment.volunteer else ""
        lines.append(item(f"{who}: {words.when(appointment.starts_at, organisation, locale)}"))
    lines.append(phrase(language, "digest_outside_week", count=len(uncovered)))
    for appointment in uncovered:
        who = appointment.volunteer.first_name if appointment.volunteer else ""
        lines.append(item(f"{who}: {words.when(appointment.starts_at, organisation, locale)}"))
    lines.append(phrase(language, "digest_cancelled", count=len(cancelled)))
    for appointment in cancelled:
        ref = appointment.request.reference if appointment.request else appointment.kind.value
        lines.append(item(f"{ref}: {words.when(appointment.starts_at, organisation, locale)}"))
    lines.append(phrase(language, "digest_failed", count=len(failed)))
    lines += [item(f"{m.kind.value} ({m.channel.value}): {m.reason or ''}") for m in failed]
    lines.append(phrase(language, "digest_calls", count=calls or 0))
    return lines


def queue_digests(session: Session, now: datetime, settings: MessageSettings) -> int:
    """Queue today's digest for each dispatcher once the digest hour has come; commits."""
    queued = 0
    for organisation in session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        local_now = now.astimezone(ZoneInfo(organisation.timezone))
        if local_now.hour < settings.digest_hour:
            continue
        if not enabled(session, organisation.id, MessageKind.DIGEST):
            continue
        staff = session.scalars(
            sa.select(User)
            .where(
                User.organisation_id == organisation.id,
                User.active.is_(True),
                User.role.in_((Role.DISPATCHER, Role.ADMIN)),
            )
            .order_by(User.id)
        ).all()
        own = setting(session, organisation.id, MessageKind.DIGEST)
        for user in staff:
            key = f"digest:{organisation.id}:{local_now.date().isoformat()}:{user.id}"
            language = language_of(user.locale or organisation.locale, organisation.language)
            locale = words.babel_locale(user.locale or organisation.locale, language)
            values = {
                "day": words.day(now, organisation, locale),
                "lines": "\n".join(digest_lines(session, organisation, now, language, locale)),
                "organisation": organisation.name,
            }
            text = text_for(MessageKind.DIGEST, language, values, own.texts if own else None)
            if queue(
                session,
                organisation_id=organisation.id,
                kind=MessageKind.DIGEST,
                recipient_kind=RecipientKind.STAFF,
                route=Route(MessageChannel.EMAIL, user.email.lower()),
                key=key,
                language=language,
                subject=text.subject,
                body=text.body,
                now=now,
                recipient_name=user.display_name,
            ):
                queued += 1
    session.commit()
    return queued


def _outside_their_week(
    session: Session, org: int, now: datetime, zone: ZoneInfo, absent: set[int]
) -> list[Appointment]:
    """Coming appointments that their volunteer's weekly time slots no longer hold (slots
    removed or changed after the appointment was made): like a day off, someone else must
    take them, whether a published plan or a dispatcher's hand placed them."""
    coming = session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.organisation_id == org,
            Appointment.status.in_(ACTIVE),
            Appointment.volunteer_id.is_not(None),
            Appointment.starts_at >= now,
            Appointment.starts_at < now + AHEAD,
        )
        .order_by(Appointment.starts_at)
    ).all()
    return [
        a
        for a in coming
        if a.id not in absent
        and a.volunteer is not None
        and not covers(
            ((w.weekday, w.starts, w.ends) for w in a.volunteer.availability),
            a.starts_at.astimezone(zone),
            a.ends_at.astimezone(zone),
        )
    ]
