"""Names every template can use: the organisation, the language, helpers for forms."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import Flask
from flask import current_app
from flask import request
from flask_babel import format_date
from flask_babel import format_datetime
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from wtforms import Field

from routes.context import chosen_language
from routes.context import current_organisation
from routes.context import offered_languages
from routes.submissions import once_field
from routes.weekly import long_date
from scheduler.core.i18n import clock_text
from scheduler.core.i18n import language_name
from scheduler.core.i18n import list_separator
from scheduler.core.i18n import native_language_name
from scheduler.core.i18n import quoted
from scheduler.core.i18n import text_direction


def org_name() -> str:
    org = current_organisation()
    return org.name if org is not None else "Escouade"


def page_lang() -> str:
    """The BCP 47 tag of the page: fr-CA, en-CA."""
    return str(get_locale()).replace("_", "-")


def this_page_path() -> str:
    """This page's path (and query), to come back to after switching language; templates
    that name a help request ``request`` cannot read Flask's."""
    return request.full_path if request.query_string else request.path


def page_dir() -> str:
    """``rtl`` for a page in Arabic, ``ltr`` otherwise (the ``dir`` of ``<html>``)."""
    return text_direction(chosen_language())


def other_languages() -> list[str]:
    current = chosen_language()
    return [code for code in offered_languages() if code != current]


def first_input_id(field: Field) -> str:
    """The id an error link jumps to: the field, or its first option for a group."""
    if field.type in ("RadioField", "MultiCheckboxField", "SelectMultipleField"):
        return f"{field.id}-0"
    return str(field.id)


def error_title(code: int) -> str:
    titles = {
        400: _("Something in the request was not right"),
        403: _("You do not have access to this page"),
        404: _("Page not found"),
        405: _("This action is not possible here"),
        413: _("What you sent is too large"),
        429: _("Too many attempts"),
    }
    return titles.get(code, _("Something went wrong on our side"))


def error_text(code: int) -> str:
    texts = {
        403: _("If you think you should see it, ask your coordinator."),
        404: _(
            "The link may be old or mistyped. If you followed a private link, ask us for a new one."
        ),
        413: _("Go back, shorten the longest text, then send again."),
        429: _("Please wait a few minutes, then try again."),
    }
    return texts.get(
        code, _("Nothing you typed was lost on our side. Please try again in a moment.")
    )


def local_datetime(value: Any, format: str = "medium") -> str:
    """An aware UTC instant shown in the organisation's zone and the page's language.

    ``medium`` is the day in words and the time to the minute (« 1 déc. 2026, 6 h 38 »),
    the time as every other page writes it (:func:`scheduler.core.i18n.clock_text`): the
    locale's own medium pattern adds seconds (« 06 h 38 min 52 s »), which nobody needs
    to read on a page. ``short`` is the locale's short date and the same time, in the
    locale's order (« 2026-12-01 6 h 38 », « 01/12/2026 6 h 38 »). ``long`` is the day
    written in full, as the pages' long dates write days (« mardi 1 décembre 2026, 6 h 38 »),
    for lists that sit beside them.
    """
    if value is None:
        return ""
    if format in ("medium", "short", "long"):
        local = to_user_timezone(value)
        hour = clock_text(local.time(), get_locale())
        if format == "long":
            return f"{long_date(local.date())}, {hour}"
        if format == "medium":
            return f"{format_date(value, 'medium')}, {hour}"
        pattern = str(Locale.parse(str(get_locale())).datetime_formats.get("short", "{1} {0}"))
        return pattern.format(hour, format_date(value, "short"))
    return format_datetime(value, format)


def listed(items: Any) -> str:
    """``{{ words | listed }}``: items joined with the page language's comma, "، " in
    Arabic where ``join(', ')`` would put a Latin one."""
    return list_separator(get_locale()).join(str(item) for item in items)


def in_quotes(text: Any) -> str:
    """``{{ words | in_quotes }}``: a person's own words between the page language's
    quotation marks (« … » in French, “…” in English); escaped like any other value."""
    return quoted(str(text), get_locale())


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update(
        org_name=org_name,
        page_lang=page_lang,
        page_dir=page_dir,
        this_page_path=this_page_path,
        text_direction=text_direction,
        offered_languages=offered_languages,
        chosen_language=chosen_language,
        other_languages=other_languages,
        native_language_name=native_language_name,
        first_input_id=first_input_id,
        error_title=error_title,
        error_text=error_text,
        once_field=once_field,
        endpoints=lambda: current_app.view_functions,
        language_name=lambda code: language_name(code, str(get_locale())),
    )
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["listed"] = listed
    app.jinja_env.filters["in_quotes"] = in_quotes
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
