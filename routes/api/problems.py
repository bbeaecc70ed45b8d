"""RFC 9457 problem details: every error of ``/api/v1`` answers ``application/problem+json``.

The API's own errors, the validation of bodies and query strings (422, or 400 for a body
that is not JSON), unknown paths (404), wrong methods (405), tokens (401, 403) and rate
limits (429) all come out of :func:`problem_response`, so a client reads one shape. The
``type`` of each problem is a stable URI under ``/api/v1/problems/``, documented in
docs/api.md; ``errors`` names the fields at fault, as webargs reports them.
"""

from __future__ import annotations

import http
import math
import time
from typing import Any

import marshmallow as ma
from flask import Response
from flask import json
from flask import request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from routes.api.field_messages import translate_errors

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"
TYPE_BASE = "/api/v1/problems/"

#: A short code for each status the API answers with, in the problem's ``type``.
TYPES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    410: "gone",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    429: "too-many-requests",
    500: "server-error",
}


#: The ``detail`` of errors the framework raises (the router, body parsing, the limiter),
#: in the caller's language; ``title`` and ``type`` stay English and stable for programs.
DETAILS = {
    400: _l("The request could not be read: check its body and parameters."),
    404: _l("Nothing is found at this address."),
    405: _l("This method is not allowed at this address."),
    413: _l("What was sent is too large."),
    415: _l("Send JSON, with Content-Type: application/json."),
}


class ProblemSchema(ma.Schema):
    """What an error body holds (documentation only: :func:`problem_response` writes it)."""

    type = ma.fields.String(metadata={"description": "URI naming the kind of problem"})
    title = ma.fields.String(metadata={"description": "Short summary of the kind of problem"})
    status = ma.fields.Integer(metadata={"description": "The HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong this time"})
    instance = ma.fields.String(metadata={"description": "The path that was called"})
    code = ma.fields.String(metadata={"description": "A stable code for programs to test"})
    errors = ma.fields.Dict(
        metadata={"description": "Fields at fault, by location then name, with messages"}
    )


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    errors: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An ``application/problem+json`` response of ``status``."""
    try:
        title = http.HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, Any] = {
        "type": TYPE_BASE + TYPES.get(status, str(status)),
        "title": title,
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.vary.add("Accept-Language")
    if status < 500:
        # ``detail`` follows the caller's Accept-Language (routes.context.chosen_language).
        # Not for a fault of ours: choosing the language may need the database that failed.
        response.headers["Content-Language"] = str(get_locale()).replace("_", "-")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _seconds_to_wait() -> int:
    """Until the token's budget is renewed (RFC 9110 ``Retry-After``), so that a client
    backs off for as long as needed instead of guessing; 1 when the limiter cannot say."""
    from scheduler.core.extensions import limiter

    current = limiter.current_limit
    if current is None:
        return 1
    return max(1, math.ceil(current.reset_at - time.time()))


def problem_from_http_error(error: HTTPException) -> Response:
    """The problem for an HTTP error raised anywhere under ``/api/`` (a view's ``abort``,
    webargs' validation, the router's 404 and 405, Flask-Limiter's 429)."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers: dict[str, str] = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="escouade"'
    headers.update(data.get("headers") or {})
    errors = translate_errors(data.get("errors") or data.get("messages"))
    detail = data.get("message")
    if detail is None and errors:
        detail = _("Some values are missing or not valid: see errors.")
    if status == 429:
        # The limiter's own words ("120 per 1 minute") are English only: the detail says
        # instead, in the caller's language, how long to wait, as Retry-After does.
        retry_after = headers.setdefault("Retry-After", str(_seconds_to_wait()))
        seconds = int(retry_after) if retry_after.isdigit() else 1
        if detail is None:
            detail = ngettext(
                "Too many calls: wait %(num)d second, then try again.",
                "Too many calls: wait %(num)d seconds, then try again.",
                seconds,
            )
    if detail is None and status in DETAILS:
        detail = str(DETAILS[status])
    if detail is None and status != 500:
        detail = error.description
    return problem_response(status, detail, code=data.get("code"), errors=errors, headers=headers)


class ProblemApi(Api):
    """flask-smorest's ``Api``, answering and documenting errors as problem details.

    flask-smorest would register its own JSON handler for every ``HTTPException`` of the
    whole application; the staff and public pages keep their HTML error pages, so
    ``routes.errors`` sends only the API's errors here instead.
    """

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        return None

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)
