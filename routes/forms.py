"""The base of the pages' forms: Flask-WTF's, with the CSRF token rendered without an id,
and only form posts read as forms.

Flask-WTF writes ``<input id="csrf_token" name="csrf_token" type="hidden">`` for every
form, so a page with two forms (a filter and an action, an edit and a publish) holds the
same id twice, which HTML forbids and which makes ``getElementById`` and a label's ``for``
unreliable. Nothing points at a hidden token, so it needs no id.

Flask-WTF also reads a JSON body as the form. No page sends one (the pages' forms are HTML
forms; the API has its own schemas), and JSON puts objects, lists and numbers where every
field expects text, which the validators (the e-mail one, the filters) do not survive: a
script's JSON post answered 500. A JSON body is read as an empty form, which each form
answers with its own messages.

A form sent with a token that had only expired (:mod:`routes.expired_forms`) is refused
whatever it holds, with a word saying so; the page shows it again as typed, with a fresh
token. Everything else is Flask-WTF's.
"""

from __future__ import annotations

from typing import Any

import flask_wtf
from flask import request
from flask_wtf.form import _Auto
from wtforms import Field

from routes.expired_forms import is_expired_post
from routes.expired_forms import note_expired


class FlaskForm(flask_wtf.FlaskForm):
    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        if not is_expired_post():
            return valid
        # The summary of errors would add "The form expired" to the sentence said once.
        csrf = getattr(self, "csrf_token", None)
        if csrf is not None:
            csrf.errors = []
        note_expired()
        return False

    class Meta:
        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
            if field.type == "CSRFTokenField":
                # An explicit id given by a template still wins.
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)  # type: ignore[misc]

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is _Auto and request.is_json and not request.form and not request.files:
                return None
            return super().wrap_formdata(form, formdata)  # type: ignore[misc]
