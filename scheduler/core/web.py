"""How the web application sits in production: behind reverse proxies, with several workers.

Two things must hold there for the rate limits (public form, sign-in, feeds) to mean
anything: the visitor's address must be the one the trusted proxy saw, not the proxy's
own (:func:`trust_proxies`), and every worker must count in one shared store, not each in
its own memory (:func:`shared_limits_problem`, which ``gunicorn.conf.py`` checks before
starting any worker).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from scheduler.core.settings import ConfigurationError


def trusted_proxies(config: Mapping[str, Any]) -> int:
    """``[PROXY_FIX] trusted_proxies``: how many reverse proxies stand in front of the
    service, each adding itself to X-Forwarded-For (0: none, the visitor connects directly).

    :raises ConfigurationError: not a whole number from 0 to 5.
    """
    value = (config.get("PROXY_FIX") or {}).get("trusted_proxies", 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
        raise ConfigurationError("[PROXY_FIX] trusted_proxies must be a whole number from 0 to 5.")
    return value


def trust_proxies(app: Flask, count: int) -> None:
    """Read the visitor's address, scheme and host from the last ``count`` proxies'
    X-Forwarded-* headers. Nothing changes when ``count`` is 0: a client could otherwise
    write any address into the header and get a fresh rate-limit bucket each time."""
    if count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )


def shared_limits_problem(storage_uri: str | None, workers: int) -> str | None:
    """Why ``workers`` web processes cannot start with this limiter store, or None.

    With ``memory://`` each process counts on its own: three workers let three times the
    bookings through, and more as workers restart.
    """
    uri = (storage_uri or "memory://").strip()
    if workers > 1 and uri.startswith("memory://"):
        return (
            f"{workers} web workers would each keep their own rate-limit counts "
            "(RATELIMIT_STORAGE_URI is memory://), so the booking and sign-in limits would "
            "not hold. Set ESCOUADE_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (a shared "
            "Redis), or run a single worker (-w 1)."
        )
    return None
