"""The e-mail a partner organisation may ask for when one of its referrals changes status.

Only partners with ``notify_on_status`` and a contact e-mail are told. The message goes
through the outbox like every other (:func:`scheduler.messages.outbox.queue`): its key
names the referral and the status it reached (and the appointment's time), so asking
again — after a page's commit and in the timed sweep — never sends it twice, while a
moved appointment is a new status worth telling. "Received" is not news: the partner
sent the referral itself. The message holds the reference and the status only, never a
volunteer's name nor the person's details; the reason of a refusal is on the partner's
list, behind its login.
"""

from __future__ import annotations

import logging
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.messages import words
from scheduler.messages.outbox import Route
from scheduler.messages.outbox import enabled
from scheduler.messages.outbox import normal_address
from scheduler.messages.outbox import opted_out
from scheduler.messages.outbox import queue
from scheduler.messages.outbox import setting
from scheduler.messages.texts import language_of
from scheduler.messages.texts import phrase
from scheduler.messages.texts import text_for
from scheduler.models import HelpRequest
from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import OutboxMessage
from scheduler.models import PartnerOrganisation
from scheduler.models import RecipientKind

from .referrals import PartnerStatus
from .referrals import ReferralLine
from .referrals import line_for

log = logging.getLogger(__name__)

#: Where a partner's list of referrals is served (routes/partners registers it there).
REFERRALS_PATH = "/partner/referrals"
#: Closed referrals older than this are no longer looked at: their news was told.
CLOSED_WINDOW = timedelta(days=7)


def _status_words(line: ReferralLine, partner: PartnerOrganisation, language: str) -> str:
    organisation = partner.organisation
    if line.status is PartnerStatus.PLANNED:
        if line.appointment_at is None:
            return phrase(language, "referral_planned_undated")
        locale = words.babel_locale(organisation.locale, language)
        return phrase(
            language, "referral_planned", when=words.when(line.appointment_at, organisation, locale)
        )
    if line.status is PartnerStatus.DONE:
        return phrase(language, "referral_done")
    return phrase(language, "referral_not_served")


def _key(line: ReferralLine) -> str:
    moment = line.appointment_at.isoformat() if line.appointment_at else ""
    return f"referral:{line.id}:{line.status.value}:{moment}"


def queue_referral_status(
    session: Session, request: HelpRequest, *, now: datetime, link: str
) -> OutboxMessage | None:
    """Queue the e-mail telling the referring partner the request's status, if it wants
    one and this status was not told yet. Flushes only."""
    partner = request.partner_organisation
    if partner is None or not partner.active or not partner.notify_on_status:
        return None
    if not partner.contact_email:
        return None
    organisation = partner.organisation
    if not enabled(session, organisation.id, MessageKind.REFERRAL_STATUS):
        return None
    address = normal_address(partner.contact_email)
    if opted_out(session, organisation.id, address):
        return None
    line = line_for(session, request)
    if line.status is PartnerStatus.RECEIVED:
        return None
    language = language_of(organisation.locale)
    own = setting(session, organisation.id, MessageKind.REFERRAL_STATUS)
    text = text_for(
        MessageKind.REFERRAL_STATUS,
        language,
        {
            "partner": partner.name,
            "reference": request.reference,
            "status": _status_words(line, partner, language),
            "link": link,
            "organisation": organisation.name,
        },
        own.texts if own else None,
    )
    return queue(
        session,
        organisation_id=organisation.id,
        kind=MessageKind.REFERRAL_STATUS,
        recipient_kind=RecipientKind.PARTNER,
        route=Route(MessageChannel.EMAIL, address),
        key=_key(line),
        language=language,
        subject=text.subject,
        body=text.body,
        now=now,
        recipient_name=partner.name,
        request_id=request.id,
    )


def queue_referral_news(
    session: Session, now: datetime, *, link: str, organisation_id: int | None = None
) -> int:
    """Queue the status e-mails of every referral whose status changed since it was last
    told, for the partners that asked; how many were queued. Commits."""
    query = (
        sa.select(HelpRequest)
        .join(PartnerOrganisation, PartnerOrganisation.id == HelpRequest.partner_organisation_id)
        .where(
            PartnerOrganisation.active.is_(True),
            PartnerOrganisation.notify_on_status.is_(True),
            PartnerOrganisation.contact_email.is_not(None),
            sa.or_(HelpRequest.closed_at.is_(None), HelpRequest.closed_at >= now - CLOSED_WINDOW),
        )
    )
    if organisation_id is not None:
        query = query.where(HelpRequest.organisation_id == organisation_id)
    queued = sum(
        1
        for request in session.scalars(query)
        if queue_referral_status(session, request, now=now, link=link) is not None
    )
    session.commit()
    if queued:
        log.info("messages: %d referral status e-mails queued for partners", queued)
    return queued
