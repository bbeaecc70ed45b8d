"""Shared parts of the weekly editors (volunteers' availability, sites' openings).

Time fields that read "9", "9 h 30" or "09:30", day names from the locale data
(never our own catalogue), readable times and hours, and the sentences for the
row problems that :mod:`scheduler.people.availability` and
:mod:`scheduler.organisation.sites` report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from datetime import time
from typing import Any

from babel.dates import format_date
from babel.dates import format_interval
from babel.dates import get_day_names
from babel.numbers import format_decimal
from flask.sansio.app import App
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import Field
from wtforms import Form
from wtforms import StringField
from wtforms.widgets import TextInput
from wtforms.widgets import TimeInput

from scheduler.core.i18n import clock_text
from scheduler.core.phones import format_phone
from scheduler.core.weekly import RowProblem
from scheduler.core.weekly import WindowProblem
from scheduler.organisation.sites import OpeningProblem

_CLOCK = re.compile(r"^(\d{1,2})\s*(?:(?:[:hH.]\s*)(\d{2})?)?(?::\d{2})?$")


def parse_clock(text: str) -> time | None:
    """A wall-clock time from "9", "9h", "9 h 30", "09:30" or "09:30:00"; None if unreadable."""
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


class RowForm(Form):
    """A row nested in a page's form (``FieldList(FormField(...))``).

    A plain WTForms form speaks English: only Flask-WTF's top-level form loads WTForms'
    own catalogue. A row's messages (a hidden weekday tampered with, a required field
    left out) must follow the page's language like the rest of it.
    """

    class Meta:
        def get_translations(self, form: Form) -> Any:
            return wtforms_translations


class ClockField(StringField):
    """A time of day; a time picker in browsers, and forgiving of typed times elsewhere."""

    widget = TimeInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"step": 300})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        self.data = parse_clock(valuelist[0])
        if self.data is None:
            raise ValueError(_("Enter a time such as 9:30."))

    def _value(self) -> str:
        if isinstance(self.data, time):
            return self.data.strftime("%H:%M")
        return self.raw_data[0] if self.raw_data else ""


class DecimalTextField(StringField):
    """A number that may be written with a decimal comma (2,5) or a dot (2.5)."""

    widget = TextInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        text = valuelist[0].strip().replace(",", ".").replace("\u2212", "-")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(_("Enter a number, such as 2.5.")) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("Enter a number, such as 2.5."))
        self.data = value

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(self.data, ".6f").rstrip("0").rstrip(".")


def day_names() -> dict[int, str]:
    """Monday = 0 … Sunday = 6, in the page's language, capitalised for lists and legends."""
    names = get_day_names("wide", context="stand-alone", locale=get_locale())
    return {d: names[d][:1].upper() + names[d][1:] for d in range(7)}


def day_name(weekday: int) -> str:
    return day_names().get(weekday, str(weekday))


def clock(value: time) -> str:
    """A time as people write it: "9 h", "13 h 30" in French, "1:30 p.m." in English
    (the same as in calendars: :func:`scheduler.core.i18n.clock_text`)."""
    return clock_text(value, get_locale())


def time_range(starts: time, ends: time) -> str:
    return _("%(start)s to %(end)s", start=clock(starts), end=clock(ends))


def hours(minutes: int | None) -> str:
    """Minutes as hours: "16 h", "7,5 h"."""
    if minutes is None:
        return ""
    return _("%(hours)s h", hours=format_decimal(round(minutes / 60, 2), locale=get_locale()))


def long_date(day: date) -> str:
    return format_date(day, "full", locale=get_locale())


def date_range(first: date, last: date) -> str:
    if first == last:
        return long_date(first)
    return format_interval(first, last, "yMMMEd", locale=get_locale())


ROW_MESSAGES: dict[str, Any] = {
    WindowProblem.WEEKDAY: _l("Choose a day of the week."),
    WindowProblem.INCOMPLETE: _l("Enter both a start and an end time."),
    WindowProblem.ORDER: _l("The end must be after the start."),
    WindowProblem.TOO_MANY: _l("That is too many time slots for one day."),
    OpeningProblem.VOLUNTEERS: _l("Enter how many volunteers are needed, from 1 to 20."),
    OpeningProblem.VISITORS: _l("Enter a number of visitors an hour from 0 to 60."),
}


def row_message(problem: RowProblem, rows: Sequence[tuple[time | None, time | None]]) -> str:
    """The sentence for one row's problem; an overlap names the time slot it collides with."""
    if problem.code == WindowProblem.OVERLAP and problem.other is not None:
        starts, ends = rows[problem.other]
        if starts is not None and ends is not None:
            return _(
                "This time slot overlaps another one on the same day (%(slot)s).",
                slot=time_range(starts, ends),
            )
        return _("This time slot overlaps another one on the same day.")
    return str(ROW_MESSAGES.get(problem.code, _l("Check this row.")))


def row_errors(entries: Sequence[Field]) -> dict[int, list[str]]:
    """Messages of the sub-fields of a list of row forms, by row index."""
    found: dict[int, list[str]] = {}
    for index, entry in enumerate(entries):
        messages = [m for sub in entry.form if sub.errors for m in sub.errors]  # type: ignore[attr-defined]
        if messages:
            found[index] = messages
    return found


def init_weekly_helpers(app: App) -> None:
    """Template names for the weekly editors and people's pages."""
    from routes.context import current_organisation
    from scheduler.core.i18n import language_name

    def phone(value: str | None) -> str:
        org = current_organisation()
        return format_phone(value, org.country if org is not None else "CA")

    def number(value: float | int) -> str:
        return format_decimal(value, locale=get_locale())

    def language_label(code: str) -> str:
        return language_name(code, str(get_locale()))

    app.jinja_env.globals.update(day_name=day_name, day_names=day_names)
    app.jinja_env.filters.update(
        clock=clock,
        hours=hours,
        phone=phone,
        number=number,
        language_label=language_label,
        long_date=long_date,
        time_range=lambda pair: time_range(*pair),
    )
    app.jinja_env.globals["date_range"] = date_range
