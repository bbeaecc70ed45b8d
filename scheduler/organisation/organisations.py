"""Which organisation a request is about.

Escouade runs one organisation per installation today; the model carries
``organisation_id`` everywhere so that several can share one database later.
Signed-in users belong to theirs; public pages serve the installation's one.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from flask_login import current_user
from sqlalchemy.orm import Session

from scheduler.core.extensions import db
from scheduler.models import Organisation


def default_organisation(session: Session) -> Organisation | None:
    return session.scalars(sa.select(Organisation).order_by(Organisation.id).limit(1)).first()


def current_organisation() -> Organisation | None:
    """The organisation of the signed-in user, or the installation's one; cached per request."""
    if "organisation" not in g:
        org = None
        if current_user and current_user.is_authenticated:
            org = current_user.organisation
        if org is None:
            org = default_organisation(db.session)
        g.organisation = org
    return g.organisation  # type: ignore[no-any-return]
