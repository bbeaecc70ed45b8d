"""Accounts: creating users and checking passwords."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.core.validation import InputRefused
from scheduler.models import AuditEntry
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User

MIN_PASSWORD_LENGTH = 10
#: Wrong passwords in a row an account allows before each next attempt must wait.
FREE_ATTEMPTS = 5
#: The first wait, doubled at each further wrong password, up to MAX_WAIT: a stranger
#: guessing a password gets a handful of tries an hour, and can keep a real user waiting
#: a few minutes at most, never locked out.
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=5)

#: How far back the failed attempts on an e-mail without an account are counted.
UNKNOWN_WINDOW = timedelta(days=1)

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


def refusal_code(error: AccountError) -> str:
    """The form's word for a refused login: taken, or not usable as an address."""
    return "email_taken" if error.code == "email_taken" else "email_unusable"


class SignInThrottled(Exception):
    """Too many wrong passwords for this account: the next attempt waits ``seconds``."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def wait_after(failures: int) -> timedelta:
    """How long the next attempt waits after ``failures`` wrong passwords in a row."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    return min(MAX_WAIT, FIRST_WAIT * 2 ** min(failures - FREE_ATTEMPTS, 16))


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

    Every attempt is logged and written to the audit trail, with the account's id when
    there is one; never with what was typed (a password is sometimes typed in the e-mail
    field). Wrong passwords in a row are counted on the account itself, so the throttle
    holds across web workers: past :data:`FREE_ATTEMPTS`, the next attempt must wait
    (growing up to :data:`MAX_WAIT`), and the password is not even checked before then.

    :raises SignInThrottled: the account must wait before another attempt.
    """
    user = find_user(session, email)
    if user is None or not user.active:
        _refuse_without_account(session, email, password, user, now)
        return None
    if user.signin_wait_until is not None and user.signin_wait_until > now:
        seconds = max(1, int((user.signin_wait_until - now).total_seconds() + 0.999))
        log.warning("sign-in refused: user %d must wait %d s (throttled)", user.id, seconds)
        _record_failure(session, user, "throttled", now)
        session.commit()
        raise SignInThrottled(seconds)
    if not user.check_password(password):
        # Counted in the database in one statement: two workers never lose a failure.
        session.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(failed_signins=User.failed_signins + 1)
            .execution_options(synchronize_session=False)
        )
        session.refresh(user, ["failed_signins"])
        wait = wait_after(user.failed_signins)
        if wait:
            user.signin_wait_until = now + wait
        log.warning(
            "sign-in refused: wrong password for user %d (%d in a row)",
            user.id,
            user.failed_signins,
        )
        _record_failure(session, user, "wrong_password", now)
        session.commit()
        return None
    user.last_login_at = now
    user.failed_signins = 0
    user.signin_wait_until = None
    audit.record(session, actor=user, action="sign_in.ok", target=f"user:{user.id}", now=now)
    session.commit()
    return user


def email_key(email: str) -> str:
    """What the audit trail keeps of an e-mail that has no usable account: a digest, enough
    to count the attempts on it, never the address itself."""
    digest = hashlib.sha256(f"escouade sign-in:{normalise_email(email)}".encode()).hexdigest()
    return f"email:{digest[:32]}"


def _refuse_without_account(
    session: Session, email: str, password: str, user: User | None, now: datetime
) -> None:
    """Refuse an e-mail with no account (or a disabled one) exactly as a real account is
    refused: the password is checked against a real hash (same time), and wrong attempts
    are counted and made to wait as :func:`authenticate` does, on the e-mail's digest in
    the audit trail. Otherwise "wait" would only ever be said of accounts that exist.

    :raises SignInThrottled: too many attempts on this e-mail lately.
    """
    key = email_key(email)
    failed = session.scalars(
        sa.select(AuditEntry)
        .where(
            AuditEntry.action == "sign_in.failed",
            AuditEntry.target == key,
            AuditEntry.at >= now - UNKNOWN_WINDOW,
        )
        .order_by(AuditEntry.at)
    ).all()
    tries = [e for e in failed if (e.detail or {}).get("reason") != "throttled"]
    wait = wait_after(len(tries))
    if tries and wait and tries[-1].at + wait > now:
        seconds = max(1, int((tries[-1].at + wait - now).total_seconds() + 0.999))
        log.warning("sign-in refused: an e-mail without account must wait %d s", seconds)
        _record_failure(session, user, "throttled", now, target=key)
        session.commit()
        raise SignInThrottled(seconds)
    _DUMMY.check_password(password)
    if user is None:
        log.warning("sign-in refused: no account has this e-mail")
        reason = "unknown_email"
    else:
        log.warning("sign-in refused: user %d is disabled", user.id)
        reason = "disabled"
    _record_failure(session, user, reason, now, target=key)
    session.commit()


def _record_failure(
    session: Session, user: User | None, reason: str, now: datetime, target: str | None = None
) -> None:
    audit.record(
        session,
        actor=None,
        action="sign_in.failed",
        target=target or (f"user:{user.id}" if user is not None else ""),
        detail={"reason": reason},
        now=now,
        organisation_id=user.organisation_id if user is not None else None,
    )


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
    try:
        session.commit()
    except IntegrityError:
        # Another request (a double click, a second administrator) created the same
        # login between the check above and this insert: the address is taken.
        session.rollback()
        raise AccountError("email_taken") from None
    return user
