"""Route sheets: the printed page and the PDF (laid out by WeasyPrint, read back by pypdf)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import AuditEntry
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Plan

from .conftest import sign_in


def busiest_day(app, plan_id: int):
    """(volunteer id, day, references of the day's visits in order, of its calls)."""
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        zone = ZoneInfo(db.session.get(Organisation, plan.organisation_id).timezone)
        days: dict = {}
        for v in sorted(plan.visits, key=lambda v: v.starts_at):
            if v.volunteer_id is None or v.request_id is None:
                continue
            key = (v.volunteer_id, v.starts_at.astimezone(zone).date())
            request = db.session.get(HelpRequest, v.request_id)
            days.setdefault(key, ([], []))[v.kind is Mode.PHONE].append(request.reference)
        (volunteer_id, day), (visits, calls) = max(days.items(), key=lambda kv: len(kv[1][0]))
        return volunteer_id, day, visits, calls


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_route_sheet_pdf_holds_every_stop_of_the_day_in_order(app, client, demo_plan):
    volunteer_id, day, visits, calls = busiest_day(app, demo_plan.plan_id)
    assert len(visits) >= 2, "a day with several stops shows their order"
    sign_in(client, demo_plan.logins["dispatcher"])
    response = client.get(
        f"/dispatch/plans/{demo_plan.plan_id}/sheets/{day.isoformat()}/{volunteer_id}/pdf"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.data)
    positions = [text.index(reference) for reference in visits]
    assert positions == sorted(positions), (visits, text)
    for reference in calls:
        assert reference in text
    assert "Partir de la maison à" in text or "Leave home at" in text
    # The file holds personal data: it is in the audit trail, naming no one.
    with app.app_context():
        (entry,) = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry.target == "route_sheet.pdf" and entry.actor_id is not None
        assert entry.detail["rows"] == len(visits)  # the day's visits


def test_team_sheets_of_a_day_print_every_volunteer_without_menus(app, client, demo_plan):
    volunteer_id, day, visits, _calls = busiest_day(app, demo_plan.plan_id)
    sign_in(client, demo_plan.logins["dispatcher"])
    page = client.get(f"/dispatch/plans/{demo_plan.plan_id}/sheets/{day.isoformat()}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for reference in visits:
        assert reference in html
    assert html.count('class="sheet"') >= 1
    # The print stylesheet leaves out the menu, the buttons and the links to other days.
    css = (Path(app.static_folder) / "css" / "sheets.css").read_text(encoding="utf-8")
    printed = css[css.index("@media print") :]
    for hidden in (".main-nav", ".site-header", ".no-print", "button", ".button"):
        assert hidden in printed
    whole_day = client.get(f"/dispatch/plans/{demo_plan.plan_id}/sheets/{day.isoformat()}/pdf")
    assert whole_day.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(whole_day.data)).pages) >= html.count('class="sheet"')


def test_the_team_sheets_of_a_day_lead_back_to_the_weeks_plan(app, client, demo_plan):
    """Printed from the plan page, the sheets are no dead end: a link goes back to it."""
    _volunteer_id, day, _visits, _calls = busiest_day(app, demo_plan.plan_id)
    sign_in(client, demo_plan.logins["dispatcher"])
    html = client.get(f"/dispatch/plans/{demo_plan.plan_id}/sheets/{day.isoformat()}").text
    monday = day - timedelta(days=day.weekday())
    code = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    assert f'<p class="back no-print"><a href="/dispatch/plans?week={code}">' in html
    assert "Retour à la planification" in html


def test_sheets_refuse_a_bad_day_and_other_roles(app, client, demo_plan):
    sign_in(client, demo_plan.logins["dispatcher"])
    assert client.get(f"/dispatch/plans/{demo_plan.plan_id}/sheets/2026-13-45").status_code == 404
    assert client.get("/dispatch/plans/9999/sheets/2026-12-07").status_code == 404
    client.post("/auth/logout")
    sign_in(client, demo_plan.logins["volunteer"])
    day = demo_plan.monday.isoformat()
    assert client.get(f"/dispatch/plans/{demo_plan.plan_id}/sheets/{day}").status_code == 403


def test_a_day_outside_the_plans_week_is_not_found(app, client, demo_plan):
    """A sheet of 31 December 9999 (or the week after) from a plan of another week was an
    empty sheet titled with that day, as if nobody had visits then: it is not found."""
    from datetime import timedelta

    sign_in(client, demo_plan.logins["dispatcher"])
    plan = demo_plan.plan_id
    sunday = demo_plan.monday + timedelta(days=6)
    assert client.get(f"/dispatch/plans/{plan}/sheets/{sunday.isoformat()}").status_code == 200
    for day in ("9999-12-31", "0001-01-01", (sunday + timedelta(days=1)).isoformat()):
        assert client.get(f"/dispatch/plans/{plan}/sheets/{day}").status_code == 404
        assert client.get(f"/dispatch/plans/{plan}/sheets/{day}/pdf").status_code == 404
