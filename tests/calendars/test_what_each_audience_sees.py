"""What each calendar shows, and what it must never show."""

from __future__ import annotations

from datetime import timedelta

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import Organisation

from .builders import team_link
from .parsers import by_uid
from .parsers import read_both


def volunteer_view(client, scenario):
    response = client.get(scenario.link)
    assert response.status_code == 200
    return response.get_data(), read_both(response.get_data())


def uid_of(app, appointment_id):
    with app.app_context():
        return db.session.get(Appointment, appointment_id).uid


def test_home_visit_shows_name_need_address_map_phone_and_when_to_leave(app, client, scenario):
    _, calendar = volunteer_view(client, scenario)
    visit = by_uid(calendar)[uid_of(app, scenario.visit_id)]
    assert visit["summary"] == "Visite à domicile : Jeannine (Drummondville)"
    assert visit["location"] == "12, rue Principale, Drummondville"
    assert visit["geo"] == [45.75, -72.5]
    assert visit["url"] == (
        "https://www.openstreetmap.org/?mlat=45.750000&mlon=-72.500000#map=17/45.750000/-72.500000"
    )
    description = visit["description"]
    # Times as the pages write them ("9 h 40", "10 h"), not Babel's "09 h 40".
    assert (
        "Partir à 9\u00a0h\u00a040 : 20 min de route (15,5 km) pour arriver à 10\u00a0h."
        in description
    )
    assert "Besoin : Courriel, Appels vidéo" in description
    assert "Dans ses mots : Parler en vidéo avec mes petits-enfants." in description
    assert "Téléphone : (819) 555-0142" in description
    assert "Accessibilité : Sonner deux fois." in description
    assert "Carte : https://www.openstreetmap.org/" in description
    # Reminder before it is time to leave: 30 min + 20 min on the road.
    assert [a["trigger"] for a in visit["alarms"]] == [-50 * 60]
    assert visit["alarms"][0]["description"].startswith("Partir à 9\u00a0h\u00a040 : Visite")
    assert "09 h" not in visit["alarms"][0]["description"]


def test_home_visit_has_a_free_travel_event_just_before_it(app, client, scenario):
    _, calendar = volunteer_view(client, scenario)
    events = by_uid(calendar)
    uid = uid_of(app, scenario.visit_id)
    travel, visit = events[f"travel-{uid}"], events[uid]
    assert travel["transp"] == "TRANSPARENT"
    assert visit["transp"] == "OPAQUE"
    assert travel["end"] == visit["start"]
    assert travel["summary"] == "Trajet vers Jeannine (Drummondville)"
    assert travel["alarms"] == []


def test_phone_call_shows_a_tel_link_and_what_it_is_about(app, client, scenario):
    _, calendar = volunteer_view(client, scenario)
    call = by_uid(calendar)[uid_of(app, scenario.call_id)]
    assert call["summary"] == "Appel : Omer"
    assert call["url"] == "tel:+18195550142"
    assert "tel:+18195550142" in call["description"]
    assert "Appeler Omer au (819) 555-0142." in call["description"]
    assert "Dans ses mots : Je ne reçois plus mes courriels." in call["description"]
    assert call["geo"] is None
    assert not any(
        uid.startswith("travel-") and uid.endswith(call["uid"]) for uid in by_uid(calendar)
    )


def test_drop_in_shows_the_site_and_who_else_is_on_duty(app, client, scenario):
    _, calendar = volunteer_view(client, scenario)
    duty = by_uid(calendar)[uid_of(app, scenario.duty_id)]
    assert duty["summary"] == "Permanence : Local Brock"
    assert duty["location"] == "Local Brock, 255, rue Brock, Drummondville"
    assert duty["geo"] == [45.8802, -72.4871]
    assert "Aussi sur place : Omar H." in duty["description"]
    assert "Personnes inscrites : 1" in duty["description"]
    assert "Leurs langues : Arabe, Français" in duty["description"]
    assert "Layla" not in duty["description"]


def test_volunteer_feed_never_carries_more_than_the_visit_needs(client, scenario):
    body, _ = volunteer_view(client, scenario)
    text = body.decode()
    for secret in ("jeannine.secret@example.org", "Note interne", "Tremblay", "Rachid"):
        assert secret not in text


def test_a_volunteers_link_never_shows_another_volunteers_visits(app, client, scenario):
    mine = by_uid(read_both(client.get(scenario.link).get_data()))
    theirs = by_uid(read_both(client.get(scenario.other_link).get_data()))
    assert uid_of(app, scenario.other_visit_id) not in mine
    assert uid_of(app, scenario.visit_id) not in theirs
    assert not {u for u in mine if u.startswith("travel-")} & set(theirs)
    assert "Rachid" not in client.get(scenario.link).get_data(as_text=True)
    assert "Jeannine" not in client.get(scenario.other_link).get_data(as_text=True)


def test_team_feed_shows_every_volunteers_appointments_with_their_name(
    app, client, world, scenario
):
    with app.app_context():
        link = team_link(db.session, world.email_for("dispatcher"))
    calendar = by_uid(read_both(client.get(link).get_data()))
    visit = calendar["team-" + uid_of(app, scenario.visit_id)]
    other = calendar["team-" + uid_of(app, scenario.other_visit_id)]
    assert visit["summary"] == "Sylvie T. – Visite à domicile : Jeannine (Drummondville)"
    assert other["summary"] == "Omar H. – Visite à domicile : Rachid (Drummondville)"
    booking = calendar["team-" + uid_of(app, scenario.booking_id)]
    assert booking["summary"].startswith("Pas encore de bénévole – Visite à la permanence : Layla")
    assert all(e["alarms"] == [] for e in calendar.values())
    assert not any(uid.startswith("travel-") for uid in calendar)


def test_public_site_feed_shows_opening_hours_and_nobody(client, world, scenario):
    response = client.get(f"/feeds/site/{world.site_id}.ics")
    assert "public" in response.headers["Cache-Control"].split(", ")
    text = response.get_data(as_text=True)
    for name in ("Jeannine", "Layla", "Sylvie", "Omar", "Rachid", "555-0"):
        assert name not in text
    events = read_both(response.get_data())["events"]
    assert len(events) == 12  # one opening a week, twelve weeks
    first = events[0]
    assert first["summary"] == "Permanence : Local Brock"
    assert first["start"].endswith(("T14:00:00Z", "T13:00:00Z"))  # Tuesday 9:00 in Toronto
    assert all(e["alarms"] == [] for e in events)
    assert all(e["start"] < f["start"] for e, f in zip(events, events[1:], strict=False))
    assert all(e["uid"].startswith(f"site-{world.site_id}-opening-") for e in events)


def test_inactive_or_unknown_site_has_no_feed(app, client, world):
    assert client.get("/feeds/site/999.ics").status_code == 404
    with app.app_context():
        from scheduler.models import Site

        db.session.get(Site, world.site_id).active = False
        db.session.commit()
    assert client.get(f"/feeds/site/{world.site_id}.ics").status_code == 404


def test_feed_texts_follow_the_organisations_wording_not_the_visitors(app, client, scenario):
    client.get("/language/en")  # the visitor's own choice does not change the feed
    with app.app_context():
        org = db.session.scalars(db.select(Organisation)).one()
        org.locale, org.country = "fr_FR", "FR"
        db.session.commit()
    calendar = by_uid(read_both(client.get(scenario.link).get_data()))
    visit = calendar[uid_of(app, scenario.visit_id)]
    assert visit["summary"] == "Visite à domicile : Jeannine (Drummondville)"
    assert "Besoin : E-mail, Appels vidéo" in visit["description"]
    # French times as French pages write them, in France too ("9 h 40", not "09:40").
    assert "Partir à 9\u00a0h\u00a040" in visit["description"]
    assert "+1 819-555-0142" in visit["description"]  # a Canadian number, read from France


def test_english_organisation_gets_english_events(app, client, scenario):
    with app.app_context():
        org = db.session.scalars(db.select(Organisation)).one()
        org.locale = "en_CA"
        db.session.commit()
    calendar = by_uid(read_both(client.get(scenario.link).get_data()))
    visit = calendar[uid_of(app, scenario.visit_id)]
    assert visit["summary"] == "Home visit: Jeannine (Drummondville)"
    assert (
        "Leave at 9:40\u202fa.m." in visit["description"] or "Leave at 9:40" in visit["description"]
    )


def test_past_appointments_older_than_the_window_drop_out(app, client, world, scenario):
    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        visit.move(visit.starts_at - timedelta(days=45), visit.ends_at - timedelta(days=45))
        db.session.commit()
        uid = visit.uid
    assert uid not in by_uid(read_both(client.get(scenario.link).get_data()))
