"""Answers of the step-by-step public form, kept on the server until the request is sent.

The form asks one question per screen. Between screens the answers wait here, in a
:class:`~scheduler.models.BookingDraft` that only its secret key opens; the visitor's
browser keeps that key in its session cookie and nothing else. A draft is never a
request: sending it creates the request through :mod:`scheduler.requests.intake` and
deletes the draft, and a draft nobody touched for ``max_age`` is erased (each new draft
sweeps the stale ones, and the ``forget_drafts`` job does it on quiet days), so an
abandoned form leaves neither a request nor personal data behind.
"""

from __future__ import annotations

import base64
import hmac
import logging
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.tokens import TOKEN_BYTES
from scheduler.core.tokens import hash_token
from scheduler.core.tokens import looks_like_token
from scheduler.core.tokens import new_token
from scheduler.models import BookingDraft
from scheduler.models import HelpRequest
from scheduler.models import Organisation

log = logging.getLogger(__name__)

#: Raw answers as a form posts them: each field name with its list of values.
RawAnswers = dict[str, list[str]]

#: Longest value kept for one field: the longest text a field accepts, with room to spare;
#: anything longer is refused by the form anyway.
VALUE_MAX = 4000


def find_draft(
    session: Session, org: Organisation, token: str | None, *, now: datetime, max_age: timedelta
) -> BookingDraft | None:
    """The visitor's draft, if its key is right and it is still fresh."""
    if not token or not looks_like_token(token):
        return None
    draft = session.scalars(
        sa.select(BookingDraft).where(
            BookingDraft.token_hash == hash_token(token),
            BookingDraft.organisation_id == org.id,
        )
    ).first()
    if draft is None or draft.updated_at < now - max_age:
        return None
    return draft


def open_draft(
    session: Session, org: Organisation, *, now: datetime, max_age: timedelta
) -> tuple[BookingDraft, str]:
    """A new, empty draft and the key to give the visitor; stale drafts are swept first."""
    forget_stale_drafts(session, now, max_age, commit=False)
    token, token_hash = new_token()
    draft = BookingDraft(
        organisation_id=org.id, token_hash=token_hash, answers={}, done_steps=[], created_at=now
    )
    draft.updated_at = now
    session.add(draft)
    session.commit()
    return draft, token


def save_step(
    session: Session,
    draft: BookingDraft,
    step: str,
    answers: Mapping[str, Iterable[str]],
    *,
    now: datetime,
    invalidates: Iterable[str] = (),
) -> None:
    """Keep one screen's accepted answers and mark the screen done.

    :param invalidates: screens whose answers depend on this one and must be asked again
        (their answers stay, so the person finds what they typed).
    """
    _store(draft, answers)
    dropped = set(invalidates)
    done = [s for s in (draft.done_steps or []) if s != step and s not in dropped]
    draft.done_steps = [*done, step]
    draft.updated_at = now
    session.commit()


def keep_answers(
    session: Session, draft: BookingDraft, answers: Mapping[str, Iterable[str]], *, now: datetime
) -> None:
    """Keep one screen's answers without marking it done: it is asked again in its turn,
    filled in with them. For a screen sent after the draft before it was erased: its
    answers were typed, but they were checked against answers that are gone."""
    _store(draft, answers)
    draft.updated_at = now
    session.commit()


def _store(draft: BookingDraft, answers: Mapping[str, Iterable[str]]) -> None:
    kept = dict(draft.answers or {})
    for name, values in answers.items():
        kept[name] = [str(v)[:VALUE_MAX] for v in values]
    draft.answers = kept


def discard_draft(session: Session, draft: BookingDraft) -> None:
    """Delete a draft (its request was sent, or the person started again)."""
    session.delete(draft)
    session.commit()


def claim_draft(session: Session, draft: BookingDraft) -> bool:
    """Take the draft to send it: True for the one send that deletes it, False when another
    send (a double tap) took it first. Does not commit: the request made from the answers
    commits with it, or a refusal rolls both back and the answers stay.

    The delete waits for a send of the same draft still in progress (a row lock on
    PostgreSQL, the write lock on SQLite), then finds nothing: two taps never make two
    requests.
    """
    taken = session.execute(
        sa.delete(BookingDraft)
        .where(BookingDraft.id == draft.id)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(taken, "rowcount", 0) or 0) == 1


def request_token(secret: str | bytes, draft_token: str) -> str:
    """The private-link secret of the request sent from the draft of key ``draft_token``.

    Derived from that key with the application's secret, so that the send that finds its
    draft already taken by a double tap can show the same confirmation (the browser shows
    whichever answer comes last). Unguessable without both; stored hashed like any other.
    """
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    digest = hmac.new(key, b"booking-request:" + draft_token.encode("utf-8"), "sha256")
    return base64.urlsafe_b64encode(digest.digest()[:TOKEN_BYTES]).decode("ascii").rstrip("=")


def already_sent(
    session: Session, org: Organisation, secret: str | bytes, draft_token: str
) -> str | None:
    """The private-link secret of the request already sent from the draft of key
    ``draft_token``, or None.

    A double tap whose second send arrives after the first one has finished carries the same
    draft key (the browser had not yet taken the first answer's cookie) and finds no draft:
    it was taken by the request. That answer must be the same confirmation, not "your
    answers were erased"."""
    if not looks_like_token(draft_token):
        return None
    token = request_token(secret, draft_token)
    found = session.scalars(
        sa.select(HelpRequest.id).where(
            HelpRequest.access_token_hash == hash_token(token),
            HelpRequest.organisation_id == org.id,
        )
    ).first()
    return token if found is not None else None


def forget_stale_drafts(
    session: Session, now: datetime, max_age: timedelta, *, commit: bool = True
) -> int:
    """Erase drafts untouched for ``max_age``; returns how many."""
    result = session.execute(sa.delete(BookingDraft).where(BookingDraft.updated_at < now - max_age))
    count = int(getattr(result, "rowcount", 0) or 0)
    if commit:
        session.commit()
    if count:
        log.info("Erased %d unsent booking drafts", count)
    return count
