"""Which language and regional wording each page is shown in.

People choose a language (French or English); the organisation decides the
regional variant: a Québec association reads fr_CA wording ("courriel"), a French
one fr_FR ("e-mail"). Catalogues: ``translations/`` holds the shared French,
``translations/regional/`` only the phrases that differ by region.
"""

from __future__ import annotations

from babel import Locale
from flask import current_app
from flask import g
from flask import has_request_context
from flask import session
from flask_login import current_user

from scheduler.organisation.organisations import current_organisation

FALLBACK_LANGUAGE = "fr"


def interface_languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def chosen_language() -> str:
    """The language of this page: the visitor's choice, the user's, or the organisation's."""
    if not has_request_context():
        return FALLBACK_LANGUAGE
    offered = interface_languages()
    for candidate in (
        session.get("lang"),
        getattr(current_user, "locale", None) if current_user.is_authenticated else None,
    ):
        if candidate:
            lang = candidate.split("_")[0]
            if lang in offered:
                return lang
    org = current_organisation()
    if org is not None and org.language in offered:
        return org.language
    return offered[0] if offered else FALLBACK_LANGUAGE


def locale_for(language: str, org_locale: str | None, country: str | None) -> str:
    """The full locale for a language, following the organisation's region."""
    if org_locale and org_locale.split("_")[0] == language:
        return org_locale
    region = (country or "CA").upper()
    candidate = f"{language}_{region}"
    try:
        Locale.parse(candidate)
    except (ValueError, LookupError):
        return language
    return candidate


def select_locale() -> str:
    if has_request_context() and "locale" in g:
        return str(g.locale)
    org = current_organisation() if has_request_context() else None
    locale = locale_for(
        chosen_language(),
        org.locale if org is not None else None,
        org.country if org is not None else None,
    )
    if has_request_context():
        g.locale = locale
    return locale


def select_timezone() -> str | None:
    org = current_organisation() if has_request_context() else None
    return org.timezone if org is not None else None


def language_name(code: str, in_locale: str) -> str:
    """A language's own name in the page's language: 'arabe' in French, 'Arabic' in English."""
    try:
        name = Locale.parse(in_locale).languages.get(code)
    except (ValueError, LookupError):
        name = None
    return name.capitalize() if name else code


def native_language_name(code: str) -> str:
    """A language's name in itself ('العربية', 'Español'), for the language switch and lists."""
    try:
        return Locale.parse(code).get_display_name(code).capitalize()
    except (ValueError, LookupError):
        return code
