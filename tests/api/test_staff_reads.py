"""A published week read through the API: the staff's appointments and plan, and the
partner's follow-up with the appointment's date, without a volunteer's details."""

from __future__ import annotations

from datetime import datetime
from datetime import time
from datetime import timedelta

from scheduler.core.extensions import db
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.dispatch.settings import PlanningSettings
from scheduler.dispatch.weeks import week_code
from scheduler.models import AvailabilityWindow
from scheduler.models import Organisation
from scheduler.models import PartnerOrganisation
from scheduler.models import Volunteer
from scheduler.models import utcnow

from ..builders import make_request
from .builders import token_for


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_published_week_reads_back_for_staff_and_partner(app, client, world):
    today = utcnow().date()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.phone = "+18195550199"
        sylvie.availability.append(AvailabilityWindow(weekday=3, starts=time(9), ends=time(17)))
        partner = db.session.get(PartnerOrganisation, world.partner_id)
        referred = make_request(
            db.session,
            org,
            availability=["thu-am", "thu-pm"],
            duration_min=60,
            partner_organisation=partner,
        )
        reference = referred.reference
        db.session.commit()
        settings = PlanningSettings().with_limits(time_limit_s=20, solution_limit=50)
        plan = plan_week(db.session, org, monday, settings=settings, now=utcnow())
        publish_plan(db.session, plan, now=utcnow())
    week = week_code(monday)
    staff = token_for(app, world)
    partner_token = token_for(app, world, partner_id=world.partner_id)

    appointments = client.get(f"/api/v1/appointments?week={week}", headers=_bearer(staff))
    assert appointments.status_code == 200, appointments.get_data(as_text=True)
    items = appointments.get_json()["items"]
    visit = next(a for a in items if a["request_reference"] == reference)
    assert visit["volunteer"] == "Sylvie"
    assert visit["volunteer_id"] == world.volunteer_id

    published = client.get(f"/api/v1/plans/{week}", headers=_bearer(staff))
    assert published.status_code == 200
    assert reference in {v["request_reference"] for v in published.get_json()["visits"]}
    assert (
        client.get(
            f"/api/v1/plans/{week_code(monday + timedelta(days=7))}", headers=_bearer(staff)
        ).status_code
        == 404
    )

    status = client.get(f"/api/v1/requests/{reference}", headers=_bearer(partner_token))
    assert status.status_code == 200
    body = status.get_json()
    assert body["status"] == "planned"
    planned_on = datetime.fromisoformat(body["appointment_at"]).date()
    assert monday <= planned_on < monday + timedelta(days=7)
    text = status.get_data(as_text=True)
    for secret in ("Sylvie", "Tremblay", "5550199", "volunteer"):
        assert secret not in text


def test_lists_of_personal_data_are_recorded_as_exports_once_an_hour(app, client, world):
    import sqlalchemy as sa

    from scheduler.models import AuditEntry

    staff = token_for(app, world)
    for _ in range(3):
        assert client.get("/api/v1/requests", headers=_bearer(staff)).status_code == 200
    with app.app_context():
        targets = list(
            db.session.scalars(sa.select(AuditEntry.target).where(AuditEntry.action == "export"))
        )
    assert len(targets) == 1
    assert targets[0].endswith(":requests")
