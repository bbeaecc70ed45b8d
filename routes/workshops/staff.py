"""The dispatchers' side of workshops: programmes, series and their sessions, and
publishing a series (enrolling someone and the waiting list: :mod:`.enrolling`)."""

from __future__ import annotations

import logging
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.proposals.words import refusal_words
from routes.submissions import sent_before
from routes.submissions import settle
from scheduler.core.extensions import db
from scheduler.models import Municipality
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from scheduler.proposals import ProposalRefused
from scheduler.proposals import reserve_laptops
from scheduler.workshops import programmes
from scheduler.workshops.errors import WorkshopError

from . import bp
from .enrolling import series_page
from .scope import organisation
from .scope import own
from .words import refusal

log = logging.getLogger(__name__)


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


@bp.get("/dispatch/workshops")
@staff_required
def index() -> str:
    org = organisation()
    now = utcnow()
    series = [
        s
        for s in db.session.scalars(
            db.select(programmes.WorkshopSeries)
            .where(programmes.WorkshopSeries.organisation_id == org.id)
            .order_by(programmes.WorkshopSeries.id.desc())
        )
        if not s.sessions or s.sessions[-1].ends_at >= now - timedelta(days=60)
    ]
    return render_template(
        "workshops/index.html",
        programmes=programmes.programmes_of(db.session(), org),
        series=series,
        seats=lambda s: programmes.seats_left(db.session(), s),
    )


@bp.route("/dispatch/workshops/programmes/new", methods=["GET", "POST"])
@staff_required
def new_programme() -> Any:
    org = organisation()
    form = {k: request.form.get(k, "") for k in PROGRAMME_FIELDS}
    errors: dict[str, str] = {}
    if request.method == "GET":
        form.update(sessions_count="6", capacity="8", laptops="0", share="75")
    else:
        count = _int(form["sessions_count"], 1, 52)
        capacity = _int(form["capacity"], 1, 500)
        laptops = _int(form["laptops"], 0, 500)
        share = _int(form["share"], 1, 100)
        for name, value, code in (
            ("sessions_count", count, "sessions_count"),
            ("capacity", capacity, "capacity"),
            ("laptops", laptops, "laptops"),
            ("share", share, "completion_share"),
        ):
            if value is None:
                errors[name] = refusal(code)
        if not form["title"].strip() or len(form["title"]) > 120:
            errors["title"] = refusal("title_missing")
        for name, limit in (("audience", 200), ("description", 2000), ("topics", 4000)):
            if len(form[name]) > limit:
                errors[name] = _("Write at most %(limit)d characters.", limit=limit)
        if not errors and (again := sent_before("new_programme", url_for("workshops.index"))):
            return again
        if not errors:
            assert count is not None and capacity is not None
            assert laptops is not None and share is not None
            programme = programmes.create_programme(
                db.session(),
                org,
                title=form["title"],
                audience=form["audience"],
                description=form["description"],
                sessions_count=count,
                capacity=capacity,
                session_topics=form["topics"].splitlines(),
                laptops_per_session=laptops,
                completion_share=share / 100,
                gives_device=bool(request.form.get("gives_device")),
            )
            db.session.commit()
            settle(url_for("workshops.new_series", programme=programme.id))
            flash(_("The programme “%(title)s” is saved.", title=programme.title), "success")
            return redirect(url_for("workshops.new_series", programme=programme.id), 303)
    page = render_template("workshops/programme_form.html", form=form, errors=errors)
    return (page, 400) if errors else page


PROGRAMME_FIELDS = (
    "title",
    "audience",
    "description",
    "sessions_count",
    "capacity",
    "laptops",
    "share",
    "topics",
)
SERIES_FIELDS = (
    "programme",
    "municipality",
    "site",
    "hall_name",
    "hall_address",
    "first_day",
    "starts",
    "ends",
    "every_days",
    "leader",
    "second_leader",
)


def _time(value: str) -> time | None:
    try:
        return time.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


@bp.route("/dispatch/workshops/series/new", methods=["GET", "POST"])
@staff_required
def new_series() -> Any:
    org = organisation()
    session = db.session()
    choices: dict[str, Any] = {
        "programmes": [p for p in programmes.programmes_of(session, org) if p.active],
        "municipalities": list(
            session.scalars(
                db.select(Municipality)
                .where(Municipality.organisation_id == org.id, Municipality.active.is_(True))
                .order_by(Municipality.name)
            )
        ),
        "sites": [s for s in org.sites if s.active],
        "volunteers": list(
            session.scalars(
                db.select(Volunteer)
                .where(Volunteer.organisation_id == org.id, Volunteer.active.is_(True))
                .order_by(Volunteer.first_name, Volunteer.last_name)
            )
        ),
    }
    choices["opts"] = {
        "programme": [(p.id, p.title) for p in choices["programmes"]],
        "municipality": [(m.id, m.name) for m in choices["municipalities"]],
        "site": [(s.id, s.name) for s in choices["sites"]],
        "people": [(v.id, v.full_name) for v in choices["volunteers"]],
    }
    form = {k: request.form.get(k, request.args.get(k, "")) for k in SERIES_FIELDS}
    errors: dict[str, str] = {}
    if request.method == "GET":
        form.setdefault("every_days", "7")
        form["every_days"] = form["every_days"] or "7"
        return render_template("workshops/series_form.html", form=form, errors=errors, **choices)
    programme = next((p for p in choices["programmes"] if str(p.id) == form["programme"]), None)
    town = next((m for m in choices["municipalities"] if str(m.id) == form["municipality"]), None)
    site = next((s for s in choices["sites"] if str(s.id) == form["site"]), None)
    first_day, starts, ends = _day(form["first_day"]), _time(form["starts"]), _time(form["ends"])
    every = _int(form["every_days"], 1, 31)
    leader_ids = [
        v.id for v in choices["volunteers"] if str(v.id) in {form["leader"], form["second_leader"]}
    ]
    if programme is None:
        errors["programme"] = _("Choose a programme.")
    if town is None and site is None:
        errors["municipality"] = refusal("place_missing")
    today = local_today(org, utcnow())
    earliest, latest = today - timedelta(days=366), today + timedelta(days=731)
    if first_day is None:
        errors["first_day"] = _("Enter the day of the first session.")
    elif not earliest <= first_day <= latest:
        # A mistyped year (0001, 9999) would draft sessions centuries away, or past the
        # calendar's end; a year back (to record a series held) and two ahead are enough.
        errors["first_day"] = _(
            "Choose a first day between %(first)s and %(last)s.",
            first=earliest.isoformat(),
            last=latest.isoformat(),
        )
    # A time that does not read as one (25:99) is said so, on its own field, before the
    # order of the two is judged.
    for name, value in (("starts", starts), ("ends", ends)):
        if value is None:
            errors[name] = _("Enter a time such as 9:30.")
    if starts is not None and ends is not None and ends <= starts:
        errors["starts"] = refusal("session_order")
    if every is None:
        errors["every_days"] = _("Enter a number of days between 1 and 31.")
    if not leader_ids:
        errors["leader"] = refusal("leaders")
    for name, limit in (("hall_name", 120), ("hall_address", 200)):
        if len(form[name]) > limit:
            errors[name] = _("Write at most %(limit)d characters.", limit=limit)
    if not errors:
        assert programme is not None and first_day and starts and ends and every
        zone = ZoneInfo(org.timezone)
        plans = []
        for n in range(programme.sessions_count):
            day = first_day + timedelta(days=every * n)
            begin = datetime.combine(day, starts, tzinfo=zone)
            end = datetime.combine(day, ends, tzinfo=zone)
            if end.astimezone(UTC) <= begin.astimezone(UTC):
                # The clocks spring forward that night: the hour typed does not exist.
                errors["starts"] = _(
                    "On %(day)s the clocks change and this hour does not exist: choose "
                    "another hour.",
                    day=day.isoformat(),
                )
                break
            plans.append(programmes.SessionPlan(begin, end, leader_ids))
    if not errors and (again := sent_before("new_series", url_for("workshops.index"))):
        return again
    if not errors:
        assert programme is not None
        try:
            series = programmes.create_series(
                session,
                programme,
                sessions=plans,
                created_by=current_user._get_current_object(),
                now=utcnow(),
                site=site,
                municipality=town,
                hall_name=form["hall_name"],
                hall_address=form["hall_address"],
            )
        except WorkshopError as refused:
            session.rollback()
            errors["programme"] = refusal(refused.code)
        else:
            session.commit()
            settle(url_for("workshops.series", series_id=series.id))
            flash(_("The series is drafted: check it, then publish it."), "success")
            return redirect(url_for("workshops.series", series_id=series.id), 303)
    page = render_template("workshops/series_form.html", form=form, errors=errors, **choices)
    return page, 400


@bp.get("/dispatch/workshops/series/<int:series_id>")
@staff_required
def series(series_id: int) -> Any:
    return series_page(own(programmes.WorkshopSeries, series_id), {}, {})


@bp.post("/dispatch/workshops/series/<int:series_id>/publish")
@staff_required
def publish(series_id: int) -> Response:
    series = own(programmes.WorkshopSeries, series_id)
    org = organisation()
    try:
        # The leaders carry each session's laptops: refused while a session day lacks them.
        reserve_laptops(
            db.session(),
            org,
            [series],
            today=local_today(org, utcnow()),
            now=utcnow(),
            actor=current_user._get_current_object(),
        )
        programmes.publish_series(db.session(), series, now=utcnow())
    except WorkshopError as refused:
        db.session.rollback()
        flash(refusal(refused.code), "error")
    except ProposalRefused as short:
        db.session.rollback()
        flash(refusal_words(short.code, short.params), "error")
    else:
        db.session.commit()
        flash(_("The series is published: it is open for enrolment."), "success")
    return redirect(url_for("workshops.series", series_id=series.id), 303)
