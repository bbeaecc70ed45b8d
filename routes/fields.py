"""Form fields, filters and validators shared by the pages' forms.

Text is trimmed and cleaned of control characters, ids are read without trusting them, and
choices are checked against what the form offered, so a tampered post gets a message
beside its field rather than an error page.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms import Field
from wtforms import SelectMultipleField
from wtforms import validators
from wtforms import widgets

from routes.forms import FlaskForm
from scheduler.core.validation import plain_number
from scheduler.models import Mode
from scheduler.models import Referral

# Control characters other than tab and newline: never meaningful in a form, and
# PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any) -> Any:
    """Trim, drop control characters and keep newlines as "\\n". Text stays text."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def one_line(value: Any) -> Any:
    """Like :func:`clean_text` for single-line answers: newlines become spaces."""
    value = clean_text(value)
    return " ".join(value.split()) if isinstance(value, str) else value


def int_or_none(value: Any) -> int | None:
    """Read a submitted id; anything that is not a plain number is "no choice"."""
    if isinstance(value, int):
        return value
    return plain_number(str(value or ""), max_digits=12)


def referral_or_none(value: Any) -> Referral | None:
    if isinstance(value, Referral):
        return value
    try:
        return Referral(str(value))
    except ValueError:
        return None


def mode_or_none(value: Any) -> Mode | None:
    if isinstance(value, Mode):
        return value
    try:
        return Mode(str(value))
    except ValueError:
        return None


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes under one name; the templates lay them out."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class LocalDateField(DateField):
    """A date from the browser's date picker (2026-12-15) or typed as 15/12/2026."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"])
        kwargs.setdefault(
            "invalid_value_message",
            _l("Enter the date as day/month/year, for example 15/12/2026."),
        )
        super().__init__(*args, **kwargs)


class AtLeastOne:
    """A multi-choice answer with at least one box ticked."""

    def __init__(self, message: Any) -> None:
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.data:
            raise validators.StopValidation(str(self.message))


class OfferedChoices:
    """Every submitted value is one the form offered (what was sent, before reading it)."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        offered = {str(c.value) for c in field.choices or ()}
        if any(str(raw) not in offered for raw in field.raw_data or ()):
            raise validators.StopValidation(str(self.message))


class MaxText:
    """No longer than the form's free-text limit (``[BOOKING] max_text``) or ``limit``."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit

    def __call__(self, form: FlaskForm, field: Field) -> None:
        limit: int = self.limit or int(getattr(form, "max_text", 1000))
        length = len(field.data or "")
        if length > limit:
            raise validators.StopValidation(shorten_message(limit, length))


def shorten_message(limit: int, length: int) -> str:
    """What a text over its limit says, with both figures, so that the person knows by
    how much to shorten it (every form, and the services' ``too_long`` refusals)."""
    return _(
        "Please shorten this to %(max)s characters or fewer (it has %(num)s).",
        max=limit,
        num=length,
    )
