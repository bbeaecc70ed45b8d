"""Who calls the API: a Bearer token, checked before every operation, and its rate limit.

An unknown, revoked or expired token gets 401 (the three alike, so a caller learns
nothing about tokens it does not hold); a live token without the operation's scope, or a
partner's token on a staff operation, gets 403. Calls are counted per token (a hash of
the secret, never the secret itself, is the key in the rate-limit store), and per address
when no token is presented.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any
from typing import TypeVar

from flask import g
from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from routes.context import settings
from scheduler.api.tokens import TokenProblem
from scheduler.api.tokens import authenticate
from scheduler.core.extensions import db
from scheduler.models import ApiScope
from scheduler.models import ApiToken
from scheduler.models import utcnow

from .problems import problem_response

F = TypeVar("F", bound=Callable[..., Any])

#: What a 401 says: the same words for a missing, unknown, revoked or expired token.
_NOT_VALID = _l("This token is not valid: it is unknown, revoked or expired.")
UNAUTHORIZED = {
    TokenProblem.MISSING: _l("Send a token: Authorization: Bearer <token>."),
    TokenProblem.UNKNOWN: _NOT_VALID,
    TokenProblem.REVOKED: _NOT_VALID,
    TokenProblem.EXPIRED: _NOT_VALID,
}


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def rate_key() -> str:
    """The rate-limit bucket of this call: its token's hash, else the caller's address."""
    secret = bearer_secret()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()
    return "api-address:" + get_remote_address()


def rate_limit() -> str:
    return settings().api.rate_limit


def current_token() -> ApiToken:
    token: ApiToken = g.api_token
    return token


def token_required(scope: ApiScope, *, staff: bool = False) -> Callable[[F], F]:
    """Let the view run only for a live token holding ``scope`` (and, with ``staff``, one
    that is not a partner's)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            found = authenticate(db.session(), bearer_secret(), utcnow())
            if isinstance(found, TokenProblem):
                return problem_response(
                    401,
                    str(UNAUTHORIZED[found]),
                    code="token_" + found.value if found is TokenProblem.MISSING else "token",
                    headers={"WWW-Authenticate": 'Bearer realm="escouade"'},
                )
            if not found.has_scope(scope):
                return problem_response(
                    403,
                    _("This token does not have the scope %(scope)s.", scope=scope.value),
                    code="scope",
                )
            if staff and found.is_partner:
                return problem_response(
                    403, _("A partner's token cannot use this operation."), code="staff_only"
                )
            g.api_token = found
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
