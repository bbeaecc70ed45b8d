"""API tokens for tests, issued through the same service as the administrator's page."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from scheduler.api.tokens import issue_token
from scheduler.core.extensions import db
from scheduler.models import ApiScope
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow

from ..builders import World

STAFF_SCOPES = tuple(s.value for s in ApiScope)
PARTNER_SCOPES = (ApiScope.REQUESTS_CREATE.value, ApiScope.REQUESTS_READ.value)


def token_for(
    app,
    world: World,
    *,
    partner_id: int | None = None,
    scopes: tuple[str, ...] | None = None,
    days: int = 30,
) -> str:
    """A fresh token's secret: a partner's (``partner_id``) or the staff's."""
    if scopes is None:
        scopes = PARTNER_SCOPES if partner_id else STAFF_SCOPES
    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.email == world.email_for(Role.ADMIN)))
        issued = issue_token(
            db.session,
            actor=admin,
            name="Logiciel du CCAS" if partner_id else "Outils internes",
            scopes=scopes,
            days=days,
            now=utcnow(),
            partner_organisation_id=partner_id,
        )
        return issued.secret


def referral_body(world: World, **changes: object) -> dict[str, object]:
    """What a partner's software sends for a phone call in Wickham."""
    body: dict[str, object] = {
        "mode": "phone",
        "needs": ["email"],
        "municipality_id": world.municipality_ids["Wickham"],
        "availability": ["tue-am"],
        "first_name": "Jeannine",
        "phone": "819 555 0142",
        "languages": ["fr"],
        "consent": True,
        "note": "Prefers afternoons; hard of hearing.",
    }
    body.update(changes)
    return body


def age_token(app, secret: str, *, days: int) -> None:
    """Move a token's expiry ``days`` into the past."""
    from scheduler.core.tokens import hash_token
    from scheduler.models import ApiToken

    with app.app_context():
        token = db.session.scalar(
            sa.select(ApiToken).where(ApiToken.token_hash == hash_token(secret))
        )
        token.expires_at = utcnow() - timedelta(days=days)
        db.session.commit()
