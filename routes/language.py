"""The language switch: remembered in the session, works without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint
from flask import abort
from flask import redirect
from flask import request
from flask import session
from werkzeug.wrappers import Response

from routes.context import any_language

bp = Blueprint("language", __name__)


def safe_next(target: str | None, fallback: str = "/") -> str:
    """A local path to go back to; anything pointing elsewhere becomes the fallback.

    So does a path with a control character (a line break would end the ``Location``
    header, and the server refused to answer) or a backslash (which browsers read as
    ``/``, making ``/\\evil.example`` another site).
    """
    if not target:
        return fallback
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.get("/language/<code>")
def switch(code: str) -> Response:
    if code not in any_language():
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")))
