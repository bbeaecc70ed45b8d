"""API tokens: issued and revoked by an administrator, checked on every call.

A secret is ``esc_`` followed by 43 URL-safe characters (256 bits); only its SHA-256 is
stored, so a copy of the database calls nothing. Every issue and revocation is written in
the audit trail in the same transaction.
"""

from __future__ import annotations

import enum
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.core.tokens import hash_token
from scheduler.core.validation import InputRefused
from scheduler.models import PARTNER_SCOPES
from scheduler.models import ApiScope
from scheduler.models import ApiToken
from scheduler.models import PartnerOrganisation
from scheduler.models import User

log = logging.getLogger(__name__)

SECRET_PREFIX = "esc_"
SECRET_BYTES = 32
NAME_MAX = 120
#: How long a token may live: from a day to two years.
MIN_DAYS = 1
MAX_DAYS = 730
#: How often ``last_used_at`` is written: not on every call of a busy partner.
LAST_USED_EVERY = timedelta(minutes=5)


class TokenProblem(enum.StrEnum):
    """Why a presented token opens nothing; the API answers 401 to each alike."""

    MISSING = "missing"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    #: The secret, to show once: it is not stored anywhere.
    secret: str


def issue_token(
    session: Session,
    *,
    actor: User,
    name: str,
    scopes: Iterable[str],
    days: int,
    now: datetime,
    partner_organisation_id: int | None = None,
) -> IssuedToken:
    """Create a token of ``actor``'s organisation and commit; the secret is returned once.

    :param partner_organisation_id: the partner whose software will use the token (its
        organisation is checked by the caller); such a token may only refer and read.
    :raises InputRefused: empty or long name, no scope, unknown scope, a staff scope on a
        partner token, or a lifetime outside :data:`MIN_DAYS`–:data:`MAX_DAYS`.
    """
    name = " ".join(name.split())
    if not name:
        raise InputRefused("name", "name_missing")
    if len(name) > NAME_MAX:
        raise InputRefused("name", "name_too_long", limit=NAME_MAX)
    chosen = set(scopes)
    known = {s.value for s in ApiScope}
    if not chosen or not chosen <= known:
        raise InputRefused("scopes", "not_a_choice")
    if partner_organisation_id is not None and not chosen <= {s.value for s in PARTNER_SCOPES}:
        raise InputRefused("scopes", "partner_scope")
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InputRefused("days", "days_range", low=MIN_DAYS, high=MAX_DAYS)
    if partner_organisation_id is not None:
        partner = session.get(PartnerOrganisation, partner_organisation_id)
        if (
            partner is None
            or partner.organisation_id != actor.organisation_id
            or not partner.active
        ):
            raise InputRefused("partner", "not_a_choice")
    secret = SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        organisation_id=actor.organisation_id,
        partner_organisation_id=partner_organisation_id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[: len(SECRET_PREFIX) + 6],
        scopes=[s.value for s in ApiScope if s.value in chosen],
        expires_at=now + timedelta(days=days),
        created_at=now,
        created_by_id=actor.id,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="api_token.create",
        target=f"api_token:{token.id}",
        detail={"scopes": token.scopes, "days": days, "partner": partner_organisation_id},
        now=now,
    )
    session.commit()
    log.info("API token %d issued (%s)", token.id, ",".join(token.scopes))
    return IssuedToken(token, secret)


def revoke_token(session: Session, *, actor: User, token_id: int, now: datetime) -> ApiToken:
    """Revoke one of ``actor``'s organisation's tokens at once, and commit.

    :raises InputRefused: no such token in the organisation (code ``not_a_choice``).
    """
    token = organisation_token(session, actor.organisation_id, token_id)
    if token is None:
        raise InputRefused(None, "not_a_choice")
    if token.revoked_at is None:
        token.revoked_at = now
        audit.record(
            session, actor=actor, action="api_token.revoke", target=f"api_token:{token.id}", now=now
        )
        session.commit()
        log.info("API token %d revoked", token.id)
    return token


def organisation_token(session: Session, organisation_id: int, token_id: int) -> ApiToken | None:
    token = session.get(ApiToken, token_id)
    return token if token is not None and token.organisation_id == organisation_id else None


def organisation_tokens(session: Session, organisation_id: int) -> list[ApiToken]:
    """The organisation's tokens, live ones first, newest first."""
    return list(
        session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.organisation_id == organisation_id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def partner_choices(session: Session, organisation_id: int) -> list[PartnerOrganisation]:
    """The organisation's active partner organisations, by name: who may get a token."""
    return list(
        session.scalars(
            sa.select(PartnerOrganisation)
            .where(
                PartnerOrganisation.organisation_id == organisation_id,
                PartnerOrganisation.active.is_(True),
            )
            .order_by(PartnerOrganisation.name)
        )
    )


def authenticate(session: Session, secret: str | None, now: datetime) -> ApiToken | TokenProblem:
    """The live token whose secret this is, or why there is none.

    A use is remembered in ``last_used_at`` (at most every :data:`LAST_USED_EVERY`); the
    caller's transaction carries it.
    """
    if not secret:
        return TokenProblem.MISSING
    if not (secret.startswith(SECRET_PREFIX) and 20 <= len(secret) <= 100 and secret.isascii()):
        return TokenProblem.UNKNOWN
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None:
        return TokenProblem.UNKNOWN
    if token.revoked_at is not None:
        return TokenProblem.REVOKED
    if token.partner_organisation is not None and not token.partner_organisation.active:
        return TokenProblem.REVOKED  # the partner's staff can no longer refer either
    if now >= token.expires_at:
        return TokenProblem.EXPIRED
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        token.last_used_at = now
        session.commit()
    return token
