"""The words for the domain's codes, in one place: statuses, modes, needs, reasons…

Any page can use them: in Python, ``status_label(code)``; in templates, the
filters ``status_label``, ``mode_label``, ``need_label``, ``priority_label``,
``cancel_reason_label``, ``source_label``, ``referral_label``, ``urgency_label``,
and ``availability_in_words(codes)``. An unknown code shows as itself rather than
failing.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from datetime import datetime
from datetime import time
from typing import Any

from babel import Locale
from flask import Flask
from flask_babel import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone

from routes.context import settings
from scheduler.core.i18n import clock_text
from scheduler.models import AppointmentStatus
from scheduler.models import Mode
from scheduler.models import Need
from scheduler.models import Period
from scheduler.models import Priority
from scheduler.models import Referral
from scheduler.models import RequestStatus
from scheduler.models import Source
from scheduler.requests.duplicates import DuplicateSign
from scheduler.requests.triage import CancelReason
from scheduler.requests.triage import parse_slot
from scheduler.requests.urgency import UrgencyLevel

STATUS = {
    RequestStatus.NEW: _l("New"),
    RequestStatus.TRIAGED: _l("Triaged"),
    RequestStatus.PLANNED: _l("Planned"),
    RequestStatus.CONFIRMED: _l("Confirmed"),
    RequestStatus.DONE: _l("Done"),
    RequestStatus.CANCELLED: _l("Cancelled"),
    RequestStatus.NO_SHOW: _l("No-show"),
}
APPOINTMENT_STATUS = {
    AppointmentStatus.SCHEDULED: _l("Scheduled, not confirmed yet"),
    AppointmentStatus.CONFIRMED: _l("Appointment confirmed"),
    AppointmentStatus.CANCELLED: _l("Appointment cancelled"),
    AppointmentStatus.DONE: _l("Help given"),
    AppointmentStatus.NO_SHOW: _l("The person was not there"),
}
MODE = {
    Mode.HOME: _l("Home visit"),
    Mode.PHONE: _l("Phone call"),
    Mode.DROPIN: _l("Drop-in"),
}
NEED = {
    Need.EMAIL: _l("E-mails"),
    Need.PUBLIC_SERVICES: _l("Online public services"),
    Need.VIDEO_CALLS: _l("Video calls"),
    Need.SCHOOL_PORTAL: _l("School portal"),
    Need.SMARTPHONE: _l("Smartphone"),
    Need.KEYBOARD_MOUSE: _l("Keyboard and mouse"),
    Need.JOB_SEARCH: _l("Job search"),
    Need.OTHER: _l("Something else"),
}
PRIORITY = {
    Priority.LOW: _l("Low"),
    Priority.NORMAL: _l("Normal"),
    Priority.HIGH: _l("High"),
    Priority.URGENT: _l("Urgent"),
}
CANCEL_REASON = {
    CancelReason.PERSON_CANCELLED: _l("The person cancelled"),
    CancelReason.SOLVED_ELSEWHERE: _l("Solved another way"),
    CancelReason.UNREACHABLE: _l("Could not reach the person"),
    CancelReason.NO_VOLUNTEER: _l("No volunteer available"),
    CancelReason.OUT_OF_TERRITORY: _l("Outside our territory"),
    CancelReason.DUPLICATE: _l("Duplicate of another request"),
    CancelReason.OTHER: _l("Other reason"),
}
SOURCE = {
    Source.ONLINE: _l("Online form"),
    Source.PARTNER: _l("Filled in by a partner"),
    Source.PHONE: _l("Phone call to the office"),
    Source.API: _l("The organisation's software (API)"),
}
REFERRAL = {
    Referral.WORD_OF_MOUTH: _l("Word of mouth"),
    Referral.SOCIAL_WORKER: _l("Social worker"),
    Referral.SCHOOL: _l("School"),
    Referral.HOUSING: _l("Social housing"),
    Referral.FOOD_BANK: _l("Food bank"),
    Referral.LIBRARY: _l("Library"),
    Referral.MUNICIPALITY: _l("Municipality"),
    Referral.OTHER: _l("Other"),
}
URGENCY = {
    UrgencyLevel.VERY_URGENT: _l("Very urgent"),
    UrgencyLevel.URGENT: _l("Pressing"),
    UrgencyLevel.SOON: _l("Soon"),
    UrgencyLevel.CAN_WAIT: _l("Can wait"),
}
DUPLICATE_SIGN = {
    DuplicateSign.SAME_PHONE: _l("Same phone number"),
    DuplicateSign.SAME_NAME_AND_PLACE: _l("Same first name and municipality"),
}
PERIOD = {
    Period.MORNING: _l("morning"),
    Period.AFTERNOON: _l("afternoon"),
    Period.EVENING: _l("evening"),
}


def _label(mapping: Mapping[Any, Any], code: Any) -> str:
    if code is None:
        return ""
    try:
        return str(mapping[code])
    except (KeyError, ValueError, TypeError):
        return str(code)


def status_label(code: Any) -> str:
    return _label(STATUS, code)


def appointment_status_label(code: Any) -> str:
    return _label(APPOINTMENT_STATUS, code)


def mode_label(code: Any) -> str:
    return _label(MODE, code)


def need_label(code: Any) -> str:
    return _label(NEED, code)


def priority_label(code: Any) -> str:
    return _label(PRIORITY, code)


def cancel_reason_label(code: Any) -> str:
    return _label(CANCEL_REASON, code)


def source_label(code: Any) -> str:
    return _label(SOURCE, code)


def referral_label(code: Any) -> str:
    return _label(REFERRAL, code)


def urgency_label(code: Any) -> str:
    return _label(URGENCY, code)


def duplicate_sign_label(code: Any) -> str:
    return _label(DUPLICATE_SIGN, code)


def period_label(code: Any) -> str:
    return _label(PERIOD, code)


def weekday_name(weekday: int) -> str:
    """'lundi' / 'Monday' in the page's language (0 = Monday)."""
    return str(Locale.parse(str(get_locale())).days["format"]["wide"][weekday])


def period_hours(period: str) -> tuple[time, time] | None:
    """A period's local hours from ``[BOOKING] periods``."""
    for code, start, end in settings().booking.periods:
        if code == period:
            return start, end
    return None


def period_in_words(period: str) -> str:
    """'morning (9:00 AM – 12:00 PM)', 'matin (9 h à 12 h)': the hours as every other page,
    message and calendar writes them (:func:`scheduler.core.i18n.clock_text`)."""
    hours = period_hours(period)
    name = period_label(period)
    if hours is None:
        return name
    return _(
        "%(period)s (%(start)s – %(end)s)",
        period=name,
        start=clock_text(hours[0], get_locale()),
        end=clock_text(hours[1], get_locale()),
    )


def availability_in_words(codes: Iterable[str], any_time: bool = False) -> list[str]:
    """One line per weekday: 'Monday: morning (9:00 – 12:00), afternoon (13:00 – 17:00)'."""
    if any_time:
        return [_("Any time")]
    by_day: dict[int, list[str]] = {}
    unknown = []
    for code in codes:
        parsed = parse_slot(code)
        if parsed is None:
            unknown.append(code)
            continue
        by_day.setdefault(parsed[0], []).append(parsed[1])
    order = [p.value for p in Period]
    lines = []
    for day in sorted(by_day):
        periods = sorted(by_day[day], key=order.index)
        lines.append(
            _(
                "%(day)s: %(periods)s",
                day=weekday_name(day).capitalize(),
                periods=", ".join(period_in_words(p) for p in periods),
            )
        )
    return lines + unknown


def local_moment(value: datetime | None) -> str:
    """'22 nov. 2026, 17 h 07', 'Nov 22, 2026, 5:07 PM': an aware instant as a date and a
    time without seconds, in the organisation's zone and the page's language (the time
    as :func:`scheduler.core.i18n.clock_text` writes it)."""
    if value is None:
        return ""
    pattern = str(Locale.parse(str(get_locale())).datetime_formats.get("medium", "{1}, {0}"))
    hour = clock_text(to_user_timezone(value).time(), get_locale())
    return pattern.format(hour, format_date(value, "medium"))


def init_labels(app: Flask) -> None:
    for function in (
        status_label,
        appointment_status_label,
        mode_label,
        need_label,
        priority_label,
        cancel_reason_label,
        source_label,
        referral_label,
        urgency_label,
        duplicate_sign_label,
        period_label,
        local_moment,
    ):
        app.jinja_env.filters[function.__name__] = function
    app.jinja_env.globals.update(
        availability_in_words=availability_in_words, weekday_name=weekday_name
    )
