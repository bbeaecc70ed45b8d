"""The observatory's pages: the dashboard and its exports (staff of the organisation), and
a volunteer's year with its statement.

Thin: read the filters into a scope, call :mod:`scheduler.observatory`, render or send the
file. Every file sent is recorded first (:func:`scheduler.observatory.exports.record_export`).
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from typing import IO
from typing import Any

from babel.dates import get_month_names
from flask import Blueprint
from flask import Response
from flask import abort
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_date
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from routes.access import role_required
from routes.access import staff_required
from routes.forms import FlaskForm
from scheduler.core.extensions import db
from scheduler.core.validation import InputRefused
from scheduler.core.validation import plain_number
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.observatory import Scope
from scheduler.observatory import build_dashboard
from scheduler.observatory import exports
from scheduler.observatory import read_scope
from scheduler.observatory import volunteer_year
from scheduler.observatory.counts import groups
from scheduler.observatory.figures import ReasonCount
from scheduler.observatory.rows import iter_request_lines
from scheduler.observatory.rows import site_names
from scheduler.observatory.rows import territory
from scheduler.observatory.rows import volunteer_names
from scheduler.observatory.rows import zone_of
from scheduler.organisation.organisations import local_today

from . import charts as page_charts
from . import words

bp = Blueprint("observatory", __name__)


class FiltersForm(FlaskForm):
    """The dashboard's filters, read from the query string."""

    class Meta:
        csrf = False

    period = SelectField(
        _l("Period"),
        choices=[SelectChoice(k, v) for k, v in words.PERIOD_KIND.items()],
        default="month",
    )
    value = StringField(_l("Which one"))
    first = StringField(_l("First day"), render_kw={"type": "date"})
    last = StringField(_l("Last day"), render_kw={"type": "date"})
    site = SelectField(_l("Site"), choices=[], validate_choice=False)
    municipality = SelectField(_l("Municipality"), choices=[], validate_choice=False)


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _organisation() -> Organisation:
    return _user().organisation


def _filters(org: Organisation) -> tuple[FiltersForm, Scope | None]:
    """The filters as typed, and the scope they name (None when one is wrong; the form
    then carries the message beside the field)."""
    form = FiltersForm(request.args)
    sites = site_names(db.session(), org)
    places = territory(db.session(), org)
    form.site.choices = [SelectChoice("", _l("Every site"))] + [
        SelectChoice(str(i), n) for i, n in sites.items()
    ]
    form.municipality.choices = [SelectChoice("", _l("The whole territory"))] + [
        SelectChoice(str(p.id), p.name) for p in places
    ]
    try:
        scope = read_scope(
            kind=form.period.data or "month",
            value=form.value.data or "",
            first=form.first.data or "",
            last=form.last.data or "",
            site=form.site.data or "",
            municipality=form.municipality.data or "",
            site_ids=frozenset(sites),
            municipality_ids=frozenset(p.id for p in places),
            today=local_today(org, utcnow()),
        )
    except InputRefused as refusal:
        target = getattr(form, refusal.field or "period")
        target.errors = [*target.errors, words.refusal_text(refusal)]
        return form, None
    return form, scope


def _period_text(scope: Scope) -> str:
    return f"{format_date(scope.first, 'long')} – {format_date(scope.last, 'long')}"


@bp.get("/observatory")
@staff_required
def dashboard() -> Any:
    org = _organisation()
    form, scope = _filters(org)
    if scope is None:
        return render_template("observatory/dashboard.html", form=form, dash=None), 400
    dash = build_dashboard(db.session(), org, scope, today=local_today(org, utcnow()))
    return render_template(
        "observatory/dashboard.html",
        form=form,
        dash=dash,
        period_text=_period_text(scope),
        charts=page_charts.dashboard_charts(dash, volunteer_names(db.session(), org)),
        words=words,
        query=request.args.to_dict(),
        sites=site_names(db.session(), org),
        volunteers=volunteer_names(db.session(), org),
    )


@bp.get("/observatory/export/<kind>.<fmt>")
@staff_required
def export(kind: str, fmt: str) -> Any:
    if kind not in ("requests", "activity", "summary") or fmt not in exports.FORMATS:
        abort(404)
    org = _organisation()
    form, scope = _filters(org)
    if scope is None:
        query: dict[str, Any] = request.args.to_dict()
        return redirect(url_for("observatory.dashboard", **query))
    session = db.session()
    zone = zone_of(org)
    # The same few codes come back on every row: find their words once per export.
    label = functools.cache(words.label)
    sites = site_names(session, org)
    names = volunteer_names(session, org)
    if kind == "summary":
        table = exports.summary_table(groups(session, org, scope), label=label)
        headers = [str(words.SUMMARY_HEADERS[c]) for c in table.header]
    else:
        lines = iter_request_lines(session, org, scope)
        if kind == "requests":
            table = exports.request_table(
                lines,
                zone=zone,
                label=label,
                reason_words=_cached_reasons(),
                sites=sites,
                volunteers=names,
            )
            headers = [str(words.REQUEST_HEADERS[c]) for c in table.header]
        else:
            table = exports.activity_table(lines, zone=zone, sites=sites, volunteers=names)
            headers = [words.ACTIVITY_HEADERS[c] for c in table.header]
    rows = exports.Counted(table.rows)
    name = f"escouade-{kind}-{scope.first.isoformat()}-{scope.last.isoformat()}.{fmt}"
    response = _file(headers, rows, fmt, name, sheet=kind)
    exports.record_export(
        session,
        organisation_id=org.id,
        user_id=_user().id,
        kind=kind,
        file_format=fmt,
        scope=scope,
        rows=rows.count,
        now=utcnow(),
    )
    return response


def _cached_reasons() -> Callable[[ReasonCount], str]:
    """Reason sentences found once per reason and details for a whole export."""
    found: dict[tuple[str, str], str] = {}

    def words_for(line: ReasonCount) -> str:
        key = (line.reason, repr(sorted(line.detail.items())))
        if key not in found:
            found[key] = words.reason_text(line)
        return found[key]

    return words_for


def _file(headers: list[str], rows: Iterable[Any], fmt: str, name: str, *, sheet: str) -> Response:
    """The file, written to a temporary file as the rows are read and sent from there in
    blocks: neither the rows nor the file are ever whole in memory."""
    out = tempfile.TemporaryFile()
    try:
        if fmt == "csv":
            exports.write_csv_to(out, headers, rows)
            mimetype = "text/csv"  # Werkzeug adds "; charset=utf-8" to text types
        else:
            exports.write_xlsx_to(out, headers, rows, sheet=sheet)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        size = out.tell()
        out.seek(0)
    except BaseException:
        out.close()
        raise
    response = Response(_blocks(out), mimetype=mimetype, direct_passthrough=True)
    response.content_length = size
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _blocks(out: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    """The file in blocks, closed (and so deleted) once sent or when the client leaves."""
    try:
        while block := out.read(size):
            yield block
    finally:
        out.close()


def _year() -> int | None:
    text = (request.args.get("year") or "").strip()
    if not text:
        return local_today(_organisation(), utcnow()).year
    year = plain_number(text, max_digits=4)
    return year if year is not None and 2000 <= year <= 2100 else None


@bp.get("/me/year")
@role_required(Role.VOLUNTEER)
def my_year() -> Any:
    user = _user()
    if user.volunteer is None:
        return render_template("volunteers/no_profile.html", organisation=user.organisation), 404
    year = _year()
    if year is None:
        return render_template(
            "observatory/my_year.html",
            statement=None,
            year_text=request.args.get("year", ""),
            error=words.REFUSAL["period_format"],
        ), 400
    statement = volunteer_year(
        db.session(),
        user.organisation,
        user.volunteer.id,
        year,
        today=local_today(user.organisation, utcnow()),
    )
    months = get_month_names("wide", context="stand-alone", locale=get_locale())
    return render_template(
        "observatory/my_year.html",
        month_name=lambda number: str(months[number]).capitalize(),
        statement=statement,
        year_text=str(year),
        error=None,
        words=words,
    )


@bp.get("/me/year/statement.<fmt>")
@role_required(Role.VOLUNTEER)
def my_statement(fmt: str) -> Any:
    user = _user()
    if fmt not in exports.FORMATS or user.volunteer is None:
        abort(404)
    year = _year()
    if year is None:
        return redirect(url_for("observatory.my_year", year=request.args.get("year")))
    statement = volunteer_year(
        db.session(),
        user.organisation,
        user.volunteer.id,
        year,
        today=local_today(user.organisation, utcnow()),
    )
    rows: list[tuple[Any, ...]] = []
    for month in statement.months:
        h = month.hours
        rows.append(
            (
                f"{year}-{month.month:02d}",
                h.visits,
                h.calls,
                h.dropin_shifts,
                round(h.help_min / 60, 1),
                round(h.travel_min / 60, 1),
                h.km,
            )
        )
    t = statement.total
    rows.append(
        (
            str(_l("Total")),
            t.visits,
            t.calls,
            t.dropin_shifts,
            round(t.help_min / 60, 1),
            round(t.travel_min / 60, 1),
            t.km,
        )
    )
    exports.record_export(
        db.session(),
        organisation_id=user.organisation_id,
        user_id=user.id,
        kind="volunteer_year",
        file_format=fmt,
        scope=f"{year} volunteer={user.volunteer.id}",
        rows=len(rows),
        now=utcnow(),
    )
    headers = [str(h) for h in words.STATEMENT_HEADERS]
    return _file(headers, rows, fmt, f"escouade-{year}-statement.{fmt}", sheet=str(year))
