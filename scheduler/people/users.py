"""Administering logins: create, change role, disable or enable, reset a password.

An organisation always keeps at least one active administrator: a change that
would leave none (disabling or demoting the last one) is refused, whoever asks.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.core.validation import InputRefused
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.people import accounts

DISPLAY_NAME_MAX = 120


class LastAdministrator(ValueError):
    """The change would leave the organisation without an active administrator."""


def users(session: Session, org_id: int) -> list[User]:
    query = sa.select(User).where(User.organisation_id == org_id)
    return sorted(session.scalars(query), key=lambda u: (u.role.value, u.email))


def find_user(session: Session, org_id: int, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.organisation_id == org_id else None


def create_account(
    session: Session,
    org: Organisation,
    email: str,
    display_name: str | None,
    role: Role,
    password: str,
    *,
    actor: User | None = None,
    now: datetime | None = None,
) -> User:
    """:raises InputRefused: the e-mail is taken or the password too short."""
    accounts.check_password(password)
    name = (display_name or "").strip() or None
    if name is not None and len(name) > DISPLAY_NAME_MAX:
        raise InputRefused("display_name", "too_long", limit=DISPLAY_NAME_MAX)
    if accounts.find_user(session, email) is not None:
        raise InputRefused("email", "email_taken")
    try:
        user = accounts.create_user(session, org, email, password, role, display_name=name)
    except accounts.AccountError as error:
        raise InputRefused("email", accounts.refusal_code(error)) from error
    audit.record(
        session,
        actor=actor,
        action="user.create",
        target=f"user:{user.id}",
        detail={"role": role.value},
        now=now or utcnow(),
        organisation_id=org.id,
    )
    session.commit()
    return user


def _active_admins(session: Session, org_id: int) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count(User.id)).where(
                User.organisation_id == org_id, User.role == Role.ADMIN, User.active.is_(True)
            )
        )
        or 0
    )


def _keeps_an_admin(session: Session, user: User, role: Role, active: bool) -> None:
    was_admin = user.role is Role.ADMIN and user.active
    stays_admin = role is Role.ADMIN and active
    if was_admin and not stays_admin and _active_admins(session, user.organisation_id) <= 1:
        raise LastAdministrator(user.email)


def change_role(
    session: Session,
    user: User,
    role: Role,
    *,
    actor: User | None = None,
    now: datetime | None = None,
) -> User:
    """Give ``user`` a new role; their open sessions end, so it applies at once.

    :raises LastAdministrator: ``user`` is the last active administrator.
    """
    _keeps_an_admin(session, user, role, user.active)
    if Role.PARTNER in (role, user.role) and role is not user.role:
        # A partner's login is tied to its partner organisation: it is invited there, and
        # never becomes staff (nor staff a partner) by a change of role.
        raise InputRefused("role", "not_a_choice")
    before = user.role
    user.role = role
    if before is not role:
        audit.record(
            session,
            actor=actor,
            action="user.role",
            target=f"user:{user.id}",
            detail={"from": before.value, "to": role.value},
            now=now or utcnow(),
            organisation_id=user.organisation_id,
        )
    session.commit()
    return user


def set_active(
    session: Session,
    user: User,
    active: bool,
    *,
    actor: User | None = None,
    now: datetime | None = None,
) -> User:
    """Let the user sign in, or stop them. A disabled user's open session ends at once.

    :raises LastAdministrator: ``user`` is the last active administrator.
    """
    _keeps_an_admin(session, user, user.role, active)
    if user.active != active:
        audit.record(
            session,
            actor=actor,
            action="user.active",
            target=f"user:{user.id}",
            detail={"active": active},
            now=now or utcnow(),
            organisation_id=user.organisation_id,
        )
    user.active = active
    session.commit()
    return user


def reset_password(
    session: Session,
    user: User,
    password: str,
    *,
    actor: User | None = None,
    now: datetime | None = None,
) -> User:
    """Set a new password; whoever was signed in as ``user`` is signed out.

    :raises InputRefused: the password is too short.
    """
    accounts.check_password(password)
    user.set_password(password)
    audit.record(
        session,
        actor=actor,
        action="user.password",
        target=f"user:{user.id}",
        now=now or utcnow(),
        organisation_id=user.organisation_id,
    )
    session.commit()
    return user


def sign_out_everywhere(
    session: Session, user: User, *, actor: User | None = None, now: datetime | None = None
) -> User:
    """End every open session of ``user``, on every device (a lost phone, a shared
    computer); they sign in again with their password."""
    user.end_sessions()
    audit.record(
        session,
        actor=actor,
        action="sign_out.everywhere",
        target=f"user:{user.id}",
        now=now or utcnow(),
        organisation_id=user.organisation_id,
    )
    session.commit()
    return user
