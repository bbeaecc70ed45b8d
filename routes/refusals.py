"""The words for a service's refusal (:class:`~scheduler.core.validation.InputRefused`).

Services name the rule a value breaks with a code and its figures; this module is the one
place that turns those codes into sentences in the reader's language, and puts them
beside the field they concern.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from scheduler.core.validation import InputRefused

#: Code → sentence; ``%(name)s`` placeholders are filled from the refusal's parameters.
WORDS: dict[str, Any] = {
    "name_too_long": _l("Enter a name of at most %(limit)d characters."),
    "address_too_long": _l("Enter an address of at most %(limit)d characters."),
    "too_long": _l("Write at most %(limit)d characters."),
    "out_of_range": _l("Enter a number between 0 and %(high)s."),
    "population_range": _l("Enter a whole number of inhabitants from 0 to 10,000,000."),
    "not_a_choice": _l("Choose from the list."),
    "not_in_territory": _l("Choose a municipality of the territory."),
    "municipality_closed": _l("This municipality is no longer served."),
    "municipality_exists": _l("This municipality is already in the territory."),
    "not_a_site": _l("Choose one of the sites."),
    "site_closed": _l("This site is closed."),
    "coordinates_pair": _l("Enter both the latitude and the longitude, or neither."),
    "coordinates_missing": _l("Enter the coordinates, or choose a municipality."),
    "latitude": _l("A latitude is between -90 and 90."),
    "longitude": _l("A longitude is between -180 and 180."),
    "timezone": _l("Choose a time zone from the list, such as %(example)s."),
    "locale": _l("Choose a language from the list."),
    "country": _l("Choose a country from the list."),
    "retention_days": _l("Enter a number of days between %(low)d and %(high)d."),
    "phone": _l("Enter a phone number that can be called."),
    "first_name_missing": _l("Enter the first name."),
    "week_below_day": _l("A week cannot hold fewer visits than one of its days."),
    "password_short": _l("The password needs at least %(count)d characters."),
    "email_taken": _l("Another account already uses this e-mail."),
    "email_unusable": _l("This e-mail cannot be used for a login."),
    "no_login": _l("This volunteer has no login."),
    "has_login": _l("This volunteer already has a login."),
    "staff_login": _l("This login belongs to a staff member; an administrator manages it."),
    "name_missing": _l("Enter a name."),
    "days_range": _l("Enter a number of days between %(low)d and %(high)d."),
    "partner_scope": _l("A partner's token may only refer people and follow its referrals."),
    "partner_name_missing": _l("Enter the name."),
    "partner_email_needed": _l("Enter the contact e-mail, or do not ask for e-mails."),
    "partner_inactive": _l("This partner is deactivated: reactivate it first."),
    "label_missing": _l("Enter the label written on the device."),
    "label_taken": _l("Another device already has this label."),
    "holder_missing": _l("Choose a volunteer, or enter the person or family."),
    "due_before_start": _l("The return date comes before the start."),
    "date_range": _l("Choose a day between %(first)s and %(last)s."),
    "device_out": _l("This device is out: record its return first."),
}


def refusal_message(refusal: InputRefused) -> str:
    """The sentence for a refusal; an unknown code reads as "Choose from the list."."""
    words = WORDS.get(refusal.code, WORDS["not_a_choice"])
    return str(words) % refusal.params if refusal.params else str(words)


def show_refusal(form: Any, refusal: InputRefused, field: str | None = None) -> None:
    """Put a refusal beside its field (or ``field``, when the form names it differently),
    or at the top of the form when it concerns no field of it."""
    target = getattr(form, field or refusal.field or "", None) if (field or refusal.field) else None
    message = refusal_message(refusal)
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)
