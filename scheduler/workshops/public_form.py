"""The answers of the public enrolment form, checked before anyone is enrolled.

The form is public, so anything can be posted to it: each answer is checked here, whatever
page sent it, and every problem is reported at once as an
:class:`~scheduler.core.validation.InputRefused` naming its field, a code and its
figures; the page turns them into sentences in the person's language, beside the fields,
and shows again everything that was typed. Nothing is cut short silently: an answer
longer than its column is refused, saying by how much.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.core import phones
from scheduler.core.validation import InputRefused
from scheduler.models import Referral

from .enrolment import Person

#: As on the request form and in the beneficiary's record (``Beneficiary.first_name``).
FIRST_NAME_MAX = 80
#: ``Enrolment.referrer_name``.
REFERRAL_NAME_MAX = 120

#: The codes of the refusals, for the page's words.
MISSING = "missing"
TOO_LONG = "too_long"
PHONE = "phone"
CONSENT = "consent"
NOT_A_CHOICE = "not_a_choice"


@dataclass(frozen=True, slots=True)
class EnrolAnswers:
    """What was posted, trimmed, as typed."""

    first_name: str
    phone: str
    referral: str
    referral_name: str
    consent: bool


@dataclass(frozen=True, slots=True)
class CheckedAnswers:
    """Answers that may be enrolled: the person, and how they heard of the workshop."""

    person: Person
    referral: Referral | None
    referrer_name: str | None


class AnswersRefused(ValueError):
    """One or more answers cannot be kept; ``refusals`` holds one per field at most."""

    def __init__(self, refusals: Sequence[InputRefused]) -> None:
        super().__init__(", ".join(str(r) for r in refusals))
        self.refusals = list(refusals)


def _too_long(field: str, text: str, limit: int) -> InputRefused | None:
    if len(text) > limit:
        return InputRefused(field, TOO_LONG, limit=limit, length=len(text))
    return None


def check_answers(answers: EnrolAnswers, country: str) -> CheckedAnswers:
    """The answers ready to enrol, the phone in its stored form.

    :param country: the organisation's country, for phone numbers written nationally.
    :raises AnswersRefused: every problem of the form, one per field, in the form's order.
    """
    refusals: list[InputRefused] = []
    if not answers.first_name:
        refusals.append(InputRefused("first_name", MISSING))
    elif refused := _too_long("first_name", answers.first_name, FIRST_NAME_MAX):
        refusals.append(refused)
    phone = ""
    try:
        phone = phones.parse_phone(answers.phone, country)
    except phones.InvalidPhone:
        refusals.append(InputRefused("phone", PHONE))
    referral = None
    if answers.referral:
        try:
            referral = Referral(answers.referral)
        except ValueError:
            refusals.append(InputRefused("referral", NOT_A_CHOICE))
    if refused := _too_long("referral_name", answers.referral_name, REFERRAL_NAME_MAX):
        refusals.append(refused)
    if not answers.consent:
        refusals.append(InputRefused("consent", CONSENT))
    if refusals:
        raise AnswersRefused(refusals)
    return CheckedAnswers(
        person=Person(answers.first_name, phone),
        referral=referral,
        referrer_name=answers.referral_name or None,
    )
