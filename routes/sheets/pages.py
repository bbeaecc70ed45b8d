"""The route sheet pages; see :mod:`routes.sheets`."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from pathlib import Path
from typing import Any
from typing import NoReturn
from zoneinfo import ZoneInfo

from flask import abort
from flask import current_app
from flask import make_response
from flask import render_template
from flask import url_for
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.feeds.serving import _link_key
from routes.feeds.serving import _rate_limit
from routes.sheets import bp
from scheduler.calendars import tokens
from scheduler.core import audit
from scheduler.core.extensions import db
from scheduler.core.extensions import limiter
from scheduler.dispatch import week_code
from scheduler.dispatch.view import find_plan
from scheduler.maps import Day
from scheduler.maps import days_from_appointments
from scheduler.maps import days_from_plan
from scheduler.maps import local_day_bounds
from scheduler.maps.plans import DayMap
from scheduler.maps.plans import day_map
from scheduler.models import Organisation
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from scheduler.people.volunteers import find_volunteer
from scheduler.people.volunteers import volunteer_for_user
from scheduler.sheets import html_to_pdf
from scheduler.sheets import sheets_for

#: How many days ahead a volunteer's own sheet covers: this week and the next one.
AHEAD_DAYS = 14


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


def _css() -> str:
    folder = Path(current_app.static_folder or "static")
    return "\n".join(
        (folder / "css" / name).read_text(encoding="utf-8") for name in ("maps.css", "sheets.css")
    )


def _render(
    days: list[Day],
    organisation: Organisation,
    *,
    title: str,
    pdf_url: str | None,
    pdf: bool,
    filename: str,
    totals: dict[str, Any] | None = None,
    nav: dict[str, Any] | None = None,
) -> Any:
    """The sheets of ``days`` as a page, or as a PDF download when ``pdf``."""
    sheets = sheets_for(days, totals)
    maps: dict[tuple[int, date], DayMap] = {
        (d.volunteer.id, d.day): day_map(organisation, [d]) for d in days if d.visits
    }
    html = render_template(
        "sheets/document.html" if pdf else "sheets/page.html",
        sheets=sheets,
        maps=maps,
        title=title,
        pdf_url=pdf_url,
        css=_css() if pdf else None,
        nav=nav or {},
    )
    if not pdf:
        return html
    response = make_response(html_to_pdf(html))
    # A route sheet holds names, addresses and phone numbers: its file is an export.
    # The target names no one (the file's name carries a first name).
    audit.record_export(
        db.session(),
        actor=current_user._get_current_object() if current_user.is_authenticated else None,
        what="route_sheet.pdf",
        rows=sum(1 for d in days for _ in d.visits),
        now=utcnow(),
        organisation_id=organisation.id,
        detail={"days": len(days)},
    )
    db.session.commit()
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def _organisation() -> Organisation:
    org: Organisation = current_user.organisation
    return org


# --- staff: a plan's day ----------------------------------------------------------------------


def _plan_days(plan_id: int, day: date, volunteer_id: int | None = None) -> tuple[Any, list[Day]]:
    org = _organisation()
    plan = find_plan(db.session(), org.id, plan_id)
    if plan is None or not plan.week_start <= day < plan.week_start + timedelta(days=7):
        # A day of another week (9999-12-31 typed in the address) has no sheet in this
        # plan: not an empty sheet titled with that day.
        abort(404)
    days = days_from_plan(
        db.session(), plan, ZoneInfo(org.timezone), volunteer_id=volunteer_id, day=day
    )
    return plan, days


@bp.get("/dispatch/plans/<int:plan_id>/sheets/<day>")
@staff_required
def team_day(plan_id: int, day: str) -> Any:
    return _team_day(plan_id, day, pdf=False)


@bp.get("/dispatch/plans/<int:plan_id>/sheets/<day>/pdf")
@staff_required
def team_day_pdf(plan_id: int, day: str) -> Any:
    return _team_day(plan_id, day, pdf=True)


def _team_day(plan_id: int, text: str, *, pdf: bool) -> Any:
    from flask_babel import format_date
    from flask_babel import gettext as _

    wanted = _day(text)
    plan, days = _plan_days(plan_id, wanted)
    monday = plan.week_start
    week = [monday + timedelta(days=i) for i in range(7)]
    return _render(
        days,
        _organisation(),
        title=_("Route sheets of %(day)s", day=format_date(wanted, "full")),
        pdf_url=None if pdf else _url("sheets.team_day_pdf", plan_id=plan_id, day=text),
        pdf=pdf,
        filename=f"route-sheets-{wanted.isoformat()}",
        totals=(plan.stats or {}).get("days"),
        nav={
            "plan_id": plan_id,
            "week": week,
            "day": wanted,
            "code": monday,
            # Printed from the plan page, the sheets lead back to it.
            "back": url_for("plans.week", week=week_code(monday)),
        },
    )


@bp.get("/dispatch/plans/<int:plan_id>/sheets/<day>/<int:volunteer_id>")
@staff_required
def volunteer_day(plan_id: int, day: str, volunteer_id: int) -> Any:
    return _volunteer_day(plan_id, day, volunteer_id, pdf=False)


@bp.get("/dispatch/plans/<int:plan_id>/sheets/<day>/<int:volunteer_id>/pdf")
@staff_required
def volunteer_day_pdf(plan_id: int, day: str, volunteer_id: int) -> Any:
    return _volunteer_day(plan_id, day, volunteer_id, pdf=True)


def _volunteer_day(plan_id: int, text: str, volunteer_id: int, *, pdf: bool) -> Any:
    from flask_babel import gettext as _

    wanted = _day(text)
    plan, days = _plan_days(plan_id, wanted, volunteer_id)
    volunteer = find_volunteer(db.session(), _organisation().id, volunteer_id)
    if volunteer is None:
        abort(404)
    return _render(
        days,
        _organisation(),
        title=_("Route sheet of %(name)s", name=volunteer.first_name),
        pdf_url=None
        if pdf
        else _url("sheets.volunteer_day_pdf", plan_id=plan_id, day=text, volunteer_id=volunteer_id),
        pdf=pdf,
        filename=f"route-sheet-{volunteer.first_name.lower()}-{wanted.isoformat()}",
        totals=(plan.stats or {}).get("days"),
    )


# --- a volunteer's coming days, from their appointments ----------------------------------------


def _coming(volunteer: Volunteer, *, pdf: bool, pdf_url: str | None) -> Any:
    from flask_babel import gettext as _

    org = volunteer.organisation
    start, end = local_day_bounds(org, local_today(org, utcnow()), AHEAD_DAYS)
    days = days_from_appointments(db.session(), org, start, end, volunteer_id=volunteer.id)
    return _render(
        days,
        org,
        title=_("Route sheet of %(name)s", name=volunteer.first_name),
        pdf_url=pdf_url,
        pdf=pdf,
        filename=f"route-sheet-{volunteer.first_name.lower()}",
    )


@bp.get("/dispatch/volunteers/<int:volunteer_id>/sheet")
@staff_required
def volunteer_coming(volunteer_id: int) -> Any:
    volunteer = find_volunteer(db.session(), _organisation().id, volunteer_id)
    if volunteer is None:
        abort(404)
    return _coming(
        volunteer,
        pdf=False,
        pdf_url=_url("sheets.volunteer_coming_pdf", volunteer_id=volunteer_id),
    )


@bp.get("/dispatch/volunteers/<int:volunteer_id>/sheet.pdf")
@staff_required
def volunteer_coming_pdf(volunteer_id: int) -> Any:
    volunteer = find_volunteer(db.session(), _organisation().id, volunteer_id)
    if volunteer is None:
        abort(404)
    return _coming(volunteer, pdf=True, pdf_url=None)


@bp.get("/me/sheet")
@login_required
def mine() -> Any:
    volunteer = volunteer_for_user(db.session(), current_user)
    if volunteer is None:
        abort(404)
    return _coming(volunteer, pdf=False, pdf_url=_url("sheets.mine_pdf"))


@bp.get("/me/sheet.pdf")
@login_required
def mine_pdf() -> Any:
    volunteer = volunteer_for_user(db.session(), current_user)
    if volunteer is None:
        abort(404)
    return _coming(volunteer, pdf=True, pdf_url=None)


@bp.get("/feeds/sheet/<token>")
@limiter.limit(_rate_limit, key_func=_link_key)
def by_link(token: str) -> Any:
    volunteer = tokens.find_volunteer(db.session(), token, now=utcnow())
    if volunteer is None:
        _no_such_sheet()
    page = make_response(
        _coming(volunteer, pdf=False, pdf_url=_url("sheets.by_link_pdf", token=token))
    )
    _private(page)
    return page


@bp.get("/feeds/sheet/<token>/pdf")
@limiter.limit(_rate_limit, key_func=_link_key)
def by_link_pdf(token: str) -> Any:
    volunteer = tokens.find_volunteer(db.session(), token, now=utcnow())
    if volunteer is None:
        _no_such_sheet()
    response = _coming(volunteer, pdf=True, pdf_url=None)
    _private(response)
    return response


def _no_such_sheet() -> NoReturn:
    """An unknown, revoked or mistyped sheet link, opened by a person in a browser: the
    not-found page in their language, which says to ask for a new link (the same words
    whatever the cause), kept out of caches. Calendar feeds answer a bare 404 instead."""
    response = make_response(render_template("errors/http.html", code=404), 404)
    response.cache_control.no_store = True
    abort(response)


def _private(response: Response) -> None:
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.cache_control.private = True
    response.cache_control.no_store = True


def _url(endpoint: str, **values: Any) -> str:
    from flask import url_for

    return url_for(endpoint, **values)
