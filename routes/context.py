"""What a page knows about its visitor: the organisation, the language, the settings.

Everything here reads the request (the session, the signed-in user, ``g``) or the running
application, which services never do: pages ask here, then pass plain values on.
"""

from __future__ import annotations

from flask import current_app
from flask import g
from flask import has_request_context
from flask import request
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
    """Languages of the staff pages (``LANGUAGES``)."""
    return list(settings().languages)


#: Calls of the REST API, and the language of its answers when the caller asks for none.
API_PATH = "/api/"
API_LANGUAGE = "en"

#: Blueprints whose pages a person asking for help sees: they speak the languages of
#: ``[PUBLIC]`` and follow the browser's preferred language.
PUBLIC_BLUEPRINTS = frozenset({"booking"})


def is_public_page() -> bool:
    """A page of the beneficiaries' blueprints, or the "not found" of an address that
    matches no page (an old link, a number beyond any id): anyone may land there, in the
    language they read the public pages in."""
    if not has_request_context():
        return False
    return request.blueprint in PUBLIC_BLUEPRINTS or request.url_rule is None


def public_languages() -> list[str]:
    """The languages this organisation offers on the beneficiary's pages."""
    org = current_organisation()
    return list(settings().public.languages_for(org.slug if org is not None else None))


def offered_languages() -> list[str]:
    """The languages this page can be read in."""
    return public_languages() if is_public_page() else interface_languages()


def any_language() -> list[str]:
    """Every language some page of this organisation speaks (for the language switch)."""
    return list(dict.fromkeys([*interface_languages(), *public_languages()]))


def show_in_language(code: str | None) -> None:
    """Ask this page to speak ``code`` (a request's own language) unless the visitor has
    chosen one; call it before anything is translated."""
    if code:
        g.page_language = code.split("_")[0]


def chosen_language() -> str:
    """The language of this page.

    The visitor's own choice first; then, on a private link, the language the request was
    sent in; a signed-in user's; on public pages the browser's preferred language; at last
    the organisation's. A call of the REST API follows its Accept-Language only.
    """
    if not has_request_context():
        return FALLBACK_LANGUAGE
    offered = offered_languages()
    if request.path.startswith(API_PATH):
        # Software calls the API: no session, no signed-in user. Its words (a problem's
        # ``detail``) follow Accept-Language, and stay in English, the API's documented
        # language, when it asks for none we speak.
        preferred = request.accept_languages.best_match(offered)
        return str(preferred).split("-")[0] if preferred else API_LANGUAGE
    for candidate in (
        session.get("lang"),
        g.get("page_language"),
        getattr(current_user, "locale", None) if current_user.is_authenticated else None,
    ):
        if candidate:
            lang = str(candidate).split("_")[0]
            if lang in offered:
                return lang
    if is_public_page():
        preferred = request.accept_languages.best_match(offered)
        if preferred:
            return str(preferred).split("-")[0]
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
