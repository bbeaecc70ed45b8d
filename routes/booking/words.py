"""What the request form's choices and the intake service's refusals say to people."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from routes.fields import shorten_message
from scheduler.core.validation import InputRefused
from scheduler.models import Mode
from scheduler.models import Need
from scheduler.models import Referral
from scheduler.requests import intake
from scheduler.workshops import public_form

MODE_LABELS = {
    Mode.HOME: (_l("Someone comes to my home"), _l("A volunteer visits you at home.")),
    Mode.PHONE: (_l("Someone calls me"), _l("A volunteer helps you over the phone.")),
    Mode.DROPIN: (
        _l("I come to a drop-in"),
        _l("You come to our place. Computers are ready there."),
    ),
}

NEED_LABELS = {
    Need.EMAIL: (_l("E-mails"), _l("Read and send e-mails, open an attachment")),
    Need.PUBLIC_SERVICES: (
        _l("Online public services"),
        _l("Unemployment claim, family allowance, health card, taxes"),
    ),
    Need.VIDEO_CALLS: (_l("Video calls"), _l("See your family on WhatsApp, Zoom or FaceTime")),
    Need.SCHOOL_PORTAL: (
        _l("The school portal"),
        _l("Follow your children's marks and the school's messages"),
    ),
    Need.SMARTPHONE: (_l("Using my smartphone"), _l("Calls, photos, apps, settings")),
    Need.KEYBOARD_MOUSE: (_l("Keyboard and mouse"), _l("First steps with a computer")),
    Need.JOB_SEARCH: (_l("Looking for a job"), _l("CV, job sites, applying online")),
    Need.OTHER: (_l("Something else"), _l("Tell us in the box below")),
}

REFERRAL_LABELS = {
    Referral.WORD_OF_MOUTH: _l("Family, a friend or a neighbour"),
    Referral.SOCIAL_WORKER: _l("A social worker"),
    Referral.SCHOOL: _l("A school"),
    Referral.HOUSING: _l("My housing office or landlord"),
    Referral.FOOD_BANK: _l("A food bank"),
    Referral.LIBRARY: _l("A library"),
    Referral.MUNICIPALITY: _l("The town hall"),
    Referral.OTHER: _l("Another way"),
}

#: What each refusal of the service says, beside which field (see scheduler.requests.intake).
REFUSAL_MESSAGES: dict[type[intake.BookingRefused], Any] = {
    intake.OutsideTerritory: _l("Choose your municipality from the list."),
    intake.AddressRequired: _l("Enter your street address, so the volunteer can find you."),
    intake.SiteRequired: _l("Choose the drop-in you will come to."),
    intake.DeadlineInPast: _l("This date has passed. Enter a date from today on."),
    intake.DeadlineTooFar: _l("This date is more than a year away. Please check it."),
    intake.NoAvailability: _l("Tick at least one time, or “Any time suits me”."),
    intake.UnknownBeneficiary: _l("This person's record was not found. Start a new request."),
}
GENERIC_CHOICE_MESSAGE = _l("Choose from the list.")


def refusal_message(error: intake.BookingRefused) -> str:
    return str(REFUSAL_MESSAGES.get(type(error), GENERIC_CHOICE_MESSAGE))


#: What each refusal of the workshop enrolment form says (scheduler.workshops.public_form).
ENROL_MESSAGES: dict[str, Any] = {
    public_form.MISSING: _l("Write your first name."),
    public_form.PHONE: _l("Write a phone number we can call, such as 819 555-0123."),
    public_form.CONSENT: _l("Tick the box so that we may keep your answers."),
    public_form.NOT_A_CHOICE: GENERIC_CHOICE_MESSAGE,
}


def enrol_refusal_message(refusal: InputRefused) -> str:
    """The sentence beside a field of the workshop enrolment form."""
    if refusal.code == public_form.TOO_LONG:
        return shorten_message(refusal.params["limit"], refusal.params["length"])
    return str(ENROL_MESSAGES.get(refusal.code, GENERIC_CHOICE_MESSAGE))
