"""The secrets in subscription links: issue, show again, verify, revoke.

A token carries 144 random bits (``scheduler.core.tokens``). The database keeps its
SHA-256, which is what a request is looked up by, and a sealed copy: the token
XOR-ed with an HMAC of its hash under a key derived from SECRET_KEY. The owner
can then see their link again on "My calendar", while a copy of the database
alone opens nothing. If SECRET_KEY changes, the sealed copy stops opening (the
owner is asked to make a new link) but subscriptions keep working, because
verification only needs the hash.

A link is live while it is not revoked and its owner is still active: a
volunteer for a volunteer feed, a dispatcher or administrator for a team feed.
Anything else is "no such feed", with no hint of which.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.tokens import hash_token
from scheduler.core.tokens import looks_like_token
from scheduler.core.tokens import new_token
from scheduler.core.tokens import token_matches

from ..models import FeedKind
from ..models import FeedToken
from ..models import Role
from ..models import User
from ..models import Volunteer

_SEAL_CONTEXT = b"escouade calendar feed token seal\x00"
#: ``last_used_at`` is written at most this often, so polling does not write each time.
USE_RESOLUTION = timedelta(minutes=15)
STAFF_ROLES = (Role.ADMIN, Role.DISPATCHER)


def _pad(key: bytes, token_hash: str, length: int) -> bytes:
    digest = hmac.new(key, _SEAL_CONTEXT + token_hash.encode("ascii"), hashlib.sha256).digest()
    if length > len(digest):
        raise ValueError("token too long to seal")
    return digest[:length]


def seal(token: str, token_hash: str, key: bytes) -> str:
    raw = token.encode("ascii")
    pad = _pad(key, token_hash, len(raw))
    return base64.urlsafe_b64encode(bytes(a ^ b for a, b in zip(raw, pad, strict=True))).decode()


def unseal(sealed: str | None, token_hash: str, key: bytes) -> str | None:
    """The token, or None when it cannot be recovered (no copy, or another key)."""
    if not sealed:
        return None
    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        pad = _pad(key, token_hash, len(raw))
        token = bytes(a ^ b for a, b in zip(raw, pad, strict=True)).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None
    return token if token_matches(token, token_hash) else None


def reveal(row: FeedToken, key: bytes) -> str | None:
    """The secret of a live link, for its owner's page."""
    return unseal(row.sealed_token, row.token_hash, key) if row.is_live else None


# --- volunteer feeds -------------------------------------------------------------------


def _newest(
    session: Session, kind: FeedKind, owner: sa.ColumnElement[bool], *, live_only: bool
) -> FeedToken | None:
    """The owner's most recent link of ``kind`` (only a live one if ``live_only``)."""
    query = sa.select(FeedToken).where(FeedToken.kind == kind, owner)
    if live_only:
        query = query.where(FeedToken.revoked_at.is_(None))
    return session.scalars(
        query.order_by(FeedToken.created_at.desc(), FeedToken.id.desc()).limit(1)
    ).first()


def live_volunteer_token(session: Session, volunteer: Volunteer) -> FeedToken | None:
    """The volunteer's current link, the newest if there are several."""
    return _newest(
        session, FeedKind.VOLUNTEER, FeedToken.volunteer_id == volunteer.id, live_only=True
    )


def last_volunteer_token(session: Session, volunteer: Volunteer) -> FeedToken | None:
    """The volunteer's most recent link, live or revoked: what a dispatcher is shown."""
    return _newest(
        session, FeedKind.VOLUNTEER, FeedToken.volunteer_id == volunteer.id, live_only=False
    )


def issue_volunteer_token(
    session: Session, volunteer: Volunteer, *, now: datetime, key: bytes
) -> str:
    """A new link for the volunteer; any previous one stops working at once."""
    _revoke(session, FeedToken.volunteer_id == volunteer.id, FeedKind.VOLUNTEER, now)
    token = _add(
        session,
        FeedToken(
            organisation_id=volunteer.organisation_id,
            kind=FeedKind.VOLUNTEER,
            volunteer_id=volunteer.id,
        ),
        now,
        key,
    )
    session.commit()
    return token


def ensure_volunteer_token(
    session: Session, volunteer: Volunteer, *, now: datetime, key: bytes
) -> str | None:
    """The volunteer's live link, made on first use.

    :return: the secret, or None when a link exists but can no longer be shown
        (SECRET_KEY changed): the caller offers to make a new one.
    """
    row = live_volunteer_token(session, volunteer)
    if row is None:
        return issue_volunteer_token(session, volunteer, now=now, key=key)
    return reveal(row, key)


def revoke_volunteer_tokens(session: Session, volunteer: Volunteer, *, now: datetime) -> int:
    """Stop every link of the volunteer; how many were live."""
    count = _revoke(session, FeedToken.volunteer_id == volunteer.id, FeedKind.VOLUNTEER, now)
    session.commit()
    return count


def volunteer_links(
    session: Session, organisation_id: int
) -> list[tuple[Volunteer, FeedToken | None]]:
    """Every active volunteer, by first name, with their most recent link (live or not)."""
    volunteers = session.scalars(
        sa.select(Volunteer)
        .where(Volunteer.organisation_id == organisation_id, Volunteer.active.is_(True))
        .order_by(Volunteer.first_name, Volunteer.last_name)
    ).all()
    latest: dict[int, FeedToken] = {}
    for row in session.scalars(
        sa.select(FeedToken)
        .where(
            FeedToken.organisation_id == organisation_id,
            FeedToken.kind == FeedKind.VOLUNTEER,
        )
        .order_by(FeedToken.created_at, FeedToken.id)
    ):
        if row.volunteer_id is not None:
            latest[row.volunteer_id] = row
    return [(volunteer, latest.get(volunteer.id)) for volunteer in volunteers]


# --- team feeds (one per dispatcher) ------------------------------------------------------


def live_team_token(session: Session, user: User) -> FeedToken | None:
    return _newest(session, FeedKind.TEAM, FeedToken.user_id == user.id, live_only=True)


def issue_team_token(session: Session, user: User, *, now: datetime, key: bytes) -> str:
    _revoke(session, FeedToken.user_id == user.id, FeedKind.TEAM, now)
    token = _add(
        session,
        FeedToken(organisation_id=user.organisation_id, kind=FeedKind.TEAM, user_id=user.id),
        now,
        key,
    )
    session.commit()
    return token


def ensure_team_token(session: Session, user: User, *, now: datetime, key: bytes) -> str | None:
    row = live_team_token(session, user)
    if row is None:
        return issue_team_token(session, user, now=now, key=key)
    return reveal(row, key)


def revoke_team_tokens(session: Session, user: User, *, now: datetime) -> int:
    count = _revoke(session, FeedToken.user_id == user.id, FeedKind.TEAM, now)
    session.commit()
    return count


# --- verification ----------------------------------------------------------------------


def find_volunteer(session: Session, token: str, *, now: datetime) -> Volunteer | None:
    """The active volunteer whose live link carries ``token``; notes the use."""
    row = _find(session, FeedKind.VOLUNTEER, token)
    if row is None or row.volunteer_id is None:
        return None
    volunteer = session.get(Volunteer, row.volunteer_id)
    if volunteer is None or not volunteer.active:
        return None
    if volunteer.organisation_id != row.organisation_id:
        return None
    _note_use(session, row, now)
    return volunteer


def find_team_user(session: Session, token: str, *, now: datetime) -> User | None:
    """The active dispatcher or administrator whose live team link carries ``token``."""
    row = _find(session, FeedKind.TEAM, token)
    if row is None or row.user_id is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active or user.role not in STAFF_ROLES:
        return None
    if user.organisation_id != row.organisation_id:
        return None
    _note_use(session, row, now)
    return user


def _find(session: Session, kind: FeedKind, token: str) -> FeedToken | None:
    if not looks_like_token(token):
        return None
    # Looked up by the hash: what the database compares is not the secret itself.
    row = session.scalars(
        sa.select(FeedToken).where(FeedToken.token_hash == hash_token(token))
    ).first()
    if row is None or row.kind is not kind or not row.is_live:
        return None
    if not token_matches(token, row.token_hash):
        return None
    return row


def _note_use(session: Session, row: FeedToken, now: datetime) -> None:
    if row.last_used_at is None or now - row.last_used_at >= USE_RESOLUTION:
        row.last_used_at = now
        session.commit()


def _add(session: Session, row: FeedToken, now: datetime, key: bytes) -> str:
    token, token_hash = new_token()
    row.token_hash = token_hash
    row.sealed_token = seal(token, token_hash, key)
    row.created_at = now
    session.add(row)
    session.flush()
    return token


def _revoke(session: Session, owner: sa.ColumnElement[bool], kind: FeedKind, now: datetime) -> int:
    rows = session.scalars(
        sa.select(FeedToken).where(owner, FeedToken.kind == kind, FeedToken.revoked_at.is_(None))
    ).all()
    for row in rows:
        row.revoked_at = now
    session.flush()
    return len(rows)


def key_from_secret(secret_key: str | bytes) -> bytes:
    """The sealing key, derived from the application's SECRET_KEY (never the key itself)."""
    raw = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    return hmac.new(raw, b"escouade calendar feed seal key", hashlib.sha256).digest()
