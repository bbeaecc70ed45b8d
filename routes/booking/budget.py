"""How many requests one address may send from the public form (``[BOOKING] rate_limit``).

Only requests that are kept (and robots caught) count, so the budget cannot be spent
before the request is known to be kept; yet checking first and counting after lets every
request in flight through at once (with three workers, 12 of 40 against a limit of 10).
So the budget is claimed in one atomic step (an increment in the shared store, Redis in
production) just before the request is stored, and a request that finds it spent stores
nothing. If the store stops answering, the limit is not applied rather than the form
failing: Flask-Limiter's in-memory fallback takes over for the other limits meanwhile.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem
from limits import parse_many

from routes.context import settings
from scheduler.core.extensions import limiter

NAMESPACE = "booking-accepted"

log = logging.getLogger(__name__)


def _items() -> list[RateLimitItem]:
    return list(parse_many(settings().booking.rate_limit))


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def budget_left() -> bool:
    """Whether this address may still have a request kept (read only, counts nothing)."""
    if not _enabled():
        return True
    try:
        address = get_remote_address()
        return all(limiter.limiter.test(item, NAMESPACE, address) for item in _items())
    except Exception:  # the shared store is down: serve, and say so in the log
        log.warning("booking budget not checked: the rate-limit store does not answer")
        return True


def claim_budget() -> bool:
    """Count one kept request for this address, atomically; False when it is spent."""
    if not _enabled():
        return True
    try:
        address = get_remote_address()
        return all(limiter.limiter.hit(item, NAMESPACE, address) for item in _items())
    except Exception:
        log.warning("booking budget not counted: the rate-limit store does not answer")
        return True
