"""Words for the codes of messages, in the page's language."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from scheduler.models import MessageChannel
from scheduler.models import MessageKind
from scheduler.models import MessageStatus

STATUS = {
    MessageStatus.QUEUED: _l("Queued"),
    MessageStatus.SENT: _l("Sent"),
    MessageStatus.FAILED: _l("Failed"),
    MessageStatus.CANCELLED: _l("Cancelled"),
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
}


def init_labels(app: Flask) -> None:
    app.jinja_env.globals.update(
        message_status=lambda s: str(STATUS[s]),
        message_channel=lambda c: str(CHANNEL[c]),
        message_kind=lambda k: str(KIND[k]),
    )
