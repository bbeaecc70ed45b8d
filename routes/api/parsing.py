"""Reading the API's JSON bodies: what Python's reader gives up on is invalid JSON too.

webargs turns a malformed body into a 400 problem, but only for ``JSONDecodeError``. Text
that is well-formed yet beyond the reader (arrays nested past the recursion limit, an
integer of thousands of digits, refused since Python 3.11) raises ``RecursionError`` or
``ValueError`` instead, which would answer 500. They get the same 400 here.

A body sent as another type (``text/plain``, a form) would be ignored by webargs, and the
caller told that every field is missing; it gets 415, which says to send JSON.
"""

from __future__ import annotations

import json
from typing import Any

import flask
from flask import abort
from webargs.flaskparser import FlaskParser
from webargs.flaskparser import is_json_request


class ApiParser(FlaskParser):
    """The API's argument parser: every body it cannot read is an invalid JSON body."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req) and req.get_data(cache=True):
            abort(415)
        try:
            return super()._raw_load_json(req)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError) as error:
            # A non-empty document: webargs reads an empty one as "no body at all".
            raise json.JSONDecodeError(type(error).__name__, "?", 0) from None
