"""``Idempotency-Key`` on ``POST /requests``: a partner's software that sends the same
referral again (a time-out, a retry, two workers at once) creates it once.

The key is the caller's; it is stored as a digest of the token and the key, so that two
tokens' keys never meet and no other token can learn what a key created. The claim goes
through :mod:`scheduler.core.submissions`, the staff forms' one-use keys: it is taken in
the transaction that creates the request, and rolled back with it when the answers are
refused, so the corrected body may be sent with the same key. Keys are kept two days
(:data:`scheduler.core.submissions.KEPT_FOR`).

A digest of the body (its canonical JSON: key order and spacing do not count) is kept with
the key: the same key with another body is a mistake of the caller's program, refused with
a 422 as the IETF Idempotency-Key draft advises, rather than answered with what another
body created. A key stored before the digest was kept (its ``fingerprint`` is empty) cannot
be compared: its repeats are answered with what the first call created, as they were when
it was stored; such keys are gone two days later.

A repeat answers with what the first call created as it stands now: the request it was
merged into, when a dispatcher merged it (:func:`scheduler.api.reads.created_request`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response
from flask import g
from flask import request
from flask_babel import gettext as _

from scheduler.core import submissions
from scheduler.core.extensions import db
from scheduler.models import ApiToken
from scheduler.models import utcnow

from .problems import problem_response

HEADER = "Idempotency-Key"
KEY_MAX = 255
FORM = "api_request"


def _stored_key(token: ApiToken, key: str) -> str:
    return hashlib.sha256(f"api:{token.id}:{key}".encode()).hexdigest()


def _fingerprint() -> str:
    """The digest of the call's body as JSON, the same whatever its key order or spacing."""
    body = request.get_json(silent=True)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(token: ApiToken) -> Response | str | None:
    """Take the call's key, if it sent one.

    :return: None when there is no key or this is its first use (the key then waits in
        the session for the creation's commit); a 422 problem for a malformed key or a
        key already used with another body, a 409 while the first call with this key is
        still creating; otherwise the ``Location`` of what the first call created.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= KEY_MAX or not all("!" <= c <= "~" for c in key):
        message = _(
            "Send a key of 1 to %(limit)d visible ASCII characters, such as a UUID.",
            limit=KEY_MAX,
        )
        return problem_response(
            422, message, code="idempotency_key", errors={"header": {HEADER: [message]}}
        )
    stored = _stored_key(token, key)
    fingerprint = _fingerprint()
    earlier = submissions.claim(
        db.session(), stored, form=FORM, user_id=None, now=utcnow(), fingerprint=fingerprint
    )
    if earlier is None:
        g.api_idempotency_key = stored
        return None
    # A key from before digests were kept has none to compare: answered as it was then.
    if earlier.fingerprint is not None and earlier.fingerprint != fingerprint:
        message = _(
            "This Idempotency-Key was already used for another request: "
            "send a new key with a new body."
        )
        return problem_response(
            422, message, code="idempotency_key_reused", errors={"header": {HEADER: [message]}}
        )
    if earlier.target is None:
        response = problem_response(
            409,
            _("A request with this Idempotency-Key is still being created: try again."),
            code="in_progress",
        )
        response.headers["Retry-After"] = "1"
        return response
    return earlier.target


def settle(location: str) -> None:
    """Remember where the first call's request is, for the calls that repeat it."""
    stored = g.pop("api_idempotency_key", None)
    if stored is not None:
        submissions.settle(db.session(), stored, location)


def replayed_headers(location: str) -> dict[str, Any]:
    return {"Location": location, "Idempotent-Replayed": "true"}
