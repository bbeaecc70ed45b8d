"""Words for the plan page: why a request was left out, in a sentence a dispatcher can act on.

The engine and the seam return reason codes with parameters (languages, days, km…); this
module turns them into sentences in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from datetime import timedelta
from typing import Any

from babel.dates import format_date
from babel.dates import get_day_names
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from routes.labels import need_label
from scheduler.core.i18n import language_name
from scheduler.dispatch.view import LeftOutLine

CAPACITY = {
    "visits_per_week": _l(
        "Every volunteer who could go has already reached their number of visits for the week."
    ),
    "visits_per_day": _l(
        "Every volunteer who could go has already reached their number of visits for that day."
    ),
    "work_min_per_week": _l(
        "Every volunteer who could go has already reached their hours for the week."
    ),
    "km_per_day": _l("Every volunteer who could go has already used their km for that day."),
    "road_min_per_day": _l(
        "Every volunteer who could go has already used their time on the road for that day."
    ),
    "schedule": _l("The volunteers who could go are already busy at those times."),
    "staff": _l("Every volunteer who is free then already has a place at this drop-in."),
    "series": _l("The cycle's volunteer has no room left this week."),
    "locked": _l(
        "The days of the volunteers who could go are locked: unlock one, or place it by hand."
    ),
    "time_limit": _l(
        "The planning ran out of time before it could offer this request to every "
        "volunteer who could go: plan the week again."
    ),
    "cost": _l(
        "A place exists, but the drive would cost more than the planning settings allow for "
        "this request."
    ),
}
SIMPLE = {
    "no_availability": _l("No volunteer is available at the times this person gave."),
    "travel_does_not_fit": _l(
        "Volunteers are free at those times, but not long enough to drive there and back."
    ),
    "pin_conflict": _l("The confirmed time can no longer be kept by its volunteer."),
    "no_time_this_week": _l("None of the times this person gave is left in this week."),
    "volunteer_absent": _l("The volunteer of the confirmed appointment is away that day."),
    "dropin_no_opening": _l("No drop-in session of the site falls in the person's free times."),
    "dropin_unstaffed": _l(
        "The drop-in sessions that suit the person have no volunteer planned, so nobody "
        "would welcome them."
    ),
    "dropin_full": _l("The drop-in sessions that suit the person are full."),
}


def _number(value: Any) -> str:
    try:
        return format_decimal(float(value), format="#,##0.#", locale=get_locale())
    except (TypeError, ValueError):
        return str(value)


def _beyond(value: Any, limit: Any) -> tuple[str, str]:
    """A figure and the limit it goes beyond, written so that they never read the same.

    2.04 km past a 2 km limit rounds to "2 km, beyond 2 km"; one more decimal (or two)
    shows the difference the engine saw.
    """
    try:
        amount, bound = float(value), float(limit)
    except (TypeError, ValueError):
        return _number(value), _number(limit)
    for pattern in ("#,##0.#", "#,##0.##", "#,##0.###"):
        shown = format_decimal(amount, format=pattern, locale=get_locale())
        if amount <= bound or shown != format_decimal(bound, format=pattern, locale=get_locale()):
            return shown, _number(bound)
    return shown, _number(bound)


def _within(value: Any, limit: Any) -> bool:
    try:
        return float(value) <= float(limit)
    except (TypeError, ValueError):
        return False


def _join(items: Iterable[str]) -> str:
    words = [w for w in items if w]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s or %(last)s", first=", ".join(words[:-1]), last=words[-1])


def _days(detail: dict[str, Any]) -> str:
    """Day names as they read inside a sentence ("mardi", "Tuesday")."""
    names = get_day_names("wide", context="format", locale=get_locale())
    days = [d for d in detail.get("days") or () if isinstance(d, int) and 0 <= d <= 6]
    return _join(names[d] for d in days)


def _languages(detail: dict[str, Any]) -> str:
    """Language names as they read inside a sentence ("arabe", "Arabic")."""
    locale = get_locale()
    known = locale.languages if locale is not None else {}
    return _join(
        known.get(str(code)) or language_name(str(code), str(locale))
        for code in detail.get("languages") or ()
    )


def reason_sentence(line: LeftOutLine, names: dict[int, str] | None = None) -> str:
    """Why this request was left out, as one sentence."""
    reason, detail = line.reason, line.detail
    if reason in SIMPLE:
        return str(SIMPLE[reason])
    if reason == "capacity":
        bound = str(detail.get("bound", ""))
        return str(
            CAPACITY.get(bound, _l("Every volunteer who could go is already full this week."))
        )
    if reason == "no_language_match":
        days = _days(detail)
        if days:
            return _(
                "No volunteer who speaks %(languages)s is available on %(days)s.",
                languages=_languages(detail),
                days=days,
            )
        return _("No available volunteer speaks %(languages)s.", languages=_languages(detail))
    if reason == "missing_skill":
        skills = _join(need_label(s) for s in detail.get("skills") or ())
        return _("No available volunteer can help with %(skills)s.", skills=skills)
    if reason == "needs_car":
        if detail.get("needs_car"):
            return _("This visit needs a car, and no volunteer with a car is free then.")
        if "km_from_home" in detail and not _within(
            detail["km_from_home"], detail.get("walking_limit_km", 0)
        ):
            km, limit = _beyond(detail["km_from_home"], detail.get("walking_limit_km", 0))
            return _(
                "The home is %(km)s km away, beyond walking distance (%(limit)s km), and no "
                "volunteer with a car is free then.",
                km=km,
                limit=limit,
            )
        if "km_from_home" in detail:
            # The nearest start is within reach (figures are rounded, or the way home is
            # the longer leg): saying "2 km away, beyond 2 km" would read as a mistake.
            return _(
                "The home is just beyond walking distance (%(limit)s km), counting the way "
                "back, and no volunteer with a car is free then.",
                limit=_number(detail.get("walking_limit_km", 0)),
            )
        return _("This visit needs a car, and no volunteer with a car is free then.")
    if reason == "beyond_km_limit":
        km, limit = _beyond(detail.get("km", 0), detail.get("limit_km", 0))
        return _(
            "The round trip (%(km)s km) is beyond the daily limit of every available volunteer "
            "(%(limit)s km at most).",
            km=km,
            limit=limit,
        )
    if reason == "beyond_road_time_limit":
        return _(
            "The round trip (%(minutes)s min) is longer than every available volunteer's time "
            "on the road (%(limit)s min at most).",
            minutes=_number(detail.get("minutes", 0)),
            limit=_number(detail.get("limit_min", 0)),
        )
    if reason == "after_deadline":
        request = line.request
        if request is not None and request.deadline is not None:
            return _(
                "Deadlines are strict, and no volunteer can come before this one (%(date)s); "
                "a later time would fit.",
                date=format_date(request.deadline, "long", locale=get_locale()),
            )
        return _("Deadlines are strict, and no volunteer can come before this request's one.")
    if reason == "series_volunteer_unavailable":
        worker = str(detail.get("worker_id", ""))
        name = (names or {}).get(int(worker[1:])) if worker[1:].isdigit() else None
        if name:
            return _("%(name)s, who runs this cycle, has no free time that fits.", name=name)
        return _("The volunteer who runs this cycle has no free time that fits.")
    return _("This request could not be placed (%(code)s).", code=reason)


def seats_sentence(line: LeftOutLine) -> str:
    """For a drop-in: how many volunteers are still needed."""
    seats = int(line.detail.get("seats_missing", 1) or 1)
    return ngettext("%(num)d volunteer still needed.", "%(num)d volunteers still needed.", seats)


def minutes_text(minutes: int) -> str:
    """A length of time: "25 min", "2 h", "1 h 05 min" ("1 h 05" in French). English read
    "2 h 00 of help" on route sheets, a clock time's shape where a length is meant."""
    if minutes < 60:
        return _("%(minutes)d min", minutes=minutes)
    if minutes % 60 == 0:
        return _("%(hours)d h", hours=minutes // 60)
    return _("%(hours)d h %(minutes)02d min", hours=minutes // 60, minutes=minutes % 60)


def week_days(monday: date) -> tuple[date, date]:
    return monday, monday + timedelta(days=6)
