"""The base of the pages' forms: Flask-WTF's, with the CSRF token rendered without an id.

Flask-WTF writes ``<input id="csrf_token" name="csrf_token" type="hidden">`` for every
form, so a page with two forms (a filter and an action, an edit and a publish) holds the
same id twice, which HTML forbids and which makes ``getElementById`` and a label's ``for``
unreliable. Nothing points at a hidden token, so it needs no id; everything else is
Flask-WTF's.
"""

from __future__ import annotations

from typing import Any

import flask_wtf
from wtforms import Field


class FlaskForm(flask_wtf.FlaskForm):
    class Meta:
        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
            if field.type == "CSRFTokenField":
                # An explicit id given by a template still wins.
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)  # type: ignore[misc]
