"""A volunteer sees their coming visits on /me and reports past ones; the year adds up."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import RequestEvent
from scheduler.models import RequestStatus
from scheduler.models import Role
from scheduler.models import utcnow
from tests.builders import make_request


def appointment(app, world, *, hours_from_now: float, kind: Mode = Mode.HOME, **request) -> int:
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        req = make_request(db.session, org, mode=kind, status=RequestStatus.CONFIRMED, **request)
        starts = utcnow().replace(microsecond=0) + timedelta(hours=hours_from_now)
        row = Appointment(
            organisation_id=org.id,
            kind=kind,
            request_id=req.id,
            volunteer_id=world.volunteer_id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            travel_min_before=25,
            travel_km_before=18.0,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def test_me_shows_coming_visits_with_where_who_and_what_for(app, client, auth, world):
    appointment(
        app,
        world,
        hours_from_now=30,
        address="850, rue Principale",
        need_details="Installer WhatsApp pour parler à ma fille.",
    )
    auth.login_as(Role.VOLUNTEER)
    html = client.get("/me").get_data(as_text=True)
    assert "850, rue Principale" in html
    assert "Installer WhatsApp pour parler à ma fille." in html
    assert "Partir à" in html  # when to leave, from the drive before the visit
    assert 'class="route-map__svg"' in html  # the day's map
    assert "/me/sheet" in html


def test_volunteer_reports_a_visit_done_and_the_hours_appear(app, client, auth, world):
    appointment_id = appointment(app, world, hours_from_now=-3)
    auth.login_as(Role.VOLUNTEER)
    page = client.get(f"/me/visits/{appointment_id}/report")
    assert page.status_code == 200
    assert 'value="90"' in page.get_data(as_text=True)  # planned time, to adjust
    sent = client.post(
        f"/me/visits/{appointment_id}/report",
        data={"outcome": "done", "minutes": "105", "km": "36,5", "note": "Courriel réglé."},
    )
    assert sent.status_code == 302
    html = client.get("/me").get_data(as_text=True)
    assert "1,8 h" in html  # 105 minutes of help this year
    assert "36,5\xa0km" in html
    with app.app_context():
        row = db.session.get(Appointment, appointment_id)
        assert row.status is AppointmentStatus.DONE
        request = db.session.get(HelpRequest, row.request_id)
        assert request.status is RequestStatus.DONE and request.closed_at is not None
        event = db.session.scalar(
            sa.select(RequestEvent).where(
                RequestEvent.request_id == request.id, RequestEvent.kind == "visit_report"
            )
        )
        assert event.detail["minutes"] == 105 and event.detail["note"] == "Courriel réglé."


def test_a_no_show_is_reported_and_can_be_corrected(app, client, auth, world):
    appointment_id = appointment(app, world, hours_from_now=-1, kind=Mode.PHONE)
    auth.login_as(Role.VOLUNTEER)
    client.post(f"/me/visits/{appointment_id}/report", data={"outcome": "no_show"})
    with app.app_context():
        assert db.session.get(Appointment, appointment_id).status is AppointmentStatus.NO_SHOW
    client.post(f"/me/visits/{appointment_id}/report", data={"outcome": "done", "minutes": "20"})
    html = client.get("/me").get_data(as_text=True)
    assert "0,3 h" in html


def test_bad_reports_are_refused_with_words_and_kept(app, client, auth, world):
    appointment_id = appointment(app, world, hours_from_now=-2)
    auth.login_as(Role.VOLUNTEER)
    sent = client.post(
        f"/me/visits/{appointment_id}/report",
        data={"outcome": "done", "minutes": "beaucoup", "note": "Mot de passe changé."},
    )
    assert sent.status_code == 400
    html = sent.get_data(as_text=True)
    assert "Entrez un nombre" in html and "Mot de passe changé." in html
    missing = client.post(f"/me/visits/{appointment_id}/report", data={})
    assert missing.status_code == 400


def test_a_coming_visit_cannot_be_reported_yet_nor_another_volunteers(app, client, auth, world):
    coming = appointment(app, world, hours_from_now=5)
    auth.login_as(Role.VOLUNTEER)
    early = client.post(f"/me/visits/{coming}/report", data={"outcome": "done", "minutes": "30"})
    assert early.status_code == 400
    with app.app_context():
        row = db.session.get(Appointment, coming)
        row.volunteer_id = world.other_volunteer_id
        db.session.commit()
    assert client.get(f"/me/visits/{coming}/report").status_code == 404


def test_a_coming_visit_opened_by_its_address_says_at_once_to_report_it_afterwards(
    app, client, auth, world
):
    coming = appointment(app, world, hours_from_now=5)
    auth.login_as(Role.VOLUNTEER)
    page = client.get(f"/me/visits/{coming}/report")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Cette visite n'a pas encore eu lieu" in html
    assert 'name="outcome"' not in html and '<form method="post"' not in html
    client.get("/language/en")
    html = client.get(f"/me/visits/{coming}/report").get_data(as_text=True)
    assert "This visit has not taken place yet" in html
    assert 'name="outcome"' not in html
    # The address of a past visit still shows the form.
    past = appointment(app, world, hours_from_now=-3)
    assert 'name="outcome"' in client.get(f"/me/visits/{past}/report").get_data(as_text=True)


def test_a_cancelled_or_long_past_visit_says_at_once_why_it_cannot_be_reported(
    app, client, auth, world
):
    """Opened by its address, the form was shown and refused only once filled in."""
    cancelled = appointment(app, world, hours_from_now=-3)
    with app.app_context():
        db.session.get(Appointment, cancelled).status = AppointmentStatus.CANCELLED
        db.session.commit()
    long_past = appointment(app, world, hours_from_now=-24 * 40)
    auth.login_as(Role.VOLUNTEER)
    for visit, words in ((cancelled, "annulée"), (long_past, "ferment")):
        page = client.get(f"/me/visits/{visit}/report")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert words in html and 'name="outcome"' not in html, visit
        refused = client.post(f"/me/visits/{visit}/report", data={"outcome": "done"})
        assert refused.status_code == 400


def test_erasing_a_request_forgets_the_report_note_but_keeps_the_hours(app, client, auth, world):
    from scheduler.models import User
    from scheduler.models import VisitReport
    from scheduler.requests.retention import erase_request_now

    appointment_id = appointment(app, world, hours_from_now=-2)
    auth.login_as(Role.VOLUNTEER)
    client.post(
        f"/me/visits/{appointment_id}/report",
        data={"outcome": "done", "minutes": "60", "note": "Ginette, 850 rue Principale."},
    )
    with app.app_context():
        row = db.session.get(Appointment, appointment_id)
        dispatcher = db.session.scalar(
            sa.select(User).where(User.email == world.email_for(Role.DISPATCHER))
        )
        erase_request_now(db.session, row.request, user=dispatcher, now=utcnow())
        report = db.session.scalar(sa.select(VisitReport))
        assert report.note is None and report.minutes_spent == 60


def test_a_report_saved_twice_at_once_makes_one_report_the_later_one_correcting_it(
    app, client, auth, world, monkeypatch
):
    """A double tap on a phone: both saves find no report yet; the second must not fail
    on the one-report-per-visit rule but correct what the first one wrote."""
    from scheduler.models import VisitReport
    from scheduler.reports import visits

    appointment_id = appointment(app, world, hours_from_now=-3)
    auth.login_as(Role.VOLUNTEER)
    url = f"/me/visits/{appointment_id}/report"
    first = client.post(url, data={"outcome": "done", "minutes": "60", "km": "10", "note": ""})
    assert first.status_code == 302
    monkeypatch.setattr(visits, "report_of", lambda session, appointment: None)
    second = client.post(url, data={"outcome": "done", "minutes": "75", "km": "12", "note": ""})
    assert second.status_code == 302
    with app.app_context():
        (report,) = db.session.scalars(
            sa.select(VisitReport).where(VisitReport.appointment_id == appointment_id)
        ).all()
        assert (report.minutes_spent, report.km_driven) == (75, 12.0)


def test_my_reports_write_their_days_in_full_like_the_rest_of_me(app, client, auth, world):
    """The reports listed "2026-11-24 13 h" under coming visits headed "mardi 24 novembre
    2026": one page, one way of writing a day."""
    from zoneinfo import ZoneInfo

    from babel.dates import format_date

    from scheduler.core.i18n import clock_text

    appointment_id = appointment(app, world, hours_from_now=-3)
    with app.app_context():
        row = db.session.get(Appointment, appointment_id)
        org = db.session.get(Organisation, world.org_id)
        local = row.starts_at.astimezone(ZoneInfo(org.timezone))
    auth.login_as(Role.VOLUNTEER)
    html = client.get("/me").get_data(as_text=True)
    reports = html.split('id="my-reports"', 1)[1].split("</section>", 1)[0]

    day = format_date(local.date(), "full", locale="fr_CA")
    assert f"{day}, {clock_text(local.time(), 'fr_CA')}" in reports
    assert local.date().isoformat() not in reports


def test_their_own_words_are_quoted_as_the_pages_language_quotes(app, client, auth, world):
    """English pages quote a person's words “so”, French ones « ainsi » at no-break
    spaces; on /me and on the route sheet, escaped like any other text."""
    appointment(
        app,
        world,
        hours_from_now=30,
        need_details="Installer <b>WhatsApp</b>",
    )
    auth.login_as(Role.VOLUNTEER)
    escaped = "Installer &lt;b&gt;WhatsApp&lt;/b&gt;"
    for path in ("/me", "/me/sheet"):
        html = client.get(path).get_data(as_text=True)
        assert f"«\u00a0{escaped}\u00a0»" in html, path
    client.get("/language/en")
    for path in ("/me", "/me/sheet"):
        html = client.get(path).get_data(as_text=True)
        assert f"“{escaped}”" in html, path
        assert "«" not in html, path
