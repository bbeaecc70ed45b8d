"""The observatory's pages: staff of the organisation only, filters checked, a volunteer's
own year and statement."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import ExportRecord
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import Site
from tests.builders import make_user
from tests.html_forms import labels_outside_their_form

MARCH = "period=month&value=2026-03"


@pytest.mark.parametrize("role", ["admin", "dispatcher"])
def test_staff_see_the_dashboard_with_its_figures_and_charts(month, auth, client, role):
    auth.login_as(role)
    response = client.get(f"/observatory?{MARCH}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Observatoire" in page
    assert "Aucun bénévole qui parle arabe n’est disponible le mardi." in page
    assert page.count('src="data:image/svg+xml;base64,') == 5
    assert "<script" not in page.split("<main", 1)[-1]
    assert "Aucun compte rendu de visite sur cette période" in page


@pytest.mark.parametrize(
    "path",
    [
        "/observatory",
        "/observatory/export/requests.csv",
        "/observatory/export/summary.xlsx",
        "/observatory/export/activity.csv",
    ],
)
def test_volunteers_are_refused_and_visitors_sent_to_sign_in(auth, client, path):
    assert client.get(path).status_code == 302
    auth.login_as("volunteer")
    assert client.get(path).status_code == 403


def test_staff_of_another_organisation_see_only_their_own(app, month, client, world):
    with app.app_context():
        other = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "ailleurs"))
        make_user(db.session, other, Role.DISPATCHER, "ailleurs@example.org")
        db.session.commit()
    client.post(
        "/auth/login", data={"email": "ailleurs@example.org", "password": "correct horse battery"}
    )
    page = client.get(f"/observatory?{MARCH}").get_data(as_text=True)
    assert "Wickham" not in page
    # One request in that organisation in March; the first organisation's nine are not there.
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/observatory/export/requests.csv?{MARCH}").get_data(as_text=True)[1:]
            )
        )
    )
    assert len(rows) == 2
    # Another organisation's site or municipality is refused like a typo.
    response = client.get(f"/observatory?{MARCH}&site={world.site_id}")
    assert response.status_code == 400
    assert "Choisissez dans la liste." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "period=year&value=9999",
        "period=week&value=9999-W52",
        "period=dates&first=9999-12-31&last=9999-12-31",
    ],
)
@pytest.mark.parametrize("path", ["/observatory", "/observatory/export/requests.csv"])
def test_a_period_at_the_end_of_the_calendar_is_refused_in_words(month, auth, client, path, query):
    auth.login_as("dispatcher")
    response = client.get(f"{path}?{query}", follow_redirects=True)
    assert response.status_code == 400
    assert "Choisissez une période entre 2000 et 2100." in response.get_data(as_text=True)


def test_a_bad_period_is_explained_beside_the_field_and_kept(month, auth, client):
    auth.login_as("dispatcher")
    response = client.get("/observatory?period=month&value=mars+2026")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        "Écrivez la période comme dans l'exemple." in page
        or "Écrivez la période comme dans l&#39;exemple." in page
    )
    assert 'value="mars 2026"' in page
    assert 'aria-invalid="true"' in page


def test_unknown_export_kind_or_format_is_not_found(auth, client):
    auth.login_as("dispatcher")
    assert client.get("/observatory/export/people.csv").status_code == 404
    assert client.get("/observatory/export/requests.pdf").status_code == 404


def test_site_filter_lists_only_the_organisations_sites(app, month, auth, client, world):
    with app.app_context():
        name = db.session.get(Site, world.site_id).name
    auth.login_as("dispatcher")
    page = client.get(f"/observatory?{MARCH}&site={world.site_id}").get_data(as_text=True)
    assert f"Local : {name}." in page


def test_a_volunteer_sees_their_own_year_and_downloads_the_statement(app, month, auth, client):
    auth.login_as("volunteer")
    page = client.get("/me/year?year=2026").get_data(as_text=True)
    assert "Mon année" in page
    assert "Mars" in page
    response = client.get("/me/year/statement.xlsx?year=2026")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert rows[0][:2] == ["Mois", "Visites à domicile"]
    march = rows[3]
    # Sylvie: one home visit of an hour; the planned day: 30 min and 25 km, way home included.
    assert march == ["2026-03", 1, 0, 0, 1, 0.5, 25]
    assert rows[-1][0] == "Total" and rows[-1][1] == 1
    csv_rows = list(
        csv.reader(
            io.StringIO(client.get("/me/year/statement.csv?year=2026").get_data(as_text=True)[1:])
        )
    )
    assert csv_rows[3] == ["2026-03", "1", "0", "0", "1.0", "0.5", "25.0"]
    with app.app_context():
        kinds = db.session.scalars(sa.select(ExportRecord.kind)).all()
    assert kinds == ["volunteer_year", "volunteer_year"]


def test_a_volunteers_year_refuses_a_bad_year_and_staff_have_none(auth, client):
    auth.login_as("volunteer")
    response = client.get("/me/year?year=deux-mille")
    assert response.status_code == 400
    assert 'value="deux-mille"' in response.get_data(as_text=True)
    auth.logout()
    auth.login_as("dispatcher")
    assert client.get("/me/year").status_code == 403


def test_a_volunteer_login_without_a_profile_is_told_whom_to_ask(app, auth, client, world):
    """A volunteer's login whose profile was removed (or never made) gets the page that
    says whom to contact, not an error."""
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        make_user(db.session, org, Role.VOLUNTEER, "nobody@example.org")
        db.session.commit()
    auth.login("nobody@example.org")
    response = client.get("/me/year")
    assert response.status_code == 404
    assert "<main" in response.get_data(as_text=True)


def test_a_volunteers_statement_counts_no_visit_still_to_come(app, auth, client, world):
    """The statement is for a mileage claim: a visit planned for the coming days is not yet
    hours given nor km driven, whatever the month it falls in."""
    from datetime import timedelta

    from scheduler.models import utcnow
    from tests.messages.builders import booked

    soon = utcnow() + timedelta(days=2)
    with app.app_context():
        booked(db.session, world, starts=soon, now=utcnow())
    auth.login_as("volunteer")
    text = client.get(f"/me/year/statement.csv?year={soon.year}").get_data(as_text=True)
    total = list(csv.reader(io.StringIO(text[1:])))[-1]
    assert total[:2] == ["Total", "0"]


def test_the_period_field_is_the_only_element_with_its_id(month, auth, client):
    """The heading of the period shown had the id of the "Period" field: the label and the
    error link "Period: …" could lead to the heading instead of the list."""
    auth.login_as(Role.DISPATCHER)
    for query in ("", "?period=week&value=2026-W99"):
        page = client.get(f"/observatory{query}")
        assert labels_outside_their_form(page.get_data(as_text=True)) == [], query


def test_the_small_count_sign_is_written_as_text_in_the_page(month, auth, client):
    """Translated sentences are trusted as HTML, so a "<5" inside one reached the page raw:
    browsers guessed it was text, but the page was not valid HTML."""
    auth.login_as(Role.DISPATCHER)
    page = client.get(f"/observatory?{MARCH}").get_data(as_text=True)
    assert "«\u00a0&lt;5\u00a0»" in page
    assert "<5" not in page
