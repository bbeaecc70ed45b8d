"""/admin/territory: the municipalities served; add one, paste several, edit, deactivate."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.refusals import show_refusal
from scheduler.core.extensions import db
from scheduler.core.validation import InputRefused
from scheduler.models import Municipality
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.organisation import territory

from ..access import admin_required
from . import bp
from .forms import ImportForm
from .forms import MunicipalityForm

LINE_MESSAGES = {
    territory.LineProblem.COLUMNS: _l("it needs 4 values: name, region, latitude, longitude."),
    territory.LineProblem.NAME: _l("the name is missing or longer than 120 characters."),
    territory.LineProblem.REGION: _l("the region is longer than 60 characters."),
    territory.LineProblem.LAT: _l("the latitude must be a number between -90 and 90."),
    territory.LineProblem.LON: _l("the longitude must be a number between -180 and 180."),
    territory.LineProblem.DUPLICATE: _l("this name is already on an earlier line."),
    territory.LineProblem.EXISTS: _l("this municipality is already in the territory."),
}


def _page(
    add_form: MunicipalityForm | None = None,
    import_form: ImportForm | None = None,
    line_errors: list[str] | None = None,
) -> str:
    return render_template(
        "admin/territory.html",
        towns=territory.municipalities(db.session(), current_user.organisation_id),
        add_form=add_form or MunicipalityForm(formdata=None),
        import_form=import_form or ImportForm(formdata=None),
        line_errors=line_errors or [],
    )


def _place(form: MunicipalityForm) -> territory.Place:
    # The form requires both coordinates: a validated form has them.
    lat, lon = form.lat.data, form.lon.data
    assert lat is not None and lon is not None
    return territory.Place(form.name.data, form.region.data, lat, lon)


@bp.get("/territory")
@admin_required
def territory_index() -> str:
    return _page()


@bp.post("/territory")
@admin_required
def add_municipality() -> Response | tuple[str, int]:
    form = MunicipalityForm()
    if form.validate():
        try:
            town = territory.add_municipality(db.session(), current_user.organisation, _place(form))
        except InputRefused as refusal:
            show_refusal(form, refusal)
        else:
            flash(_("%(name)s is added to the territory.", name=town.name), "success")
            return redirect(url_for("admin.territory_index"))
    return _page(add_form=form), 400


@bp.post("/territory/import")
@admin_required
def import_municipalities() -> Response | tuple[str, int]:
    form = ImportForm()
    line_errors: list[str] = []
    if form.validate():
        try:
            towns = territory.import_municipalities(
                db.session(), current_user.organisation, form.lines.data
            )
        except territory.TooManyLines:
            form.lines.errors = [
                _("Paste at most %(count)d lines at a time.", count=territory.MAX_LINES)
            ]
        except territory.ImportRefused as refused:
            form.lines.errors = [_("Nothing was added: correct the lines below and send again.")]
            line_errors = [
                _(
                    "Line %(number)d (%(text)s): %(problem)s",
                    number=e.line,
                    text=e.text,
                    problem=LINE_MESSAGES[e.code],
                )
                for e in refused.errors
            ]
        else:
            flash(
                ngettext(
                    "%(num)d municipality added.", "%(num)d municipalities added.", len(towns)
                ),
                "success",
            )
            return redirect(url_for("admin.territory_index"))
    return _page(import_form=form, line_errors=line_errors), 400


def _town(town_id: int) -> Municipality:
    town = territory.find_municipality(db.session(), current_user.organisation_id, town_id)
    if town is None:
        abort(404)
    return town


@bp.route("/territory/<int:town_id>", methods=["GET", "POST"])
@admin_required
def edit_municipality(town_id: int) -> str | Response | tuple[str, int]:
    town = _town(town_id)
    form = MunicipalityForm(obj=town)
    if form.validate_on_submit():
        try:
            me: User = current_user._get_current_object()
            territory.set_population(
                db.session(),
                town,
                form.population.data,
                form.population_source.data,
                actor=me,
                now=utcnow(),
            )
            territory.update_municipality(db.session(), town, _place(form), form.active.data)
        except InputRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            flash(_("%(name)s is saved.", name=town.name), "success")
            return redirect(url_for("admin.territory_index"))
    page = render_template("admin/municipality.html", form=form, town=town)
    return (page, 400) if request.method == "POST" else page


@bp.post("/territory/<int:town_id>/active")
@admin_required
def set_municipality_active(town_id: int) -> Response:
    town = _town(town_id)
    active = request.form.get("active") == "1"
    territory.set_municipality_active(db.session(), town, active)
    if active:
        flash(_("%(name)s is served again.", name=town.name), "success")
    else:
        flash(_("%(name)s is no longer offered; its history is kept.", name=town.name), "success")
    return redirect(url_for("admin.territory_index"))
