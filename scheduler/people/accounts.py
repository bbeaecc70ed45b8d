"""Accounts: creating users and checking passwords."""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.validation import InputRefused
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User

MIN_PASSWORD_LENGTH = 10

log = logging.getLogger(__name__)

# A real hash to check against when the e-mail is unknown, so that a wrong e-mail and a
# wrong password take the same time.
_DUMMY = User(email="", password_hash="", role=Role.VOLUNTEER, display_name="")
_DUMMY.set_password("not a real password")


class AccountError(ValueError):
    """A user cannot be created as asked: ``code`` is ``email_invalid``, ``password_short``
    or ``email_taken``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_password(password: str) -> None:
    """:raises InputRefused: the password is shorter than :data:`MIN_PASSWORD_LENGTH`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputRefused("password", "password_short", count=MIN_PASSWORD_LENGTH)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(sa.select(User).where(User.email == normalise_email(email))).first()


def authenticate(session: Session, email: str, password: str, now: datetime) -> User | None:
    """The active user with this e-mail and password, or None; records the sign-in time.

    A refusal is logged with the account's id when there is one; never with what was
    typed (a password is sometimes typed in the e-mail field).
    """
    user = find_user(session, email)
    if user is None or not user.active:
        _DUMMY.check_password(password)
        if user is None:
            log.warning("sign-in refused: no account has this e-mail")
        else:
            log.warning("sign-in refused: user %d is disabled", user.id)
        return None
    if not user.check_password(password):
        log.warning("sign-in refused: wrong password for user %d", user.id)
        return None
    user.last_login_at = now
    session.commit()
    return user


def create_user(
    session: Session,
    organisation: Organisation,
    email: str,
    password: str,
    role: Role,
    display_name: str | None = None,
) -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError("email_invalid")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_short")
    if find_user(session, email) is not None:
        raise AccountError("email_taken")
    user = User(
        organisation=organisation,
        email=email,
        role=role,
        display_name=display_name or email.split("@")[0],
    )
    user.set_password(password)
    session.add(user)
    session.commit()
    return user
