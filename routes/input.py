"""What every page reads from a request: query and form values without bidi controls.

One request class for the whole application, so that every form (and every query
parameter) gets the same cleaning without each form remembering it: the values are
cleaned when Werkzeug builds ``request.args`` and ``request.form``.
"""

from __future__ import annotations

from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.datastructures import MultiDict

from scheduler.core.text import strip_bidi


def _clean(value: Any) -> Any:
    return strip_bidi(value) if isinstance(value, str) else value


class CleanParameters(ImmutableMultiDict[str, Any]):
    """Query or form values, each stripped of bidirectional control characters."""

    def __init__(self, mapping: Any = None) -> None:
        pairs = MultiDict(mapping).items(multi=True) if mapping is not None else ()
        super().__init__([(_clean(key), _clean(value)) for key, value in pairs])


class CleanRequest(Request):
    parameter_storage_class = CleanParameters
