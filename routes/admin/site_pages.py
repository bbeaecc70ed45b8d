"""/admin/sites: drop-in locals and antennas, with their weekly opening hours."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.refusals import show_refusal
from scheduler.core.extensions import db
from scheduler.core.validation import InputRefused
from scheduler.models import Site
from scheduler.organisation import sites
from scheduler.organisation import territory

from ..access import admin_required
from ..weekly import row_errors
from ..weekly import row_message
from . import bp
from .forms import MAX_OPENING_ROWS
from .forms import SiteForm

#: Blank rows offered under the openings, and added by "Add rows".
BLANK_ROWS = 2


@bp.get("/sites")
@admin_required
def sites_index() -> str:
    return render_template(
        "admin/sites.html", sites=sites.sites(db.session(), current_user.organisation_id)
    )


def _site(site_id: int) -> Site:
    site = sites.find_site(db.session(), current_user.organisation_id, site_id)
    if site is None:
        abort(404)
    return site


def _form(site: Site | None) -> SiteForm:
    if request.method == "POST":
        form = SiteForm()
    elif site is None:
        form = SiteForm(data={"openings": [{}] * BLANK_ROWS})
    else:
        openings: list[dict[str, Any]] = [
            {
                "weekday": o.weekday,
                "starts": o.starts,
                "ends": o.ends,
                "volunteers_needed": o.volunteers_needed,
                "visitors_per_hour": o.visitors_per_hour,
            }
            for o in site.openings
        ]
        form = SiteForm(
            data={
                "name": site.name,
                "address": site.address,
                "municipality_id": str(site.municipality_id or ""),
                "lat": site.lat,
                "lon": site.lon,
                "workstations": site.workstations,
                "access_notes": site.access_notes,
                "active": site.active,
                "openings": openings + [{}] * BLANK_ROWS,
            }
        )
    current = site.municipality_id if site else None
    towns = territory.municipalities(db.session(), current_user.organisation_id)
    form.municipality_id.choices = [("", _("None"))] + [
        (str(t.id), t.name) for t in towns if t.active or t.id == current
    ]
    return form


def _data(form: SiteForm) -> sites.SiteData:
    town = form.municipality_id.data
    return sites.SiteData(
        name=form.name.data or "",
        address=form.address.data or "",
        municipality_id=int(town) if town else None,
        lat=form.lat.data,
        lon=form.lon.data,
        workstations=form.workstations.data or 0,
        access_notes=form.access_notes.data,
        active=form.active.data,
        openings=form.opening_inputs(),
    )


def _edit(site: Site | None) -> str | Response | tuple[str, int]:
    form = _form(site)
    messages: dict[int, list[str]] = {}
    if request.method == "GET":
        return render_template("admin/site.html", form=form, site=site, row_messages=messages)
    if "add_rows" in request.form:
        for _blank in range(BLANK_ROWS):
            if len(form.openings.entries) < MAX_OPENING_ROWS:
                form.openings.append_entry({})
        return render_template("admin/site.html", form=form, site=site, row_messages=messages)
    if form.validate():
        data = _data(form)
        try:
            if site is None:
                saved = sites.create_site(db.session(), current_user.organisation, data)
            else:
                saved = sites.update_site(db.session(), site, data)
        except InputRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        except sites.OpeningsRefused as refused:
            db.session.rollback()
            times = [(row.starts, row.ends) for row in data.openings]
            messages = {p.index: [row_message(p, times)] for p in refused.problems}
        else:
            flash(_("%(name)s is saved.", name=saved.name), "success")
            return redirect(url_for("admin.sites_index"))
    else:
        messages = row_errors(form.openings.entries)
    return render_template("admin/site.html", form=form, site=site, row_messages=messages), 400


@bp.route("/sites/new", methods=["GET", "POST"])
@admin_required
def new_site() -> str | Response | tuple[str, int]:
    return _edit(None)


@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
@admin_required
def edit_site(site_id: int) -> str | Response | tuple[str, int]:
    return _edit(_site(site_id))
