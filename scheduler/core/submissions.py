"""Forms sent once: a staff page's creating form carries a one-use key, and a second
sending of the same key (a double click, back then send again, a reload of the answer)
creates nothing.

The public form has the same promise through its server-side draft, deleted when the
request is sent (:mod:`scheduler.requests.drafts`); staff forms are one page, so their
key is claimed in the same transaction as what the form creates, and so is the key of the
public one-page post (``routes.booking.pages.one_page``: the form's key, or for an old
saved page without one, a digest of its answers). The key column is
unique, so two sendings at the same instant race in the database and one loses.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.models import FormSubmission

log = logging.getLogger("scheduler.submissions")

#: A form older than this is not guarded any more: its key is forgotten.
KEPT_FOR = timedelta(days=2)
TARGET_MAX = 300


def new_key() -> str:
    """A fresh key for one rendering of a form (144 random bits)."""
    return secrets.token_urlsafe(18)


def well_formed(key: str) -> bool:
    return 16 <= len(key) <= 64 and all(c.isalnum() or c in "-_" for c in key)


def claim(
    session: Session,
    key: str,
    *,
    form: str,
    user_id: int | None,
    now: datetime,
    fingerprint: str | None = None,
) -> FormSubmission | None:
    """Take ``key`` for this sending, in the caller's transaction (not committed here:
    it is committed with what the form creates, and rolled back with it when the
    creation is refused, so the corrected form can be sent again).

    :return: None when this is the first sending; else the earlier sending's record
        (its ``target`` may still be None while the first sending is finishing).
    """
    session.execute(sa.delete(FormSubmission).where(FormSubmission.created_at < now - KEPT_FOR))
    session.add(
        FormSubmission(key=key, form=form, user_id=user_id, created_at=now, fingerprint=fingerprint)
    )
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        earlier = session.scalars(
            sa.select(FormSubmission).where(FormSubmission.key == key)
        ).first()
        log.info("form %s sent again: nothing created a second time", form)
        return earlier or FormSubmission(
            key=key, form=form, user_id=user_id, created_at=now, fingerprint=fingerprint
        )
    return None


def settle(session: Session, key: str, target: str) -> None:
    """Record where the first sending's result is shown, for the later sendings."""
    session.execute(
        sa.update(FormSubmission)
        .where(FormSubmission.key == key)
        .values(target=target[:TARGET_MAX])
    )
    session.commit()


def forget(session: Session, key: str) -> None:
    """Free ``key`` again (what its first sending made is gone), committed at once."""
    session.execute(sa.delete(FormSubmission).where(FormSubmission.key == key))
    session.commit()
