"""What ``/api`` and ``/api/v1`` answer: where the API's description and documentation are.

A partner's developer given "the API is at /api/v1" tries that address first; a 404 there
reads as "no API here". These two addresses answer instead, without a token, a small JSON
document naming the OpenAPI document, the human documentation and the token to ask for,
with RFC 8631 ``Link`` headers (``service-desc``) for tools that follow them. They are
plain Flask views, outside the OpenAPI document: they are not operations of the API.
"""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _

bp = Blueprint("api_index", __name__)

#: Where the human documentation of the API lives, in Escouade's source.
DOCUMENTATION = "docs/api.md"


@bp.get("/api", strict_slashes=False)
@bp.get("/api/v1", strict_slashes=False)
def index() -> Response:
    openapi = url_for("api-docs.openapi_json", _external=True)
    response = jsonify(
        {
            "title": "Escouade API",
            "detail": _(
                "The description of this API (OpenAPI 3) is at %(openapi)s; its documentation "
                "is %(documentation)s. Every operation needs an API token (Authorization: "
                "Bearer esc_…), created by an administrator of the association.",
                openapi=openapi,
                documentation=DOCUMENTATION,
            ),
            "versions": {"v1": openapi.rsplit("/", 1)[0]},
            "openapi": openapi,
            "documentation": DOCUMENTATION,
        }
    )
    response.headers["Link"] = f'<{openapi}>; rel="service-desc"; type="application/json"'
    response.headers["Content-Language"] = str(get_locale()).replace("_", "-")
    response.vary.add("Accept-Language")
    return response
