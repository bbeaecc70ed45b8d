"""Reading the API's JSON bodies: what Python's reader gives up on is invalid JSON too.

webargs turns a malformed body into a 400 problem, but only for ``JSONDecodeError``. Text
that is well-formed yet beyond the reader (arrays nested past the recursion limit, an
integer of thousands of digits, refused since Python 3.11) raises ``RecursionError`` or
``ValueError`` instead, which would answer 500. They get the same 400 here.
"""

from __future__ import annotations

import json
from typing import Any

import flask
from webargs.flaskparser import FlaskParser


class ApiParser(FlaskParser):
    """The API's argument parser: every body it cannot read is an invalid JSON body."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        try:
            return super()._raw_load_json(req)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError) as error:
            # A non-empty document: webargs reads an empty one as "no body at all".
            raise json.JSONDecodeError(type(error).__name__, "?", 0) from None
