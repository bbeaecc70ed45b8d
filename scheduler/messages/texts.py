"""The words of messages: short, plain defaults in French and English, each editable.
Every message to beneficiaries is also written in the public pages' other languages
(Arabic, Spanish, Portuguese: :mod:`.public_texts`), editable too.

An organisation may replace the subject and body of any kind of message, per language
(:class:`~scheduler.models.MessageSetting`). Texts hold ``{names}`` filled in when the
message is made; a name the text does not know is left as written, so an edited text
never breaks a send. The small sentences that depend on the mode (who comes, where to
go) are fixed here and filled into ``{details}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from scheduler.models import MessageKind

from . import public_texts

LANGUAGES = ("fr", "en")

#: Names a text may use, for the settings page.
PLACEHOLDERS: dict[MessageKind, tuple[str, ...]] = {
    MessageKind.BOOKING: ("first_name", "reference", "link", "organisation", "contact"),
    MessageKind.APPOINTMENT: (
        "first_name",
        "when",
        "details",
        "reference",
        "organisation",
        "contact",
    ),
    MessageKind.REMINDER: ("first_name", "when", "details", "organisation", "contact"),
    MessageKind.MOVED: ("first_name", "when", "details", "organisation", "contact"),
    MessageKind.CANCELLED: ("first_name", "when", "organisation", "contact"),
    MessageKind.VOLUNTEER_DAY: ("first_name", "day", "change", "visits", "calendar_link"),
    MessageKind.DIGEST: ("day", "lines", "organisation"),
    MessageKind.REFERRAL_STATUS: ("partner", "reference", "status", "link", "organisation"),
    MessageKind.WORKSHOP_OFFER: (
        "first_name",
        "programme",
        "place",
        "when",
        "link",
        "expires",
        "organisation",
        "contact",
    ),
    MessageKind.WORKSHOP_ENROLLED: (
        "first_name",
        "programme",
        "place",
        "status",
        "sessions",
        "link",
        "organisation",
        "contact",
    ),
}

DEFAULTS: dict[MessageKind, dict[str, dict[str, str]]] = {
    MessageKind.BOOKING: {
        "fr": {
            "subject": "Votre demande d'aide numérique {reference}",
            "body": "Bonjour {first_name}. Nous avons bien reçu votre demande. "
            "Votre numéro : {reference}. Pour la voir ou l'annuler : {link} "
            "Nous vous appelons bientôt. {organisation}",
        },
        "en": {
            "subject": "Your request for digital help {reference}",
            "body": "Hello {first_name}. We received your request. "
            "Your number: {reference}. To see or cancel it: {link} "
            "We will call you soon. {organisation}",
        },
    },
    MessageKind.APPOINTMENT: {
        "fr": {
            "subject": "Votre rendez-vous : {when}",
            "body": "Bonjour {first_name}. Votre rendez-vous : {when}. {details} "
            "Votre numéro : {reference}. Pour changer : {contact}. {organisation}",
        },
        "en": {
            "subject": "Your appointment: {when}",
            "body": "Hello {first_name}. Your appointment: {when}. {details} "
            "Your number: {reference}. To change it: {contact}. {organisation}",
        },
    },
    MessageKind.REMINDER: {
        "fr": {
            "subject": "Rappel : rendez-vous demain",
            "body": "Bonjour {first_name}. Rappel : rendez-vous demain, {when}. {details} "
            "Si vous ne pouvez pas : {contact}. {organisation}",
        },
        "en": {
            "subject": "Reminder: appointment tomorrow",
            "body": "Hello {first_name}. Reminder: appointment tomorrow, {when}. {details} "
            "If you cannot come: {contact}. {organisation}",
        },
    },
    MessageKind.MOVED: {
        "fr": {
            "subject": "Votre rendez-vous change",
            "body": "Bonjour {first_name}. Votre rendez-vous change. Nouvelle date : {when}. "
            "{details} Questions : {contact}. {organisation}",
        },
        "en": {
            "subject": "Your appointment has changed",
            "body": "Hello {first_name}. Your appointment has changed. New time: {when}. "
            "{details} Questions: {contact}. {organisation}",
        },
    },
    MessageKind.CANCELLED: {
        "fr": {
            "subject": "Rendez-vous annulé",
            "body": "Bonjour {first_name}. Votre rendez-vous du {when} est annulé. "
            "Pour un autre rendez-vous : {contact}. {organisation}",
        },
        "en": {
            "subject": "Appointment cancelled",
            "body": "Hello {first_name}. Your appointment on {when} is cancelled. "
            "For another one: {contact}. {organisation}",
        },
    },
    MessageKind.VOLUNTEER_DAY: {
        "fr": {
            "subject": "{change}Votre journée du {day}",
            "body": "Bonjour {first_name}. {change}Votre journée du {day} :\n{visits}\n"
            "Votre agenda : {calendar_link}",
        },
        "en": {
            "subject": "{change}Your day on {day}",
            "body": "Hello {first_name}. {change}Your day on {day}:\n{visits}\n"
            "Your calendar: {calendar_link}",
        },
    },
    MessageKind.DIGEST: {
        "fr": {
            "subject": "{organisation} : le point du {day}",
            "body": "Le point du {day}.\n\n{lines}",
        },
        "en": {
            "subject": "{organisation}: summary for {day}",
            "body": "Summary for {day}.\n\n{lines}",
        },
    },
    MessageKind.REFERRAL_STATUS: {
        "fr": {
            "subject": "Votre orientation {reference} : {status}",
            "body": "Bonjour {partner}. Où en est la personne que vous avez orientée "
            "({reference}) : {status}\nToutes vos orientations : {link}\n{organisation}",
        },
        "en": {
            "subject": "Your referral {reference}: {status}",
            "body": "Hello {partner}. News of the person you referred "
            "({reference}): {status}\nAll your referrals: {link}\n{organisation}",
        },
    },
    MessageKind.WORKSHOP_OFFER: {
        "fr": {
            "subject": "Une place pour vous : {programme}",
            "body": "Bonjour {first_name}. Une place est libre dans l'atelier {programme}, "
            "à {place}, à partir du {when}. Pour la prendre : {link} "
            "La place vous attend jusqu'au {expires}. Ou appelez : {contact}. {organisation}",
        },
        "en": {
            "subject": "A seat for you: {programme}",
            "body": "Hello {first_name}. A seat is free in the workshop {programme}, "
            "at {place}, from {when}. To take it: {link} "
            "The seat waits for you until {expires}. Or call: {contact}. {organisation}",
        },
    },
    MessageKind.WORKSHOP_ENROLLED: {
        "fr": {
            "subject": "Votre inscription à l'atelier {programme}",
            "body": "Bonjour {first_name}. Nous avons bien reçu votre inscription à l'atelier "
            "{programme}, à {place}. {status} Séances : {sessions}. Votre page, pour les voir "
            "ou vous retirer : {link} Questions : {contact}. {organisation}",
        },
        "en": {
            "subject": "Your enrolment in the workshop {programme}",
            "body": "Hello {first_name}. We received your enrolment in the workshop "
            "{programme}, at {place}. {status} Sessions: {sessions}. Your page, to see them "
            "or leave: {link} Questions: {contact}. {organisation}",
        },
    },
}

#: Fixed sentences, filled into ``{details}``, ``{change}`` and the digest.
PHRASES: dict[str, dict[str, str]] = {
    "fr": {
        "home": "{volunteer} vient chez vous. Arrivée entre {start} et {end}.",
        "home_anyone": "Un bénévole vient chez vous. Arrivée entre {start} et {end}.",
        "phone": "{volunteer} vous appelle au {phone}.",
        "phone_anyone": "Un bénévole vous appelle au {phone}.",
        "dropin": "Venez à {site}, {address}, le {day} à {time}.",
        "dropin_welcome": "{volunteer} vous accueille.",
        "changed": "Changement. ",
        "visit_line": "- {time} : {what}, {place}",
        "cancelled_line": "- {time} : annulé, {what}, {place}",
        "mode_home": "visite",
        "mode_phone": "appel",
        "mode_dropin": "permanence",
        "call_place": "{who} au {phone}",
        "digest_new": "Nouvelles demandes : {count}",
        "digest_absences": "Absences sur des rendez-vous publiés : {count}",
        "digest_outside_week": "Rendez-vous hors des plages de leur bénévole : {count}",
        "digest_cancelled": "Annulations : {count}",
        "digest_failed": "Messages en échec : {count}",
        "digest_calls": "Personnes à appeler : {count}",
        "digest_item": "  - {text}",
        "referral_planned": "un rendez-vous est prévu le {when}.",
        "referral_planned_undated": "un rendez-vous est en préparation.",
        "referral_done": "l'aide a été donnée.",
        "referral_not_served": "nous n'avons pas pu l'aider pour l'instant. "
        "La raison est sur votre liste.",
        "enrolled_seat": "Votre place est réservée.",
        "enrolled_waiting": "L'atelier est complet : vous êtes numéro {position} sur la liste "
        "d'attente. Nous vous écrirons si une place se libère.",
    },
    "en": {
        "home": "{volunteer} comes to your home. Arrival between {start} and {end}.",
        "home_anyone": "A volunteer comes to your home. Arrival between {start} and {end}.",
        "phone": "{volunteer} calls you at {phone}.",
        "phone_anyone": "A volunteer calls you at {phone}.",
        "dropin": "Come to {site}, {address}, on {day} at {time}.",
        "dropin_welcome": "{volunteer} welcomes you.",
        "changed": "Change. ",
        "visit_line": "- {time}: {what}, {place}",
        "cancelled_line": "- {time}: cancelled, {what}, {place}",
        "mode_home": "visit",
        "mode_phone": "call",
        "mode_dropin": "drop-in",
        "call_place": "{who} at {phone}",
        "digest_new": "New requests: {count}",
        "digest_absences": "Absences over published appointments: {count}",
        "digest_outside_week": "Appointments outside their volunteer's time slots: {count}",
        "digest_cancelled": "Cancellations: {count}",
        "digest_failed": "Failed messages: {count}",
        "digest_calls": "People to call: {count}",
        "digest_item": "  - {text}",
        "referral_planned": "an appointment is planned on {when}.",
        "referral_planned_undated": "an appointment is being arranged.",
        "referral_done": "the help was given.",
        "referral_not_served": "we could not help them for now. The reason is on your list.",
        "enrolled_seat": "Your seat is kept for you.",
        "enrolled_waiting": "The workshop is full: you are number {position} on the waiting "
        "list. We will write to you if a seat frees up.",
    },
}


for _kind, _texts in public_texts.DEFAULTS.items():
    DEFAULTS[_kind].update(_texts)
PHRASES.update(public_texts.PHRASES)

#: ``{name}``: a plain word between braces, the only thing :func:`fill` replaces.
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with its known ``{names}`` replaced; never raises on a bad text.

    Organisations write these texts, so anything else between braces (an unknown name, an
    index ``{first_name[0]}``, an attribute ``{first_name.upper}``, a format
    ``{first_name:>999999}``, a lone brace) is sent as typed: ``str.format`` would fail
    the request that sends the message, show the program's innards or build a huge text.
    """
    known = {k: str(v) for k, v in values.items()}

    def replace(match: re.Match[str]) -> str:
        return known.get(match.group(1), match.group(0))

    return _PLACEHOLDER.sub(replace, template)


def language_of(
    locale: str | None, fallback: str = "fr", offered: tuple[str, ...] = LANGUAGES
) -> str:
    """ "fr" or "en" for a locale such as fr_CA (or another of ``offered``); other
    languages get the fallback.

    :param offered: the languages the message is written in (:func:`languages_of`), when
        more than French and English.
    """
    code = (locale or "").split("_")[0].split("-")[0].lower()
    if code in offered:
        return code
    return fallback if fallback in offered else "fr"


def languages_of(kind: MessageKind) -> tuple[str, ...]:
    """The languages a kind of message is written in: French and English, and for some
    messages to beneficiaries the other languages of the public pages."""
    return tuple(DEFAULTS[kind])


def phrase(language: str, key: str, **values: object) -> str:
    return fill(PHRASES[language][key], values)


@dataclass(frozen=True, slots=True)
class Text:
    subject: str
    body: str


def text_for(
    kind: MessageKind,
    language: str,
    values: Mapping[str, object],
    overrides: Mapping[str, Mapping[str, str]] | None = None,
) -> Text:
    """The subject and body of one message, the organisation's words first."""
    default = DEFAULTS[kind][language]
    own = (overrides or {}).get(language) or {}
    subject = (own.get("subject") or "").strip() or default["subject"]
    body = (own.get("body") or "").strip() or default["body"]
    body = _without_empty_link_lines(body, values)
    return Text(_tidy(fill(subject, values)), _tidy(fill(body, values)))


#: Placeholders holding an address; some messages have none to give (no public address
#: configured for timed jobs, a volunteer without a calendar link yet).
LINK_PLACEHOLDERS = ("link", "calendar_link")


def _without_empty_link_lines(template: str, values: Mapping[str, object]) -> str:
    """The text without the lines that only introduce a link there is none of.

    "Your calendar: " followed by nothing reads as a broken message; the line goes. A link
    inside a sentence stays, so a one-line message is never emptied.
    """
    lines = template.split("\n")
    if len(lines) < 2:
        return template
    empty = {name for name in LINK_PLACEHOLDERS if name in values and not str(values[name])}
    kept = [
        line
        for line in lines
        if not any(line.rstrip().endswith("{" + name + "}") for name in empty)
    ]
    return "\n".join(kept)


def _tidy(text: str) -> str:
    """One full stop where a filled value already ended with one ("2:00 p.m.." )."""
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", text).strip()
