"""What a page knows about its visitor: the organisation, the language, the settings.

Everything here reads the request (the session, the signed-in user, ``g``) or the running
application, which services never do: pages ask here, then pass plain values on.
"""

from __future__ import annotations

from flask import current_app
from flask import g
from flask import has_request_context
from flask import session
from flask_login import current_user

from scheduler.core.extensions import db
from scheduler.core.i18n import FALLBACK_LANGUAGE
from scheduler.core.i18n import locale_for
from scheduler.models import Organisation
from scheduler.organisation.organisations import default_organisation
from scheduler.runtime import Settings
from scheduler.runtime import settings_of


def settings() -> Settings:
    """The running application's typed settings (read once by ``create_app``)."""
    return settings_of(current_app)


def current_organisation() -> Organisation | None:
    """The organisation of the signed-in user, or the installation's one; cached per request.

    Escouade runs one organisation per installation today; the model carries
    ``organisation_id`` everywhere so that several can share one database later.
    """
    if "organisation" not in g:
        org = None
        if current_user and current_user.is_authenticated:
            org = current_user.organisation
        if org is None:
            org = default_organisation(db.session())
        g.organisation = org
    found: Organisation | None = g.organisation
    return found


def interface_languages() -> list[str]:
    return list(settings().languages)


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
            lang = str(candidate).split("_")[0]
            if lang in offered:
                return lang
    org = current_organisation()
    if org is not None and org.language in offered:
        return org.language
    return offered[0] if offered else FALLBACK_LANGUAGE


def select_locale() -> str:
    """Flask-Babel's locale selector: the chosen language in the organisation's region."""
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
    """Flask-Babel's time-zone selector: the organisation's zone."""
    org = current_organisation() if has_request_context() else None
    return org.timezone if org is not None else None
