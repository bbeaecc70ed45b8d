"""Reading the API's JSON bodies: what Python's reader gives up on is invalid JSON too.

webargs turns a malformed body into a 400 problem, but only for ``JSONDecodeError``. Text
that is well-formed yet beyond the reader (arrays nested past the recursion limit, an
integer of thousands of digits, refused since Python 3.11) raises ``RecursionError`` or
``ValueError`` instead, which would answer 500. They get the same 400 here.

Every unreadable body, bytes that are not UTF-8 included, is told so in the caller's
language, with the code ``invalid_json``: not that "values are missing", which would send
the caller looking at the fields.

A body sent as another type (``text/plain``, a form) would be ignored by webargs, and the
caller told that every field is missing; it gets 415, which says to send JSON.
"""

from __future__ import annotations

import json
from typing import Any
from typing import NoReturn

import flask
from flask import abort
from flask_babel import gettext as _
from webargs.flaskparser import FlaskParser
from webargs.flaskparser import abort as abort_with_data
from webargs.flaskparser import is_json_request

#: The problem's code for a body that is not readable JSON, for programs to test.
INVALID_JSON = "invalid_json"


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

    def _handle_invalid_json_error(
        self,
        error: json.JSONDecodeError | UnicodeDecodeError,
        req: flask.Request,
        *args: Any,
        **kwargs: Any,
    ) -> NoReturn:
        message = _("The body could not be read as JSON encoded in UTF-8: check it.")
        abort_with_data(
            400, exc=error, message=message, messages={"json": [message]}, code=INVALID_JSON
        )
