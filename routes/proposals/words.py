"""The words for why a person waiting is left out of a proposal.

The engine gives a :class:`~scheduler.planning.Reason` and its figures (the place, the day,
the km); this module makes a sentence a dispatcher can act on, such as "No leader can
reach Saint-Majorique within their km limit on Tuesdays."
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

DAYS_PLURAL = (
    _l("on Mondays"),
    _l("on Tuesdays"),
    _l("on Wednesdays"),
    _l("on Thursdays"),
    _l("on Fridays"),
    _l("on Saturdays"),
    _l("on Sundays"),
)


def _on(day: Any) -> str:
    return str(DAYS_PLURAL[int(day)]) if isinstance(day, int) and 0 <= day < 7 else ""


def left_out_words(reason: str, detail: dict[str, Any]) -> str:
    """One sentence for one person left out."""
    place = str(detail.get("place_name", ""))
    on = _on(detail.get("day"))
    who = detail.get("who")
    if reason == "no_availability" and who == "person":
        return _("Free at none of the days and times a series could be held.")
    if reason == "beyond_km_limit" and who == "person":
        return _(
            "Every place is too far: the nearest, %(place)s, is %(km)s km away.",
            place=place,
            km=detail.get("km"),
        )
    if reason == "beyond_km_limit":
        return _("No leader can reach %(place)s within their km limit %(on)s.", place=place, on=on)
    if reason == "needs_car":
        return _("No leader with a car is free to go to %(place)s %(on)s.", place=place, on=on)
    if reason == "no_availability":
        return _("No leader is free at that time %(on)s for %(place)s.", place=place, on=on)
    if reason in ("missing_skill", "no_language_match"):
        return _("No leader has what this programme needs for %(place)s.", place=place)
    if reason == "travel_does_not_fit":
        return _("No leader's free time covers the drive to %(place)s %(on)s.", place=place, on=on)
    bound = detail.get("bound")
    if bound == "seats":
        return _("The series at %(place)s %(on)s is full.", place=place, on=on)
    if bound == "place":
        return _(
            "%(place)s gets its series on another day (%(other)s).",
            place=place,
            other=_on(detail.get("other_day")),
        )
    if bound == "load":
        return _(
            "Not enough free laptops %(on)s: %(needed)s needed, %(free)s free.",
            on=on,
            needed=detail.get("needed"),
            free=detail.get("left", detail.get("free")),
        )
    if bound == "staff":
        return _("Not enough leaders free to go to %(place)s %(on)s.", place=place, on=on)
    if bound == "participants":
        return _("Too few people could come to %(place)s %(on)s.", place=place, on=on)
    return _("No series could be placed for this person.")


def refusal_words(code: str, params: dict[str, Any]) -> str:
    """Why a series or a proposal cannot be published."""
    if code == "laptops":
        return _(
            "Not published: %(day)s, %(needed)d laptops are needed and only %(free)d are "
            "free. Free some laptops or ask for a new proposal.",
            day=format_date(params["day"], "full"),
            needed=params["needed"],
            free=params["free"],
        )
    return _("There is no proposal to publish.")
