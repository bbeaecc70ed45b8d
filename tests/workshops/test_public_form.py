"""The public enrolment form's answers are checked in the workshops package: every problem
is named at once, beside its field, and nothing is cut short silently."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Enrolment
from scheduler.models import Referral
from scheduler.workshops.public_form import AnswersRefused
from scheduler.workshops.public_form import EnrolAnswers
from scheduler.workshops.public_form import check_answers

from .builders import make_series
from .test_pages import soon


def _answers(**fields: object) -> EnrolAnswers:
    values: dict = {
        "first_name": "Ana",
        "phone": "819 555-0111",
        "referral": "",
        "referral_name": "",
        "consent": True,
    } | fields
    return EnrolAnswers(**values)


def test_good_answers_give_the_person_and_the_referral():
    checked = check_answers(_answers(referral="school", referral_name="École Jean-XXIII"), "CA")

    assert checked.person.first_name == "Ana"
    assert checked.person.phone == "+18195550111"
    assert checked.referral is Referral.SCHOOL
    assert checked.referrer_name == "École Jean-XXIII"


def test_every_problem_is_named_at_once_beside_its_field():
    with pytest.raises(AnswersRefused) as refused:
        check_answers(
            _answers(
                first_name="", phone="12", referral="x", referral_name="n" * 121, consent=False
            ),
            "CA",
        )

    found = [(r.field, r.code, r.params) for r in refused.value.refusals]
    assert found == [
        ("first_name", "missing", {}),
        ("phone", "phone", {}),
        ("referral", "not_a_choice", {}),
        ("referral_name", "too_long", {"limit": 120, "length": 121}),
        ("consent", "consent", {}),
    ]


def test_a_referral_name_of_exactly_120_characters_is_kept_whole():
    assert check_answers(_answers(referral_name="n" * 120), "CA").referrer_name == "n" * 120


def test_an_over_long_referral_name_is_refused_in_words_and_kept_typed(app, client, world):
    """A crafted post of 150 characters was cut to 120 and stored without a word."""
    with app.app_context():
        series_id = make_series(db.session, world, first=soon()).id
    name = "Office municipal d'habitation " * 5
    response = client.post(
        f"/ask/workshop/{series_id}",
        data={
            "first_name": "Ana",
            "phone": "819 555-0111",
            "consent": "1",
            "referral": "housing",
            "referral_name": name,
        },
    )

    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Raccourcissez ce texte à 120 caractères ou moins (il en a 149)." in text
    assert 'id="w-referral_name-error"' in text
    assert name.strip().replace("'", "&#39;") in text
    with app.app_context():
        assert db.session.scalars(sa.select(Enrolment)).first() is None


def test_the_refusal_speaks_the_persons_language(app, client, world):
    with app.app_context():
        series_id = make_series(db.session, world, first=soon()).id
    response = client.post(
        f"/ask/workshop/{series_id}",
        data={
            "first_name": "Ana",
            "phone": "819 555-0111",
            "consent": "1",
            "referral_name": "n" * 130,
        },
        headers={"Accept-Language": "es"},
    )

    assert response.status_code == 400
    assert "Acorte este texto a 120 caracteres o menos (tiene 130)." in response.get_data(
        as_text=True
    )
