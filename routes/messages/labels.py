"""Words for the codes of messages, in the page's language."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import MessageStatus

STATUS = {
    MessageStatus.QUEUED: lazy_pgettext("message", "Queued"),
    MessageStatus.SENT: lazy_pgettext("message", "Sent"),
    MessageStatus.FAILED: lazy_pgettext("message", "Failed"),
    MessageStatus.CANCELLED: lazy_pgettext("message", "Cancelled"),
}
#: What each ``{name}`` of a message's text stands for.
PLACEHOLDER = {
    "first_name": _l("the person's first name"),
    "reference": _l("the request's reference"),
    "link": _l("the private link to the request"),
    "organisation": _l("the organisation's name"),
    "contact": _l("the organisation's phone number or e-mail"),
    "when": _l("the day and time of the appointment"),
    "details": _l("who comes or calls, or where to go"),
    "day": _l("the day"),
    "change": _l("the word “Change” when the day changed"),
    "visits": _l("the day's appointments, one a line"),
    "calendar_link": _l("the volunteer's calendar link"),
    "lines": _l("the digest's figures and lines"),
    "programme": _l("the workshop programme's title"),
    "place": _l("where the workshop is held"),
    "expires": _l("until when the offered seat waits"),
    "status": _l("a seat kept, or the place on the waiting list"),
    "sessions": _l("the days and times of the workshop's sessions"),
}
CHANNEL = {
    MessageChannel.SMS: _l("SMS"),
    MessageChannel.EMAIL: _l("E-mail"),
    MessageChannel.CALL: _l("Phone call"),
}
KIND = {
    MessageKind.BOOKING: _l("Booking confirmation"),
    MessageKind.APPOINTMENT: _l("Appointment"),
    MessageKind.REMINDER: _l("Reminder the day before"),
    MessageKind.MOVED: _l("Appointment changed"),
    MessageKind.CANCELLED: _l("Appointment cancelled"),
    MessageKind.VOLUNTEER_DAY: _l("Volunteer's day"),
    MessageKind.DIGEST: _l("Dispatchers' daily digest"),
    MessageKind.REFERRAL_STATUS: _l("Referral status, to its partner"),
    MessageKind.WORKSHOP_OFFER: _l("A freed workshop seat offered"),
    MessageKind.WORKSHOP_ENROLLED: _l("Workshop enrolment confirmation"),
}


def init_labels(app: Flask) -> None:
    app.jinja_env.globals.update(
        message_status=lambda s: str(STATUS[s]),
        message_channel=lambda c: str(CHANNEL[c]),
        message_kind=lambda k: str(KIND[k]),
        message_placeholder=lambda name: str(PLACEHOLDER.get(name, name)),
    )
