"""What the request pages show, in the page's language: the availability grid, opening
hours, a request's summary and where it stands. Shared by the public pages and the
phone intake; only presentation lives here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from typing import Any

from babel.dates import get_day_names
from flask import current_app
from flask_babel import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from wtforms import Field

from routes.booking.words import MODE_LABELS
from routes.booking.words import NEED_LABELS
from routes.booking.words import REFERRAL_LABELS
from scheduler.core.i18n import clock_text
from scheduler.core.i18n import language_name
from scheduler.core.i18n import list_separator
from scheduler.core.i18n import native_language_name
from scheduler.core.phones import typed_phone_text
from scheduler.models import Appointment
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Need
from scheduler.models import RequestStatus
from scheduler.models import Site
from scheduler.requests.booking_options import BookingOptions
from scheduler.requests.booking_options import parse_slot
from scheduler.requests.booking_options import slot_code
from scheduler.requests.private_link import arrival_window

NBSP = "\u00a0"

PERIOD_LABELS = {"am": _l("Morning"), "pm": _l("Afternoon"), "eve": _l("Evening")}

#: Where a request stands, in the words of the person who asked.
STATUS_WORDS = {
    RequestStatus.NEW: (
        _l("We have received your request"),
        _l("A coordinator will read it and call you to plan the help."),
    ),
    RequestStatus.TRIAGED: (
        _l("We are looking for a volunteer"),
        _l("A coordinator has read your request. We are looking for the right volunteer."),
    ),
    RequestStatus.PLANNED: (
        _l("A volunteer has been found"),
        _l("We will call you to agree on the time."),
    ),
    RequestStatus.CONFIRMED: (
        _l("Your appointment is confirmed"),
        _l("The details are below."),
    ),
    RequestStatus.DONE: (_l("The help was given"), _l("Thank you for your trust.")),
    RequestStatus.CANCELLED: (
        _l("This request is cancelled"),
        _l("You can ask for help again at any time."),
    ),
    RequestStatus.NO_SHOW: (
        _l("We missed each other"),
        _l("You can ask for help again at any time."),
    ),
}


def locale_name() -> str:
    return str(get_locale() or "fr")


def weekday_name(weekday: int) -> str:
    name = get_day_names("wide", locale=locale_name())[weekday]
    return name[:1].upper() + name[1:]


def clock(value: time) -> str:
    """A wall-clock time as every other page, message and calendar writes it: "9 h",
    "9 h 45" in French (Québec and France), "9:45 AM" in English
    (:func:`scheduler.core.i18n.clock_text`); never split across lines."""
    return clock_text(value, locale_name()).replace(" ", NBSP).replace("\u202f", NBSP)


def moment_clock(moment: datetime) -> str:
    """An aware instant's time of day in the organisation's zone, as :func:`clock` writes it."""
    return clock(to_user_timezone(moment).time())


def time_range(start: time, end: time) -> str:
    """Local wall-clock hours as people read them: "9 h – 12 h", "9:00 AM – 12:00 PM"."""
    return f"{clock(start)}{NBSP}– {clock(end)}"


@dataclass(frozen=True)
class GridCell:
    id: str
    value: str
    checked: bool
    label: str


@dataclass(frozen=True)
class GridRow:
    day: str
    cells: list[GridCell]


def availability_grid(field: Field, options: BookingOptions) -> list[GridRow]:
    """Rows of the weekday × period grid; ids follow the field's choices (availability-0…)."""
    index = {code: i for i, code in enumerate(options.slot_codes())}
    chosen = set(field.data or [])
    rows = []
    for day in options.weekdays:
        cells = []
        for period in options.period_codes:
            code = slot_code(day, period)
            cells.append(
                GridCell(
                    id=f"{field.id}-{index[code]}",
                    value=code,
                    checked=code in chosen,
                    label=slot_words(day, period),
                )
            )
        rows.append(GridRow(day=weekday_name(day), cells=cells))
    return rows


def slot_words(weekday: int, period: str) -> str:
    """One cell of the grid in words: "Mardi matin", "Tuesday morning"."""
    return f"{weekday_name(weekday)} {str(PERIOD_LABELS[period]).lower()}"


def period_headers(options: BookingOptions) -> list[tuple[str, str]]:
    return [(str(PERIOD_LABELS[code]), time_range(a, b)) for code, a, b in options.periods]


def listed(items: Iterable[str]) -> str:
    """Items one after the other with the language's comma: "Mardi matin, Jeudi soir",
    "… ، …" in Arabic (:func:`scheduler.core.i18n.list_separator`)."""
    return list_separator(locale_name()).join(str(item) for item in items)


def opening_lines(site: Site) -> list[str]:
    """ "Mardi, 9 h – 10 h" for each weekly opening of a site (local times), with the
    language's comma ("الثلاثاء، …" in Arabic)."""
    comma = list_separator(locale_name())
    return [
        f"{weekday_name(o.weekday)}{comma}{time_range(o.starts, o.ends)}" for o in site.openings
    ]


def language_choice(code: str) -> dict[str, str]:
    """A language as its speakers write it, with its name in the page's language when different."""
    native = native_language_name(code)
    local = language_name(code, locale_name())
    return {
        "code": code,
        "native": native,
        "local": local if local.casefold() != native.casefold() else "",
    }


def availability_words(request: HelpRequest, options: BookingOptions) -> list[str]:
    if request.any_time:
        return [str(_l("Any time"))]
    words = []
    for code in request.availability:
        slot = parse_slot(code)
        if slot is not None and slot[1] in PERIOD_LABELS:
            words.append(slot_words(*slot))
    return words


def need_words(request: HelpRequest) -> list[str]:
    return [str(NEED_LABELS[Need(n)][0]) for n in request.needs if n in set(Need)]


def mode_words(mode: Mode) -> str:
    return str(MODE_LABELS[mode][0])


def referral_words(request: HelpRequest) -> str:
    return str(REFERRAL_LABELS[request.referral]) if request.referral else ""


#: Once the plan is published, the page shows the day: no more "we will call you".
PLANNED_WITH_DAY = _l("The day and the time are below. If something changes, we call you.")


def status_words(status: RequestStatus, *, day_shown: bool = False) -> tuple[str, str]:
    title, text = STATUS_WORDS[status]
    if status is RequestStatus.PLANNED and day_shown:
        text = PLANNED_WITH_DAY
    return str(title), str(text)


def day_words(day: date) -> str:
    """A day in full, as a line starts: "Mardi 1 décembre 2026", "Tuesday, December 1, 2026"."""
    words = format_date(day, "full")
    return words[:1].upper() + words[1:]


def when_words(moment: datetime) -> str:
    """An appointment's start in the organisation's zone: "mercredi 25 novembre 2026, 10 h"."""
    return f"{format_date(moment, 'full')}, {moment_clock(moment)}"


@dataclass(frozen=True)
class AppointmentWords:
    """When an appointment is, as the person reads it on their request page."""

    day: str
    #: "10 h", or for a home visit the window of arrival, a phrase of its own in each
    #: language: "entre 9 h 45 et 10 h 15", "between 9:45 AM and 10:15 AM".
    time: str
    arrival_window: bool


def appointment_words(appointment: Appointment) -> AppointmentWords:
    day = day_words(appointment.starts_at)
    if appointment.kind is Mode.HOME:
        first, last = arrival_window(appointment)
        start, end = moment_clock(first), moment_clock(last)
        return AppointmentWords(day, _("between %(start)s and %(end)s", start=start, end=end), True)
    return AppointmentWords(day, moment_clock(appointment.starts_at), False)


def appointment_place(appointment: Appointment, request: HelpRequest) -> dict[str, Any]:
    site = appointment.site or request.site
    return {
        "mode": appointment.kind,
        "site": site,
        "address": request.address,
        "municipality": request.municipality.name if request.municipality else "",
    }


def feeds_link_available() -> bool:
    return "feeds.request_ics" in current_app.view_functions


@dataclass(frozen=True)
class AnswerRow:
    """One line of the check page: a question, the answer, and where to change it."""

    key: str
    question: str
    lines: list[str]
    change_url: str


def answer_summary(form: Any, org: Any, change_urls: dict[str, str]) -> list[AnswerRow]:
    """The answers of a complete form as the person gave them, screen by screen."""
    rows: list[AnswerRow] = []

    def add(key: str, step: str, question: Any, lines: list[str]) -> None:
        rows.append(AnswerRow(key, str(question), [x for x in lines if x], change_urls[step]))

    mode = form.mode.data
    add(
        "mode",
        "how",
        _l("How you want to be helped"),
        [mode_words(mode)] if isinstance(mode, Mode) else [],
    )
    needs = [str(NEED_LABELS[Need(n)][0]) for n in form.needs.data or [] if n in set(Need)]
    add(
        "needs",
        "what",
        _l("What you need help with"),
        [listed(needs), form.need_details.data or ""],
    )
    town = {str(c.value): str(c.label) for c in form.municipality.choices}.get(
        str(form.municipality.data), ""
    )
    where = [town]
    if mode is Mode.HOME:
        where = [form.address.data or "", town]
    elif mode is Mode.DROPIN:
        site = next((s for s in org.sites if s.id == form.site.data), None)
        where = [f"{site.name}, {site.address}" if site else "", town]
    add("where", "where", _l("Where"), where)
    if form.any_time.data:
        when = [str(_l("Any time"))]
    else:
        when = []
        for code in form.availability.data or []:
            slot = parse_slot(code)
            if slot is not None and slot[1] in PERIOD_LABELS:
                when.append(slot_words(*slot))
    deadline = (
        str(_l("To be done by %(date)s", date=format_date(form.deadline.data, "long")))
        if form.deadline.data
        else ""
    )
    add("when", "when", _l("When you are free"), [listed(when), deadline])
    add("first_name", "contact", _l("First name"), [form.first_name.data or ""])
    add("phone", "contact", _l("Phone"), [typed_phone_text(form.phone.data, org.country)])
    if form.email.data:
        add("email", "contact", _l("E-mail"), [form.email.data])
    add(
        "languages",
        "contact",
        _l("Languages"),
        [listed(native_language_name(c) for c in form.languages.data or [])],
    )
    if form.accessibility_notes.data:
        add("notes", "contact", _l("To help you well"), [form.accessibility_notes.data])
    if form.for_someone_else.data:
        add(
            "partner",
            "contact",
            _l("Filled in by"),
            [form.partner_name.data or ""],
        )
    return rows
