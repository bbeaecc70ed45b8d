"""Words for the codes the workshop services refuse with, and for statuses."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_babel import to_user_timezone

from routes.weekly import clock
from scheduler.models import EnrolmentStatus
from scheduler.models import SeriesStatus

REFUSALS = {
    "title_missing": _l("Give the programme a title."),
    "sessions_count": _l("Give a number of sessions between 1 and 52."),
    "capacity": _l("Give a number of seats between 1 and 500."),
    "laptops": _l("Give a number of laptops between 0 and 500."),
    "completion_share": _l("Give a share between 1 and 100 percent."),
    "place_missing": _l("Choose a municipality or a site."),
    "session_order": _l("A session must end after it starts."),
    "leaders": _l("Choose one or two leaders among the volunteers."),
    "not_draft": _l("This series is already published or cancelled."),
    "not_open": _l("This series is not open for enrolment."),
    "over": _l("This series is over."),
    "already_enrolled": _l("This person is already enrolled or waiting in this series."),
    "no_offer": _l("There is no seat offered to take."),
    "offer_expired": _l("The seat was offered until a time that has passed."),
    "not_active": _l("This enrolment is already withdrawn or over."),
    "not_leader": _l("Only the session's leaders and the coordination take attendance."),
    "too_early": _l("Attendance opens an hour before the session."),
    "unknown_participant": _l("Someone ticked is not a participant of this series."),
}
ENROLMENT_STATUS = {
    EnrolmentStatus.ENROLLED: lazy_pgettext("enrolment", "Enrolled"),
    EnrolmentStatus.WAITING: lazy_pgettext("enrolment", "Waiting list"),
    EnrolmentStatus.OFFERED: lazy_pgettext("enrolment", "Seat offered"),
    EnrolmentStatus.WITHDRAWN: lazy_pgettext("enrolment", "Withdrawn"),
    EnrolmentStatus.COMPLETED: lazy_pgettext("enrolment", "Completed"),
}
SERIES_STATUS = {
    SeriesStatus.DRAFT: lazy_pgettext("series", "Draft"),
    SeriesStatus.PROPOSED: lazy_pgettext("series", "Proposed"),
    SeriesStatus.PUBLISHED: lazy_pgettext("series", "Published"),
    SeriesStatus.CANCELLED: lazy_pgettext("series", "Cancelled"),
}


def refusal(code: str) -> str:
    return str(REFUSALS.get(code, REFUSALS["not_open"]))


def session_when(moment: datetime | None) -> str:
    """ "mardi 8 décembre 2026, 13 h 30": an aware instant as a day and an hour, in the
    organisation's zone and the page's language."""
    if moment is None:
        return ""
    return f"{format_date(moment, 'full')}, {clock(to_user_timezone(moment).time())}"


def init_labels(app: Flask) -> None:
    app.jinja_env.filters["session_when"] = session_when
    app.jinja_env.globals.update(
        enrolment_status=lambda s: str(ENROLMENT_STATUS[s]),
        series_status=lambda s: str(SERIES_STATUS[s]),
    )
