"""Giving a volunteer a login, and taking it away.

A dispatcher gives a volunteer a login with their e-mail and either a password
they choose together or a temporary one, shown once and never stored in clear.
Only logins with the volunteer role are managed here: a staff member who also
volunteers keeps an account only an administrator can change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from scheduler.core.validation import InputRefused
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.people import accounts

# No 0/o, 1/l/i: read aloud over the phone or copied from a screen without mistakes.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True, slots=True)
class LoginGiven:
    user: User
    #: The password to hand over, when Escouade chose it; None when the dispatcher typed one.
    temporary_password: str | None


def temporary_password() -> str:
    """A random password such as ``k7mq-x3pa-9tdr`` (about 59 bits)."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def _volunteer_login(volunteer: Volunteer) -> User:
    user = volunteer.user
    if user is None:
        raise InputRefused(None, "no_login")
    if user.role is not Role.VOLUNTEER:
        raise InputRefused(None, "staff_login")
    return user


def give_login(
    session: Session, volunteer: Volunteer, email: str, password: str | None, now: datetime
) -> LoginGiven:
    """Create the volunteer's login, or re-attach one that was unlinked from them.

    :param password: chosen by the dispatcher, or None for a temporary one.
    :raises InputRefused: the volunteer has a login, the e-mail is taken, the password is short.
    """
    if volunteer.user is not None:
        raise InputRefused(None, "has_login")
    email = accounts.normalise_email(email)
    chosen = password is not None
    password = password if password is not None else temporary_password()
    accounts.check_password(password)
    existing = accounts.find_user(session, email)
    if existing is not None:
        reusable = (
            existing.organisation_id == volunteer.organisation_id
            and existing.role is Role.VOLUNTEER
            and existing.volunteer is None
        )
        if not reusable:
            raise InputRefused("email", "email_taken")
        existing.active = True
        existing.set_password(password)
        user = existing
    else:
        try:
            user = accounts.create_user(
                session,
                volunteer.organisation,
                email,
                password,
                Role.VOLUNTEER,
                display_name=volunteer.full_name,
            )
        except accounts.AccountError as error:
            raise InputRefused("email", accounts.refusal_code(error)) from error
    volunteer.user = user
    volunteer.updated_at = now
    session.commit()
    return LoginGiven(user, None if chosen else password)


def reset_login_password(session: Session, volunteer: Volunteer, now: datetime) -> str:
    """Replace the volunteer's password with a temporary one and return it."""
    user = _volunteer_login(volunteer)
    password = temporary_password()
    user.set_password(password)
    volunteer.updated_at = now
    session.commit()
    return password


def set_login_active(session: Session, volunteer: Volunteer, active: bool, now: datetime) -> User:
    """Let the volunteer sign in again, or stop them from signing in."""
    user = _volunteer_login(volunteer)
    user.active = active
    volunteer.updated_at = now
    session.commit()
    return user


def unlink_login(session: Session, volunteer: Volunteer, now: datetime) -> User:
    """Detach the login from the profile and disable it; giving a login again re-attaches it."""
    user = _volunteer_login(volunteer)
    user.active = False
    volunteer.user = None
    volunteer.updated_at = now
    session.commit()
    return user
