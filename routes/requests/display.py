"""How the inbox writes things down: ages, deadlines, phone numbers, history lines."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from routes.labels import availability_in_words
from routes.labels import cancel_reason_label
from routes.labels import need_label
from routes.labels import priority_label
from routes.labels import source_label
from routes.labels import status_label
from routes.requests.forms import CHOOSE_FROM_LIST
from scheduler.core.i18n import language_name
from scheduler.core.phones import format_phone
from scheduler.models import RequestEvent
from scheduler.requests.triage import ActionRefused

FIELD = {
    "duration_min": _l("Duration"),
    "priority": _l("Priority"),
    "required_language": _l("Language of the help"),
    "required_skills": _l("Required skills"),
    "internal_notes": _l("Internal notes"),
    "municipality": _l("Municipality"),
    "address": _l("Address"),
    "availability": _l("Availability"),
    "any_time": _l("Any time"),
    "deadline": _l("Deadline"),
    "needs": _l("Needs"),
    "languages": _l("Languages"),
}
EVENT_KIND = {
    "created": _l("Request received"),
    "triaged": _l("Triage"),
    "status": _l("Status changed"),
    "corrected": _l("Place or availability corrected"),
    "merged": _l("Duplicates merged"),
    "erased": _l("Personal data erased"),
}
ERASE_REASON = {
    "retention": _l("The retention period was over."),
    "request": _l("Erased on request, before the end of the retention period."),
}


def waiting_in_words(days: int) -> str:
    if days <= 0:
        return _("today")
    return ngettext("%(num)d day", "%(num)d days", days)


def deadline_in_words(days_left: int | None) -> str:
    if days_left is None:
        return ""
    if days_left < 0:
        return ngettext("passed %(num)d day ago", "passed %(num)d days ago", -days_left)
    if days_left == 0:
        return _("today")
    if days_left == 1:
        return _("tomorrow")
    return ngettext("in %(num)d day", "in %(num)d days", days_left)


def phone_in_words(number: str | None, country: str | None) -> str:
    """+18195550142 as "(819) 555-0142" at home, "+1 819-555-0142" from elsewhere."""
    return format_phone(number, country)


def language_names(codes: list[str] | None) -> str:
    locale = str(get_locale())
    return ", ".join(language_name(code, locale) for code in codes or [])


def _value(field: str, value: Any) -> str:
    if value is None or value == []:
        return "—"
    if field == "duration_min":
        return _("%(num)d min", num=value)
    if field == "priority":
        return priority_label(value)
    if field == "required_language":
        return language_names([value])
    if field in ("required_skills", "needs"):
        return ", ".join(need_label(code) for code in value)
    if field == "languages":
        return language_names(value)
    if field == "availability":
        return "; ".join(availability_in_words(value))
    if field == "any_time":
        return _("yes") if value else _("no")
    if field == "deadline":
        try:
            return format_date(date.fromisoformat(value), "medium")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def event_title(event: RequestEvent) -> str:
    return str(EVENT_KIND.get(event.kind, event.kind))


def event_lines(event: RequestEvent) -> list[str]:
    """What an event changed, one sentence per line; never the raw detail of unknown kinds."""
    detail = event.detail or {}
    lines: list[str] = []
    if event.kind in ("triaged", "corrected"):
        for field, change in (detail.get("changes") or {}).items():
            name = FIELD.get(field, field)
            old, new = (
                (list(change) + [None, None])[:2] if isinstance(change, list) else (None, None)
            )
            if old is None and new is None:
                lines.append(_("%(field)s changed", field=name))
            else:
                lines.append(
                    _(
                        "%(field)s: %(old)s → %(new)s",
                        field=name,
                        old=_value(field, old),
                        new=_value(field, new),
                    )
                )
    elif event.kind == "status":
        lines.append(
            _(
                "%(old)s → %(new)s",
                old=status_label(detail.get("from")),
                new=status_label(detail.get("to")),
            )
        )
        if detail.get("reason"):
            lines.append(_("Reason: %(reason)s", reason=cancel_reason_label(detail["reason"])))
    elif event.kind == "merged":
        if detail.get("into"):
            lines.append(_("Merged into %(reference)s.", reference=detail["into"]))
        if detail.get("from"):
            lines.append(_("%(reference)s was merged into this request.", reference=detail["from"]))
        for field, value in (detail.get("added") or {}).items():
            name = FIELD.get(field, field)
            lines.append(_("%(field)s added: %(value)s", field=name, value=_value(field, value)))
    elif event.kind == "created" and detail.get("source"):
        lines.append(source_label(detail["source"]))
    elif event.kind == "erased" and detail.get("reason") in ERASE_REASON:
        lines.append(str(ERASE_REASON[detail["reason"]]))
    return lines


def refusal_message(refusal: ActionRefused) -> str:
    """The sentence for a refused action (see :class:`scheduler.requests.triage.ActionRefused`)."""
    p = refusal.params
    code = refusal.code
    if code == "transition":
        return _(
            "A request that is “%(current)s” cannot become “%(target)s”.",
            current=status_label(p.get("current")),
            target=status_label(p.get("target")),
        )
    if code == "duration":
        return _(
            "Enter a duration between %(min)s and %(max)s minutes.",
            min=p["lowest"],
            max=p["highest"],
        )
    if code in ("notes", "address_long"):
        return _("Write at most %(max)d characters.", max=p["longest"])
    if code == "merge_confirmed":
        return _(
            "%(reference)s has a confirmed appointment: keep that request, "
            "or cancel its appointment first.",
            reference=p.get("reference", ""),
        )
    messages = {
        "closed": _l("This request is closed: it can no longer be changed."),
        "cancel_reason": _l("Say why the request is cancelled."),
        "language": _l("Choose one of the languages the person speaks."),
        "municipality": _l("Choose a municipality of your territory."),
        "address_missing": _l("Enter the street address: a volunteer goes there."),
        "availability_missing": _l("Tick at least one time the person is free, or “Any time”."),
        "merge_same": _l("A request cannot be merged with itself."),
        "merge_other_organisation": _l("These requests belong to different organisations."),
        "merge_closed": _l("Only open requests can be merged."),
        "merge_series": _l("These requests are sessions of the same cycle, not duplicates."),
        "erase_open": _l(
            "Only a closed request can be erased now: close it first (done, cancelled or no-show)."
        ),
        "erase_done": _l("The personal data of this request is already erased."),
    }
    return str(messages.get(code, CHOOSE_FROM_LIST))
