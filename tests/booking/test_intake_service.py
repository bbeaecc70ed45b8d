"""The intake service on its own: rules that protect the data, whatever calls it."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Source
from scheduler.requests import intake
from scheduler.requests import private_link
from scheduler.requests.booking_options import BookingOptions

from .builders import booking_config
from .builders import other_organisation

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
OPTIONS = BookingOptions.from_config(booking_config())


def answers_for(world, **changes) -> intake.BookingAnswers:
    fields = dict(
        mode=Mode.HOME,
        needs=["email"],
        municipality_id=world.municipality_ids["Wickham"],
        first_name="Jeannine",
        phone="+18195550142",
        languages=["fr"],
        address="12, rue Principale",
        availability=["wed-pm", "mon-am"],
    )
    fields.update(changes)
    return intake.BookingAnswers(**fields)


def create(world, **changes):
    org = db.session.get(Organisation, world.org_id)
    return intake.create_request(
        db.session, org, answers_for(world, **changes), options=OPTIONS, now=NOW, locale="fr_CA"
    )


def count_requests() -> int:
    return db.session.scalar(sa.select(sa.func.count(HelpRequest.id)))


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"municipality_id": 987654}, intake.OutsideTerritory),
        ({"address": "  "}, intake.AddressRequired),
        ({"mode": Mode.DROPIN, "site_id": None}, intake.SiteRequired),
        ({"mode": Mode.DROPIN, "site_id": 987654}, intake.SiteRequired),
        ({"deadline": date(2026, 11, 22)}, intake.DeadlineInPast),
        ({"deadline": date(2028, 1, 1)}, intake.DeadlineTooFar),
        ({"availability": []}, intake.NoAvailability),
        ({"availability": ["sun-night"]}, intake.UnknownChoice),
        ({"needs": ["gardening"]}, intake.UnknownChoice),
        ({"languages": ["tlh"]}, intake.UnknownChoice),
    ],
)
def test_refused_answers_store_nothing(app, world, changes, error):
    with app.app_context():
        with pytest.raises(error) as caught:
            create(world, **changes)
        db.session.rollback()
        assert caught.value.field
        assert count_requests() == 0


def test_another_organisations_town_is_outside_the_territory(app, world):
    with app.app_context():
        _, town = other_organisation(db.session)
        with pytest.raises(intake.OutsideTerritory):
            create(world, municipality_id=town.id)


def test_a_request_gets_a_reference_a_hashed_token_and_the_town_centre(app, world):
    with app.app_context():
        created = create(world, deadline=date(2026, 11, 23))
        request = created.request
        assert request.reference.startswith("ESC-")
        assert created.token not in request.access_token_hash
        assert private_link.find_by_token(db.session, created.token) is request
        assert (request.lat, request.lon, request.location_approximate) == (45.75, -72.5, True)
        assert request.availability == ["mon-am", "wed-pm"]  # grid order
        assert request.created_at == NOW == request.consent_at
        assert request.events[0].at == NOW


def test_deadline_is_judged_in_the_organisations_own_day(app, world):
    # 02:00 UTC on the 24th is still the 23rd in Québec: "today" is allowed.
    late_evening = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        created = intake.create_request(
            db.session,
            org,
            answers_for(world, deadline=date(2026, 11, 23)),
            options=OPTIONS,
            now=late_evening,
            locale="fr_CA",
        )
        assert created.request.deadline == date(2026, 11, 23)


def test_partner_answers_make_a_partner_request_but_a_phone_intake_stays_phone(app, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        online = create(world, for_someone_else=True, partner_name="École Saint-Pierre")
        assert online.request.source is Source.PARTNER
        assert online.request.referrer_name == "École Saint-Pierre"
        phone = intake.create_request(
            db.session,
            org,
            answers_for(world, for_someone_else=True, partner_name="CLSC"),
            options=OPTIONS,
            now=NOW,
            locale="fr_CA",
            source=Source.PHONE,
        )
        assert phone.request.source is Source.PHONE


def test_a_very_long_referrer_is_cut_to_its_column(app, world):
    with app.app_context():
        created = create(
            world, for_someone_else=True, partner_name="P" * 120, referral_name="R" * 120
        )
        assert len(created.request.referrer_name) == 120
        assert created.request.referrer_name.endswith("…")


def test_cancel_by_an_unknown_link_or_twice_is_refused(app, world):
    with app.app_context():
        created = create(world)
        with pytest.raises(private_link.RequestNotFound):
            private_link.cancel_request(db.session, "A" * 24, now=NOW)
        private_link.cancel_request(db.session, created.token, now=NOW + timedelta(hours=1))
        with pytest.raises(private_link.RequestClosed):
            private_link.cancel_request(db.session, created.token, now=NOW + timedelta(hours=2))
        assert created.request.closed_at == NOW + timedelta(hours=1)
