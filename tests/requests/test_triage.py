"""Reading a request and triaging it: each field, statuses, events, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Referral
from scheduler.models import RequestEvent
from scheduler.models import RequestStatus
from scheduler.models import Role
from scheduler.models import Source
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from scheduler.requests.triage import ActionRefused
from scheduler.requests.triage import Triage
from scheduler.requests.triage import triage_request
from tests.builders import PASSWORD
from tests.requests.builders import add_other_organisation
from tests.requests.builders import add_request


def load(app, request_id):
    """The request and its events, read in a context of their own."""
    with app.app_context():
        request = db.session.get(HelpRequest, request_id)
        events = [(e.kind, e.detail, e.user.email if e.user else None) for e in request.events]
        db.session.expunge(request)
        return request, events


def form_for(app, request_id, **changes):
    """What the triage form sends when nothing is touched, with ``changes`` applied."""
    with app.app_context():
        r = db.session.get(HelpRequest, request_id)
        data = {
            "version": r.updated_at.isoformat(),
            "duration_min": str(r.duration_min),
            "priority": str(r.priority),
            "required_language": r.required_language or "",
            "required_skills": list(r.required_skills or []),
            "internal_notes": r.internal_notes or "",
            "status": r.status.value,
            "cancel_reason": "",
        }
    data.update(changes)
    return data


@pytest.fixture
def amina(in_app):
    """A new phone request from a person who speaks Arabic and French."""
    return in_app(
        lambda session, org: (
            add_request(
                session,
                org,
                first_name="Amina",
                mode=Mode.PHONE,
                address=None,
                needs=["school_portal", "email"],
                languages=["ar", "fr"],
            ).id
        )
    )


def test_triage_saves_each_field_and_records_who_changed_what(app, dispatcher, amina, world):
    data = form_for(
        app,
        amina,
        duration_min="45",
        priority="2",
        required_language="ar",
        required_skills=["school_portal"],
        internal_notes="Rappeler après 16 h.",
        status="triaged",
    )
    response = dispatcher.post(f"/dispatch/requests/{amina}/triage", data=data)
    assert response.status_code == 302
    request, events = load(app, amina)
    assert request.duration_min == 45
    assert request.priority == 2
    assert request.required_language == "ar"
    assert request.required_skills == ["school_portal"]
    assert request.internal_notes == "Rappeler après 16 h."
    assert request.status is RequestStatus.TRIAGED
    assert request.closed_at is None
    dispatcher_email = world.email_for("dispatcher")
    triaged = [e for e in events if e[0] == "triaged"]
    assert len(triaged) == 1
    changes = triaged[0][1]["changes"]
    assert changes["duration_min"] == [60, 45]
    assert changes["priority"] == [1, 2]
    assert changes["required_language"] == [None, "ar"]
    assert changes["required_skills"] == [[], ["school_portal"]]
    assert changes["internal_notes"] == [None, None]  # the text stays on the request only
    assert triaged[0][2] == dispatcher_email
    assert ("status", {"from": "new", "to": "triaged"}, dispatcher_email) in events
    page = dispatcher.get(f"/dispatch/requests/{amina}").get_data(as_text=True)
    assert "Triage enregistré" in page
    assert "Priorité\u00a0: Normale → Haute" in page
    assert "Nouvelle → Triée" in page


def test_saving_an_unchanged_form_records_nothing(app, dispatcher, amina):
    before = load(app, amina)[1]
    data = form_for(app, amina, required_skills=[])
    response = dispatcher.post(f"/dispatch/requests/{amina}/triage", data=data)
    assert response.status_code == 302
    assert load(app, amina)[1] == before
    assert "Rien n&#39;a été modifié" in dispatcher.get(response.headers["Location"]).get_data(
        as_text=True
    )


@pytest.mark.parametrize("target", ["planned", "confirmed", "done"])
def test_a_new_request_cannot_skip_steps(app, dispatcher, amina, target):
    response = dispatcher.post(
        f"/dispatch/requests/{amina}/triage", data=form_for(app, amina, status=target)
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Une demande «\u00a0Nouvelle\u00a0» ne peut pas passer à" in page
    assert 'id="status-error"' in page
    request, events = load(app, amina)
    assert request.status is RequestStatus.NEW
    assert events == []


def test_an_unknown_status_is_refused_with_a_message(app, dispatcher, amina):
    response = dispatcher.post(
        f"/dispatch/requests/{amina}/triage", data=form_for(app, amina, status="lost")
    )
    assert response.status_code == 400
    assert "Choisissez une des valeurs de la liste." in response.get_data(as_text=True)


def test_the_status_walks_forward_and_closing_sets_closed_at(session, org, dispatcher_user):
    request = add_request(session, org)
    now = utcnow()
    keep = Triage(60, 1, None, (), None, RequestStatus.NEW)
    for step in ("triaged", "planned", "confirmed", "done"):
        changed = triage_request(
            session,
            request,
            Triage(**{**keep.__dict__, "status": RequestStatus(step)}),
            user=dispatcher_user,
            now=now,
        )
        assert changed
        assert request.status.value == step
        assert (request.closed_at is not None) == (step == "done")
    assert request.closed_at == now
    with pytest.raises(ActionRefused) as refused:
        triage_request(session, request, keep, user=dispatcher_user, now=now)
    assert refused.value.code == "closed"


@pytest.mark.parametrize("start", ["new", "triaged", "planned", "confirmed"])
def test_no_show_can_close_any_open_request(session, org, dispatcher_user, start):
    request = add_request(session, org, status=RequestStatus(start))
    now = utcnow()
    triage_request(
        session,
        request,
        Triage(60, 1, None, (), None, RequestStatus.NO_SHOW),
        user=dispatcher_user,
        now=now,
    )
    assert request.status is RequestStatus.NO_SHOW
    assert request.closed_at == now


def test_cancelling_needs_a_reason_then_closes_and_withdraws_coming_appointments(
    app, dispatcher, in_app, world
):
    def build(session, org):
        request = add_request(session, org, status=RequestStatus.CONFIRMED)
        start = utcnow() + timedelta(days=2)
        session.add(
            Appointment(
                organisation=org,
                kind=Mode.HOME,
                request=request,
                volunteer_id=world.volunteer_id,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                status=AppointmentStatus.CONFIRMED,
            )
        )
        return request.id

    rid = in_app(build)
    response = dispatcher.post(
        f"/dispatch/requests/{rid}/triage", data=form_for(app, rid, status="cancelled")
    )
    assert response.status_code == 400
    assert "Indiquez pourquoi la demande est annulée." in response.get_data(as_text=True)
    assert load(app, rid)[0].status is RequestStatus.CONFIRMED

    response = dispatcher.post(
        f"/dispatch/requests/{rid}/triage",
        data=form_for(app, rid, status="cancelled", cancel_reason="person_cancelled"),
    )
    assert response.status_code == 302
    request, events = load(app, rid)
    assert request.status is RequestStatus.CANCELLED
    assert request.cancel_reason == "person_cancelled"
    assert request.closed_at is not None
    assert events[-1][1] == {"from": "confirmed", "to": "cancelled", "reason": "person_cancelled"}
    with app.app_context():
        appointment = db.session.scalars(sa.select(Appointment)).one()
        assert appointment.status is AppointmentStatus.CANCELLED
        assert appointment.sequence == 1


def test_a_closed_request_cannot_be_triaged(app, dispatcher, in_app):
    rid = in_app(
        lambda session, org: (
            add_request(session, org, status=RequestStatus.DONE, closed_at=utcnow()).id
        )
    )
    page = dispatcher.get(f"/dispatch/requests/{rid}").get_data(as_text=True)
    assert "Enregistrer le triage" not in page
    response = dispatcher.post(
        f"/dispatch/requests/{rid}/triage", data=form_for(app, rid, priority="3")
    )
    assert response.status_code == 302
    assert load(app, rid)[0].priority == 1
    page = dispatcher.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cette demande est fermée" in page


def test_the_required_language_must_be_one_the_person_speaks(app, dispatcher, amina):
    page = dispatcher.get(f"/dispatch/requests/{amina}").get_data(as_text=True)
    assert '<option value="ar">Arabe</option>' in page
    response = dispatcher.post(
        f"/dispatch/requests/{amina}/triage", data=form_for(app, amina, required_language="es")
    )
    assert response.status_code == 400
    assert load(app, amina)[0].required_language is None


def test_a_duration_out_of_bounds_is_refused_and_what_was_typed_is_kept(app, dispatcher, amina):
    response = dispatcher.post(
        f"/dispatch/requests/{amina}/triage",
        data=form_for(app, amina, duration_min="600", internal_notes="Garder ce texte"),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Entrez une durée entre 10 et 240 minutes." in page
    assert 'href="#duration_min"' in page  # the error summary links to the field
    assert 'value="600"' in page
    assert "Garder ce texte" in page
    assert load(app, amina)[0].duration_min == 60


def test_a_form_from_an_older_page_is_refused(app, dispatcher, amina):
    stale = form_for(app, amina, priority="3")
    fresh = form_for(app, amina, priority="2")
    assert dispatcher.post(f"/dispatch/requests/{amina}/triage", data=fresh).status_code == 302
    response = dispatcher.post(f"/dispatch/requests/{amina}/triage", data=stale)
    assert response.status_code == 409
    assert "Quelqu&#39;un d&#39;autre a modifié cette demande" in response.get_data(as_text=True)
    assert load(app, amina)[0].priority == 2


def test_another_organisations_request_is_not_found(app, dispatcher, in_app, amina):
    def build(session, org):
        other, town = add_other_organisation(session)
        return add_request(session, other, municipality=town).id

    theirs = in_app(build)
    for method, url in [
        ("GET", f"/dispatch/requests/{theirs}"),
        ("POST", f"/dispatch/requests/{theirs}/triage"),
        ("POST", f"/dispatch/requests/{theirs}/place"),
        ("GET", f"/dispatch/requests/{theirs}/merge/{amina}"),
        ("GET", f"/dispatch/requests/{amina}/merge/{theirs}"),
        ("POST", f"/dispatch/requests/{amina}/merge/{theirs}"),
        ("GET", f"/dispatch/requests/{theirs}/erase"),
        ("POST", f"/dispatch/requests/{theirs}/erase"),
        ("GET", "/dispatch/requests/999999"),
    ]:
        assert dispatcher.open(url, method=method).status_code == 404, (method, url)


def test_the_request_page_shows_everything_the_person_gave(app, dispatcher, in_app, world):
    def build(session, org):
        request = add_request(
            session,
            org,
            first_name="Jeannine",
            phone="+18195550142",
            mode=Mode.HOME,
            address="12, rue Principale",
            needs=["video_calls"],
            need_details="Parler à mes petits-enfants <en vidéo>",
            availability=["tue-am", "thu-pm"],
            languages=["fr", "en"],
            deadline=local_today(org, utcnow()) + timedelta(days=10),
            source=Source.PARTNER,
            referral=Referral.SOCIAL_WORKER,
            referrer_name="CLSC Drummond",
        )
        request.beneficiary.email = "jeannine@example.org"
        request.beneficiary.accessibility_notes = "Malentendante : sonner deux fois."
        session.add(RequestEvent(request=request, kind="created", detail={"source": "partner"}))
        return request.id

    rid = in_app(build)
    page = dispatcher.get(f"/dispatch/requests/{rid}").get_data(as_text=True)
    for text in (
        "Jeannine",
        "(819) 555-0142",
        'href="tel:+18195550142"',
        "jeannine@example.org",
        "12, rue Principale",
        "Drummondville",
        "Appels vidéo",
        "Parler à mes petits-enfants &lt;en vidéo&gt;",
        "Mardi\u00a0: matin (9\u00a0h à 12\u00a0h)",
        "Jeudi\u00a0: après-midi (13\u00a0h à 17\u00a0h)",
        "dans 10 jours",
        "Français, Anglais",
        "Malentendante : sonner deux fois.",
        "Remplie par un partenaire",
        "Intervenant social · <bdi>CLSC Drummond</bdi>",
        "Consentement donné",
        "Demande reçue",
    ):
        assert text in page, text
    assert "<en vidéo>" not in page


def test_the_request_page_reads_in_english(app, dispatcher, amina):
    dispatcher.get("/language/en")
    page = dispatcher.get(f"/dispatch/requests/{amina}").get_data(as_text=True)
    assert "What the person asked for" in page
    assert "Arabic, French" in page


def test_correcting_the_place_and_availability_is_saved_and_recorded(
    app, dispatcher, in_app, world
):
    rid = in_app(lambda session, org: add_request(session, org, lat=45.9, lon=-72.5).id)
    data = {
        "version": form_for(app, rid)["version"],
        "municipality": str(world.municipality_ids["Wickham"]),
        "address": "8, rang Sainte-Anne",
        "availability": ["mon-pm", "sat-am"],
    }
    response = dispatcher.post(f"/dispatch/requests/{rid}/place", data=data)
    assert response.status_code == 302
    request, events = load(app, rid)
    assert request.municipality_id == world.municipality_ids["Wickham"]
    assert request.address == "8, rang Sainte-Anne"
    assert request.availability == ["mon-pm", "sat-am"]
    assert request.any_time is False
    assert (request.lat, request.lon, request.location_approximate) == (45.75, -72.5, True)
    kind, detail, _ = events[-1]
    assert kind == "corrected"
    assert detail["changes"]["municipality"] == ["Drummondville", "Wickham"]
    assert detail["changes"]["availability"] == [["tue-am"], ["mon-pm", "sat-am"]]


def test_corrections_are_validated_like_the_booking_form(app, dispatcher, in_app, world):
    def build(session, org):
        other, town = add_other_organisation(session)
        return add_request(session, org).id, town.id

    rid, foreign_town = in_app(build)
    base = {
        "version": form_for(app, rid)["version"],
        "municipality": str(world.municipality_ids["Wickham"]),
        "address": "8, rang Sainte-Anne",
        "availability": ["mon-pm"],
    }
    cases = [
        ({"municipality": str(foreign_town)}, "Choisissez une des valeurs de la liste."),
        ({"municipality": "abc"}, "Choisissez une des valeurs de la liste."),
        ({"address": "  "}, "Entrez l&#39;adresse"),
        ({"address": "x" * 201}, "Écrivez au plus 200 caractères."),
        ({"availability": []}, "Cochez au moins un moment"),
        ({"availability": ["sun-night"]}, "Choisissez une des valeurs de la liste."),
    ]
    for change, message in cases:
        response = dispatcher.post(f"/dispatch/requests/{rid}/place", data={**base, **change})
        assert response.status_code == 400, change
        page = response.get_data(as_text=True)
        assert message in page, change
        assert "<details open>" in page
    request, events = load(app, rid)
    assert request.municipality_id == world.municipality_ids["Drummondville"]
    assert events == []
    response = dispatcher.post(
        f"/dispatch/requests/{rid}/place", data={**base, "availability": [], "any_time": "y"}
    )
    assert response.status_code == 302
    assert load(app, rid)[0].any_time is True


def test_skills_from_needs_are_suggested_not_ticked_and_saving_requires_none(
    app, dispatcher, amina
):
    page = dispatcher.get(f"/dispatch/requests/{amina}").get_data(as_text=True)
    form = page.split(f'action="/dispatch/requests/{amina}/triage')[1].split("</form>")[0]
    assert 'name="required_skills"' in form
    assert "checked" not in form.split('name="required_skills"')[1].split("</fieldset>")[0]
    assert "Suggéré d'après ce que la personne a demandé" in page
    data = form_for(app, amina, status="triaged")
    assert dispatcher.post(f"/dispatch/requests/{amina}/triage", data=data).status_code == 302
    request, _events = load(app, amina)
    assert request.required_skills == []


def test_two_saves_of_the_same_page_at_once_change_the_request_once(
    app, live_server, world, amina, monkeypatch
):
    """A double click, or two dispatchers saving the same page in the same instant: both
    forms carry the same version; the first is saved, the second is told the request changed
    (409) instead of recording the cancellation twice over the first one's words."""
    import threading
    import urllib.parse
    import urllib.request
    from http.cookiejar import CookieJar

    import routes.requests.request_page as request_page

    both_read = threading.Barrier(2, timeout=10)
    waiting = threading.local()
    original = request_page.version_of

    def version_read_together(req):
        # Each save reads the version, then waits for the other: they compare at once.
        version = original(req)
        if threading.current_thread().name.startswith("save-") and not getattr(
            waiting, "done", False
        ):
            waiting.done = True
            both_read.wait()
        return version

    monkeypatch.setattr(request_page, "version_of", version_read_together)
    data = form_for(app, amina, status="cancelled", cancel_reason="person_cancelled")
    body = urllib.parse.urlencode(data, doseq=True).encode()
    statuses: list[int] = []

    def save() -> None:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        sign_in = {"email": world.email_for(Role.DISPATCHER), "password": PASSWORD}
        opener.open(f"{live_server}/auth/login", urllib.parse.urlencode(sign_in).encode())
        try:
            with opener.open(f"{live_server}/dispatch/requests/{amina}/triage", body) as answer:
                statuses.append(answer.status)
        except urllib.error.HTTPError as refused:
            statuses.append(refused.code)

    threads = [threading.Thread(target=save, name=f"save-{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    request, events = load(app, amina)
    assert request.status is RequestStatus.CANCELLED
    assert [kind for kind, detail, _ in events if kind == "status"] == ["status"]
    assert sorted(statuses) == [200, 409]
