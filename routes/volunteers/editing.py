"""The week and days-off editors, shared by a volunteer's own pages and the dispatcher's.

Both sides run the same form, the same checks and the same service; only the
page around the editor and where to go afterwards differ.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from scheduler.core.extensions import db
from scheduler.core.weekly import check_windows
from scheduler.dispatch.uncovered import taken_away
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from scheduler.people import availability

from ..weekly import row_errors
from ..weekly import row_message
from .forms import MAX_WINDOW_ROWS
from .forms import AbsenceForm
from .forms import AvailabilityForm

ABSENCE_MESSAGES = {
    availability.AbsenceProblem.ORDER: _l("The last day cannot be before the first day."),
    availability.AbsenceProblem.PAST: _l("These days are already over."),
    availability.AbsenceProblem.TOO_LONG: _l(
        "One absence covers at most a year; add another one after it."
    ),
    availability.AbsenceProblem.TOO_FAR: _l("That is more than two years ahead: check the year."),
    availability.AbsenceProblem.NOTE_TOO_LONG: _l("Write at most 200 characters."),
}


def _week_rows(volunteer: Volunteer) -> list[dict[str, Any]]:
    """Saved windows, then one blank row under each day to add to it."""
    rows: list[dict[str, Any]] = [
        {"weekday": w.weekday, "starts": w.starts, "ends": w.ends} for w in volunteer.availability
    ]
    return rows + [{"weekday": day} for day in range(7)]


def rows_by_day(form: AvailabilityForm) -> list[tuple[int, list[tuple[int, Any]]]]:
    """Monday to Sunday, each with its rows as (position in the form, row)."""
    days: dict[int, list[tuple[int, Any]]] = {day: [] for day in range(7)}
    for index, entry in enumerate(form.windows.entries):
        weekday = entry.form.weekday.data
        days.setdefault(weekday if weekday in days else 0, []).append((index, entry))
    return sorted(days.items())


def _week_page(
    template: str, form: AvailabilityForm, messages: dict[int, list[str]], **context: Any
) -> str:
    return render_template(
        template, form=form, days=rows_by_day(form), row_messages=messages, **context
    )


def edit_week(
    volunteer: Volunteer, template: str, done_url: str, **context: Any
) -> str | Response | tuple[str, int]:
    """Show the week editor; on "add a row", show it again longer; on save, save or explain."""
    if request.method != "POST":
        form = AvailabilityForm(data={"windows": _week_rows(volunteer)})
        return _week_page(template, form, {}, volunteer=volunteer, **context)
    form = AvailabilityForm()
    if not form.windows.entries:
        # The page always sends a row under each day, blank or not: a post without rows is
        # not a week with no time free (that would erase every window), but a broken form.
        form = AvailabilityForm(formdata=None, data={"windows": _week_rows(volunteer)})
        form.form_errors.append(_("The form arrived empty: nothing was changed. Send it again."))
        return _week_page(template, form, {}, volunteer=volunteer, **context), 400
    added = request.form.get("add_row")
    if added is not None:
        if added not in {str(day) for day in range(7)}:
            abort(400)
        if len(form.windows.entries) < MAX_WINDOW_ROWS:
            form.windows.append_entry({"weekday": int(added)})
        return _week_page(template, form, {}, volunteer=volunteer, **context)
    messages = {}
    clashes: list[Any] = []
    if form.validate():
        rows = form.window_inputs()
        week = form.fingerprint()
        if not check_windows(rows) and form.confirm.data != week:
            # Like a day off: a week that no longer covers planned visits says which ones
            # it takes away, and asks to confirm.
            # Counted as the dispatcher's plan of each week counts them once saved.
            slots = [(r.weekday, r.starts, r.ends) for r in rows if r.starts and r.ends]
            clashes = taken_away(db.session(), volunteer, slots, utcnow())
        if clashes:
            form.confirm.data = week
            return _week_page(template, form, {}, volunteer=volunteer, clashes=clashes, **context)
        try:
            availability.replace_availability(db.session(), volunteer, rows, utcnow())
        except availability.AvailabilityRefused as refused:
            times = [(r.starts, r.ends) for r in rows]
            messages = {p.index: [row_message(p, times)] for p in refused.problems}
        else:
            flash(_("The week is saved."), "success")
            return redirect(done_url)
    else:
        messages = row_errors(form.windows.entries)
    return _week_page(template, form, messages, volunteer=volunteer, **context), 400


def edit_absences(
    volunteer: Volunteer, template: str, done_url: str, **context: Any
) -> str | Response | tuple[str, int]:
    """List the days off and add one."""
    form = AbsenceForm()
    now = utcnow()
    clashes: list[Any] = []
    days = f"{form.first_day.data}|{form.last_day.data or form.first_day.data}"
    refused: availability.AbsenceRefused | None = None
    if form.validate_on_submit():
        try:
            availability.check_absence(
                volunteer, form.first_day.data, form.last_day.data, form.note.data, now
            )
        except availability.AbsenceRefused as problem:
            refused = problem
    if refused is None and form.validate_on_submit() and form.confirm.data != days:
        # Days off over planned visits: say what they take away, and ask to confirm.
        clashes = availability.visits_during(
            db.session(), volunteer, form.first_day.data, form.last_day.data, now
        )
        form.confirm.data = days if clashes else ""
    if refused is not None:
        field = getattr(form, refused.field)
        field.errors = [*field.errors, str(ABSENCE_MESSAGES[refused.code])]
    elif not clashes and form.validate_on_submit():
        try:
            availability.add_absence(
                db.session(),
                volunteer,
                form.first_day.data,
                form.last_day.data,
                form.note.data,
                now,
            )
        except availability.AbsenceRefused as late:
            field = getattr(form, late.field)
            field.errors = [*field.errors, str(ABSENCE_MESSAGES[late.code])]
        else:
            flash(_("The days off are saved."), "success")
            return redirect(done_url)
    today = local_today(volunteer.organisation, now)
    coming, past = availability.split_absences(volunteer.absences, today)
    page = render_template(
        template,
        form=form,
        coming=coming,
        past=past,
        volunteer=volunteer,
        clashes=clashes,
        **context,
    )
    return (page, 400) if request.method == "POST" and not clashes else page


def remove_absence(volunteer: Volunteer, absence_id: int, done_url: str) -> Response:
    try:
        availability.remove_absence(db.session(), volunteer, absence_id, utcnow())
    except availability.AbsenceNotFound:
        abort(404)
    flash(_("The days off are removed."), "success")
    return redirect(done_url)
