"""The dispatcher's inbox (blueprint ``inbox``): the list, and what its pages share.

Thin: each view checks the role first, parses its input, calls a service in
``scheduler`` (inbox, triage, duplicates, retention) and renders. Expected
refusals come back as :class:`ActionRefused` and are shown beside their field.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_login import current_user

from routes.access import staff_required
from routes.context import settings
from routes.labels import mode_label
from routes.labels import need_label
from routes.labels import status_label
from routes.language import safe_next
from routes.requests import display as inbox_display
from routes.requests.display import refusal_message
from routes.requests.forms import InboxFilterForm
from scheduler.core.extensions import db
from scheduler.core.i18n import language_name
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Need
from scheduler.models import Organisation
from scheduler.models import RequestStatus
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.models.enums import OPEN_STATUSES
from scheduler.partners import organisations as partner_organisations
from scheduler.requests import inbox
from scheduler.requests import triage
from scheduler.requests.triage import ActionRefused

bp = Blueprint("inbox", __name__, url_prefix="/dispatch/requests")

SORT_LABEL = {
    inbox.Sort.URGENCY: _l("Most urgent first"),
    inbox.Sort.OLDEST: _l("Waiting longest first"),
    inbox.Sort.DEADLINE: _l("Nearest deadline first"),
    inbox.Sort.NEWEST: _l("Newest first"),
}
ALL_STATUSES = frozenset(RequestStatus)


@bp.context_processor
def display_helpers() -> dict[str, Any]:
    return {
        name: getattr(inbox_display, name)
        for name in (
            "event_title",
            "event_lines",
            "waiting_in_words",
            "deadline_in_words",
            "phone_in_words",
            "language_names",
        )
    }


# --- helpers --------------------------------------------------------------------------


def acting_user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def acting_organisation() -> Organisation:
    return acting_user().organisation


def request_or_404(request_id: int) -> HelpRequest:
    """The request if it belongs to the signed-in user's organisation; 404 otherwise."""
    found = inbox.find_request(db.session(), acting_user().organisation_id, request_id)
    if found is None:
        abort(404)
    return found


def back_link() -> str:
    """Where "back to the list" goes: the inbox page the dispatcher came from."""
    home = url_for("inbox.index")
    target = safe_next(request.args.get("back"), home)
    return target if target.split("?")[0] == home else home


def version_of(req: HelpRequest) -> str:
    """Changes when anyone saves the request: a form sent from an older page is refused."""
    return req.updated_at.isoformat() if req.updated_at else ""


def attach_refusal(form: Any, refusal: ActionRefused) -> None:
    message = refusal_message(refusal)
    field = getattr(form, refusal.field, None) if refusal.field else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


def _statuses_for(view: str) -> frozenset[RequestStatus]:
    if view == "open":
        return OPEN_STATUSES
    if view == "closed":
        return triage.CLOSED_STATUSES
    if view == "all":
        return ALL_STATUSES
    return frozenset({RequestStatus(view)})


def _booking_languages() -> list[str]:
    return list(settings().booking.languages)


# --- the list -------------------------------------------------------------------------


def _fill_filter_choices(form: InboxFilterForm, org: Organisation) -> None:
    locale = str(get_locale())
    form.status.choices = [
        ("open", _("Open")),
        *((s.value, status_label(s)) for s in RequestStatus),
        ("closed", pgettext("requests", "Closed")),
        ("all", pgettext("requests", "All")),
    ]
    form.mode.choices = [("", _("All modes"))] + [(m.value, mode_label(m)) for m in Mode]
    form.municipality.choices = [("", _("All municipalities"))] + [
        (str(town.id), town.name) for town in org.municipalities
    ]
    form.need.choices = [("", _("All needs"))] + [(n.value, need_label(n)) for n in Need]
    languages = sorted(
        _booking_languages(), key=lambda code: language_name(code, locale).casefold()
    )
    form.language.choices = [("", _("All languages"))] + [
        (code, language_name(code, locale)) for code in languages
    ]
    form.partner.choices = [("", _("All partners"))] + [
        (str(partner.id), partner.name)
        for partner in partner_organisations.partners(db.session(), org.id)
    ]
    form.sort.choices = [(s.value, str(label)) for s, label in SORT_LABEL.items()]


def _read_filters(form: InboxFilterForm) -> tuple[inbox.InboxFilters, dict[str, str]]:
    """The filters to apply, and the query arguments that repeat them in links.

    A value that is not valid is left out (the form shows why); the others apply.
    """
    form.validate()

    def given(field: Any) -> str | None:
        value = field.data
        if field.errors or value is None or not str(value).strip():
            return None
        return str(value).strip()

    args: dict[str, Any] = {
        name: value
        for name in ("q", "status", "mode", "municipality", "need", "language", "partner", "sort")
        if (value := given(getattr(form, name))) is not None
    }
    if args.get("status") == "open":
        del args["status"]
    if args.get("sort") == inbox.Sort.URGENCY:
        del args["sort"]
    filters = inbox.InboxFilters(
        statuses=_statuses_for(args.get("status", "open")),
        mode=Mode(args["mode"]) if "mode" in args else None,
        municipality_id=int(args["municipality"]) if "municipality" in args else None,
        need=args.get("need"),
        language=args.get("language"),
        partner_id=int(args["partner"]) if "partner" in args else None,
        query=args.get("q", ""),
        sort=inbox.Sort(args.get("sort", inbox.Sort.URGENCY)),
    )
    return filters, args


def _status_arg(code: str) -> dict[str, Any]:
    return {} if code == "open" else {"status": code}


def _page_arg(page: int) -> dict[str, Any]:
    return {"page": page} if page > 1 else {}


def _status_tabs(counts: Any, args: dict[str, Any]) -> list[dict[str, Any]]:
    """One link per status with its count; the other filters stay, the page goes back to 1."""
    current = args.get("status", "open")
    others = {k: v for k, v in args.items() if k != "status"}
    tabs = [("open", _("Open"), sum(counts[s] for s in OPEN_STATUSES))]
    tabs += [(s.value, status_label(s), counts[s]) for s in RequestStatus]
    tabs.append(("all", pgettext("requests", "All"), sum(counts.values())))
    return [
        {
            "code": code,
            "label": label,
            "count": count,
            "current": code == current,
            "url": url_for("inbox.index", **others, **_status_arg(code)),
        }
        for code, label, count in tabs
    ]


@bp.get("")
@staff_required
def index() -> tuple[str, int]:
    org = acting_organisation()
    form = InboxFilterForm(formdata=request.args)
    _fill_filter_choices(form, org)
    filters, args = _read_filters(form)
    page = inbox.list_requests(
        db.session(),
        org,
        filters,
        now=utcnow(),
        page=request.args.get("page", default=1, type=int) or 1,
    )
    return render_template(
        "inbox/index.html",
        form=form,
        page=page,
        filter_args=args,
        tabs=_status_tabs(page.status_counts, args),
        filtered=bool(set(args) - {"status", "sort"}),
        view_label=dict(form.status.choices)[args.get("status", "open")],
        sort_label=SORT_LABEL[filters.sort],
        here=url_for("inbox.index", **{**args, **_page_arg(page.page)}),
    ), (400 if form.errors else 200)


# The pages of one request register on the same blueprint.
from routes.requests import merging  # noqa: E402,F401
from routes.requests import request_page  # noqa: E402,F401
