"""Words for the checker's rules and for what a re-plan changed.

The engine's checker names each broken rule (``availability``, ``time_grid``…); a
dispatcher reads a sentence. The ``rules`` recorded with an override are these names too.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from routes.dispatch.display import reason_sentence
from scheduler.dispatch.changes import CANCELLED
from scheduler.dispatch.changes import NOT_PLANNED
from scheduler.dispatch.changes import ChangeLine
from scheduler.dispatch.view import LeftOutLine

RULES: dict[str, Any] = {
    "availability": _l("The volunteer is not available at that time."),
    "shift_window": _l(
        "The drive there and back does not fit in the volunteer's available time (lead time "
        "included)."
    ),
    "time_window": _l("The person is not free at that time."),
    "travel_time": _l("The volunteer cannot get there in time from the previous stop."),
    "overlap": _l("The volunteer already has another visit at that time."),
    "time_grid": _l("The start time is not on the organisation's time grid."),
    "deadline": _l("The visit would end after the request's deadline."),
    "locked": _l("That volunteer's day is locked."),
    "pin": _l("This visit is confirmed or locked at another time."),
    "language": _l("The volunteer speaks none of the person's languages."),
    "skill": _l("The volunteer lacks a skill the request requires."),
    "car": _l("The visit needs a car, and the volunteer has none."),
    "walking": _l("The home is beyond the volunteer's walking distance."),
    "series": _l("Another volunteer runs this person's cycle."),
    "phone": _l("A phone call would fall between two visits on the road."),
    "phone_back": _l(
        "A call after the day's home visits is made once back, never on the road: the "
        "volunteer would not be back yet."
    ),
    "phone_only": _l("The volunteer only takes phone calls that day."),
    "drop_in": _l("The volunteer already has a place at this drop-in."),
    "coverage": _l("This visit would be planned twice."),
    "visits_per_week": _l("The volunteer would go over their number of visits for the week."),
    "work_per_week": _l("The volunteer would go over their hours for the week."),
    "visits_per_day": _l("The volunteer would go over their number of visits for that day."),
    "km_per_day": _l("The volunteer would go over their km for that day."),
    "road_per_day": _l("The volunteer would go over their time on the road for that day."),
    "load": _l("The volunteer would carry more loaned equipment than allowed."),
}


#: What re-planning does with a visit that one placed by hand runs into (see
#: :func:`scheduler.planning.replan`): the one placed by hand is locked and kept, the other
#: is placed again like any request, and only dropped when no place is found.
OVERLAP_OUTCOME = _l(
    "Done anyway, the draft keeps both for now. The next re-planning of the week keeps this "
    "one where you put it and places the other again, at another time or with another "
    "volunteer; once the week is published, its person is told it moved. Only if no place "
    "is found is it left out, and then its person is told it is cancelled."
)


#: The same when the other visit is confirmed or locked: re-planning moves neither, so it
#: cannot keep both and leaves one out (a pin conflict when both were published).
HELD_OVERLAP_OUTCOME = _l(
    "Done anyway, the draft keeps both for now. But the other visit is confirmed or "
    "locked, so re-planning moves neither: the next re-planning of the week cannot keep "
    "both and leaves one of them out; once the week is published, a person already told "
    "of that visit is told it is cancelled. To keep both, move one of them yourself."
)


def overlap_outcome(held: bool = False) -> str:
    """What becomes of the other visit if the dispatcher overrides an overlap; ``held``
    when one of the visits run into is confirmed or locked."""
    return str(HELD_OVERLAP_OUTCOME if held else OVERLAP_OUTCOME)


def rule_sentence(rule: str) -> str:
    """One broken rule, in a sentence."""
    return str(RULES.get(rule, _l("A planning rule is broken (%(rule)s).") % {"rule": rule}))


def dropped_sentence(line: ChangeLine, names: dict[int, str] | None = None) -> str:
    """Why a published visit is no longer in the draft."""
    if line.reason == CANCELLED:
        return str(_l("The person cancelled."))
    if (line.reason == NOT_PLANNED or line.reason is None) and line.request is None:
        # A drop-in duty has no request: the draft simply staffs that opening no more.
        return str(_l("The draft no longer needs a volunteer at this drop-in at that time."))
    if line.reason == NOT_PLANNED or line.reason is None:
        return str(_l("The request is no longer open (closed or merged since)."))
    left = LeftOutLine(line.reason, line.detail, line.request, line.site, None)
    return reason_sentence(left, names)
