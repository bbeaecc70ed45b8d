"""The REST API, ``/api/v1``, and its OpenAPI 3 document at ``/api/v1/openapi.json``.

Built on flask-smorest: it takes a plain Flask application and its blueprints, as
``create_app`` makes them, generates the OpenAPI document from the views' marshmallow
schemas, and validates with webargs. (APIFlask, the other candidate, documents routes of
an ``APIFlask`` application: the whole app would have to change class.)

The API answers only to Bearer tokens, so it needs no CSRF token and no session; every
call is counted against its token's rate limit.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from scheduler.core.extensions import csrf
from scheduler.core.extensions import limiter

from .auth import rate_key
from .auth import rate_limit
from .problems import ProblemApi

API_SETTINGS: dict[str, Any] = {
    "API_TITLE": "Escouade",
    "API_VERSION": "1.0",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}

#: Security scheme of every operation: an API token created by an administrator.
BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API token (esc_…), created and revoked by an administrator.",
}


def init_app(app: Flask) -> None:
    from . import index
    from . import operations

    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": "Refer people to the association and follow what became of "
                "them; read the organisation's requests, appointments and published plans. "
                "Errors are RFC 9457 problem details (application/problem+json)."
            },
            "security": [{"bearerAuth": []}],
        },
    )
    api = ProblemApi()
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", BEARER)
    csrf.exempt(operations.bp)
    # One budget per token for the whole API, whichever operations it calls.
    limiter.shared_limit(rate_limit, scope="api-v1", key_func=rate_key)(operations.bp)
    api.register_blueprint(operations.bp)
    app.extensions["escouade-api"] = api
    app.register_blueprint(index.bp)
