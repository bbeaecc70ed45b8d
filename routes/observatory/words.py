"""Words of the observatory: outcomes, reasons left out, filters' refusals, export headers.

Reasons reuse the planning page's sentences (:mod:`routes.dispatch.display`) where they
carry no per-request figure; the others get a sentence without one, since a line of the
observatory stands for many requests.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from routes import labels
from routes.dispatch.display import reason_sentence
from scheduler.core.i18n import language_name
from scheduler.core.validation import InputRefused
from scheduler.dispatch.view import LeftOutLine
from scheduler.observatory.figures import ReasonCount

OUTCOME = {
    "served": _l("Requests served"),
    "waiting": _l("Requests still waiting"),
    "left_out": _l("Requests left out"),
    "cancelled": _l("Requests cancelled"),
    "no_show": _l("No-shows"),
}
#: What became of one request, for a row of the export.
OUTCOME_ONE = {
    "served": _l("Helped or booked"),
    "waiting": _l("Still waiting"),
    "left_out": _l("Not placed"),
    "cancelled": _l("Cancelled"),
    "no_show": _l("No-show"),
}
PERIOD_KIND = {
    "week": _l("Week"),
    "month": _l("Month"),
    "quarter": _l("Quarter"),
    "year": _l("Year"),
    "dates": _l("From one date to another"),
}
PERIOD_HINT = {
    "week": _l("A week such as 2026-W09."),
    "month": _l("A month such as 2026-03."),
    "quarter": _l("A quarter such as 2026-Q1."),
    "year": _l("A year such as 2026."),
    "dates": _l("Leave empty for the current period."),
}
#: Reasons whose planning sentence quotes one request's figures: a general one here.
GENERAL_REASONS = {
    "beyond_km_limit": _l("Beyond the daily km limit of every available volunteer."),
    "beyond_road_time_limit": _l(
        "Longer on the road than every available volunteer's daily limit."
    ),
    "needs_car": _l("Beyond walking distance, and no volunteer with a car is free then."),
    "series_volunteer_unavailable": _l(
        "The volunteer who runs the person's cycle has no free time that fits."
    ),
}
DIMENSION = {
    "municipality": _l("Municipality"),
    "language": _l("Language"),
    "mode": _l("Mode"),
    "need": _l("Need"),
}
REFUSAL = {
    "period_format": _l("Write the period as the example shows."),
    "required": _l("Enter a date."),
    "date_format": _l("Enter a date such as 2026-03-31."),
    "before_first": _l("The last day comes before the first one."),
    "too_long": _l("Choose at most %(limit)d days."),
    "out_of_range": _l("Choose a period between %(first)d and %(last)d."),
    "choice": _l("Choose from the list."),
}
REQUEST_HEADERS = {
    "reference": _l("Reference"),
    "received_on": _l("Received on"),
    "municipality": _l("Municipality"),
    "mode": _l("Mode"),
    "needs": _l("Needs"),
    "languages": _l("Languages"),
    "source": _l("Filled in by"),
    "referral": _l("Heard of us through"),
    "status": _l("Request status"),
    "outcome": _l("Outcome"),
    "left_out_reason": _l("Reason left out"),
    "site": _l("Site"),
    "appointment_starts": _l("Appointment start"),
    "appointment_ends": _l("Appointment end"),
    "appointment_status": _l("Appointment status"),
    "volunteer": _l("Volunteer"),
    "duration_min": _l("Duration (min)"),
    "travel_km": _l("Travel before (km)"),
    "waiting_days": _l("Days from request to first appointment"),
}
#: The activity report keeps La Coop de la médiation numérique's own French headings.
ACTIVITY_HEADERS = {
    "date": "Date",
    "activity_type": "Type d'accompagnement",
    "duration_min": "Durée (min)",
    "place_type": "Type de lieu",
    "place": "Lieu d'activité",
    "municipality": "Commune de l'usager",
    "themes": "Thématiques",
    "autonomy": "Autonomie de l'usager",
    "orientation": "Orientation",
    "volunteer": "Médiateur",
    "reference": "Référence",
}
SUMMARY_HEADERS = {
    "dimension": _l("By"),
    "value": _l("Value"),
    "received": _l("Requests received"),
    **OUTCOME,
}
STATEMENT_HEADERS = (
    _l("Month"),
    _l("Home visits"),
    _l("Phone calls"),
    _l("Drop-in shifts"),
    _l("Hours helping"),
    _l("Hours on the road"),
    _l("Km"),
)


def refusal_text(refusal: InputRefused) -> str:
    words = REFUSAL.get(refusal.code, REFUSAL["choice"])
    return str(words) % refusal.params if refusal.params else str(words)


def language_label(code: str) -> str:
    if not code:
        return str(_l("Not said"))
    return language_name(code, str(get_locale()))


def reason_text(line: ReasonCount) -> str:
    """One ranked reason as a sentence a recruiter can act on."""
    if line.reason in GENERAL_REASONS:
        return str(GENERAL_REASONS[line.reason])
    return reason_sentence(LeftOutLine(line.reason, dict(line.detail), None, None, None))


def label(category: str, code: str) -> str:
    """Words for a code in exports and tables: ``label("mode", "home")``."""
    if category == "language":
        return language_label(code)
    if not code:
        return ""
    words: Any = {
        "mode": labels.MODE,
        "need": labels.NEED,
        "status": labels.STATUS,
        "appointment_status": labels.APPOINTMENT_STATUS,
        "source": labels.SOURCE,
        "referral": labels.REFERRAL,
        "outcome": OUTCOME_ONE,
        "dimension": DIMENSION,
    }.get(category, {})
    for key, text in words.items():
        if str(getattr(key, "value", key)) == code:
            return str(text)
    return code


def minutes_as_hours(minutes: int) -> float:
    """Minutes as hours with one decimal, as timesheets want them."""
    return round(minutes / 60, 1)
