"""Administering partner organisations and inviting their staff.

An invitation is the login mechanism volunteers already have: the administrator types
the staff member's e-mail; Escouade makes a temporary password, shown once and stored
only hashed, which the administrator hands over. The login has the partner role and
sees only its own partner organisation's referrals. Every creation, change and
invitation is written to the audit trail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.core.validation import InputRefused
from scheduler.models import Organisation
from scheduler.models import PartnerKind
from scheduler.models import PartnerOrganisation
from scheduler.models import Role
from scheduler.models import User
from scheduler.people import accounts
from scheduler.people.volunteer_logins import temporary_password

log = logging.getLogger(__name__)

NAME_MAX = 120
EMAIL_MAX = 254


@dataclass(frozen=True, slots=True)
class PartnerFields:
    """What the administrator typed, already read by the form."""

    name: str
    kind: PartnerKind
    contact_email: str | None = None
    notify_on_status: bool = False


@dataclass(frozen=True, slots=True)
class Invitation:
    user: User
    #: Shown once to the administrator, never stored in clear.
    temporary_password: str


def partners(
    session: Session, org_id: int, *, active_only: bool = False
) -> list[PartnerOrganisation]:
    query = sa.select(PartnerOrganisation).where(PartnerOrganisation.organisation_id == org_id)
    if active_only:
        query = query.where(PartnerOrganisation.active.is_(True))
    return list(
        session.scalars(query.order_by(PartnerOrganisation.active.desc(), PartnerOrganisation.name))
    )


def find_partner(session: Session, org_id: int, partner_id: int) -> PartnerOrganisation | None:
    partner = session.get(PartnerOrganisation, partner_id)
    return partner if partner is not None and partner.organisation_id == org_id else None


def staff(session: Session, partner: PartnerOrganisation) -> list[User]:
    return list(
        session.scalars(
            sa.select(User)
            .where(User.partner_organisation_id == partner.id, User.role == Role.PARTNER)
            .order_by(User.email)
        )
    )


def _checked(fields: PartnerFields) -> PartnerFields:
    name = fields.name.strip()
    if not name:
        raise InputRefused("name", "partner_name_missing")
    if len(name) > NAME_MAX:
        raise InputRefused("name", "name_too_long", limit=NAME_MAX)
    email = (fields.contact_email or "").strip().lower() or None
    if email is not None and (len(email) > EMAIL_MAX or "@" not in email):
        raise InputRefused("contact_email", "email_unusable")
    if fields.notify_on_status and email is None:
        raise InputRefused("contact_email", "partner_email_needed")
    return PartnerFields(name, PartnerKind(fields.kind), email, fields.notify_on_status)


def create_partner(
    session: Session, org: Organisation, fields: PartnerFields, *, actor: User | None, now: datetime
) -> PartnerOrganisation:
    """:raises InputRefused: no name, a name too long, an unusable contact e-mail."""
    fields = _checked(fields)
    partner = PartnerOrganisation(
        organisation=org,
        name=fields.name,
        kind=fields.kind,
        contact_email=fields.contact_email,
        notify_on_status=fields.notify_on_status,
        active=True,
        created_at=now,
    )
    session.add(partner)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="partner.create",
        target=f"partner:{partner.id}",
        detail={"kind": partner.kind.value},
        now=now,
        organisation_id=org.id,
    )
    session.commit()
    log.info("partner organisation %d created (%s)", partner.id, partner.kind.value)
    return partner


def update_partner(
    session: Session,
    partner: PartnerOrganisation,
    fields: PartnerFields,
    *,
    actor: User | None,
    now: datetime,
) -> PartnerOrganisation:
    """:raises InputRefused: as :func:`create_partner`."""
    fields = _checked(fields)
    partner.name = fields.name
    partner.kind = fields.kind
    partner.contact_email = fields.contact_email
    partner.notify_on_status = fields.notify_on_status
    audit.record(
        session,
        actor=actor,
        action="partner.update",
        target=f"partner:{partner.id}",
        detail={"kind": partner.kind.value, "notify_on_status": partner.notify_on_status},
        now=now,
        organisation_id=partner.organisation_id,
    )
    session.commit()
    return partner


def set_partner_active(
    session: Session,
    partner: PartnerOrganisation,
    active: bool,
    *,
    actor: User | None,
    now: datetime,
) -> PartnerOrganisation:
    """Deactivate (or reactivate) a partner: its staff's logins follow, so a deactivated
    partner's staff are signed out at once and can no longer refer; its referrals stay."""
    if partner.active == active:
        return partner
    partner.active = active
    for user in staff(session, partner):
        user.active = active
    audit.record(
        session,
        actor=actor,
        action="partner.active",
        target=f"partner:{partner.id}",
        detail={"active": active},
        now=now,
        organisation_id=partner.organisation_id,
    )
    session.commit()
    log.info("partner organisation %d %s", partner.id, "reactivated" if active else "deactivated")
    return partner


def invite_staff(
    session: Session,
    partner: PartnerOrganisation,
    email: str,
    display_name: str | None,
    *,
    actor: User | None,
    now: datetime,
) -> Invitation:
    """Give a partner's staff member a login with the partner role and a temporary password.

    :raises InputRefused: the partner is deactivated, the e-mail is taken or unusable, the
        name is too long.
    """
    if not partner.active:
        raise InputRefused(None, "partner_inactive")
    name = (display_name or "").strip() or None
    if name is not None and len(name) > NAME_MAX:
        raise InputRefused("display_name", "too_long", limit=NAME_MAX)
    if accounts.find_user(session, email) is not None:
        raise InputRefused("email", "email_taken")
    password = temporary_password()
    try:
        user = accounts.create_user(
            session, partner.organisation, email, password, Role.PARTNER, display_name=name
        )
    except accounts.AccountError as error:
        raise InputRefused("email", accounts.refusal_code(error)) from error
    user.partner_organisation = partner
    audit.record(
        session,
        actor=actor,
        action="partner.invite",
        target=f"user:{user.id}",
        detail={"partner": partner.id},
        now=now,
        organisation_id=partner.organisation_id,
    )
    session.commit()
    log.info("partner organisation %d: staff login %d invited", partner.id, user.id)
    return Invitation(user=user, temporary_password=password)
