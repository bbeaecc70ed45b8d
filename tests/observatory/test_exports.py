"""Exports opened with real readers (the csv module, openpyxl) and checked cell by cell;
small counts suppressed in the partners' file; every export recorded."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import AuditEntry
from scheduler.models import Beneficiary
from scheduler.models import ExportRecord
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.observatory.exports import defuse
from scheduler.observatory.exports import suppress
from scheduler.observatory.exports import write_csv
from scheduler.observatory.exports import write_xlsx

MARCH = "period=month&value=2026-03"


def read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(data: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    (sheet,) = book.worksheets
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_request_export_has_one_row_per_request_and_appointment(app, month, auth, client):
    auth.login_as("dispatcher")
    response = client.get(f"/observatory/export/requests.csv?{MARCH}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response.data)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Référence", "Reçue le", "Municipalité", "Mode"]
    # Nine requests; r1 has two appointments (one cancelled): ten rows.
    assert len(body) == 10
    with app.app_context():
        r1 = db.session.get(HelpRequest, month.refs["r1"]).reference
        r2 = db.session.get(HelpRequest, month.refs["r2"]).reference
    r1_rows = [r for r in body if r[0] == r1]
    assert len(r1_rows) == 2
    kept = next(r for r in r1_rows if r[header.index("Statut du rendez-vous")] == "Aide donnée")
    assert kept[header.index("Début du rendez-vous")] == "2026-03-04 10:00"
    assert kept[header.index("Bénévole")] == "Sylvie Tremblay"
    assert kept[header.index("Déplacement avant (km)")] == "12.5"
    assert kept[header.index("Jours entre la demande et le premier rendez-vous")] == "2.0"
    (left,) = [r for r in body if r[0] == r2]
    assert left[header.index("Langues")] == "Arabe"
    assert left[header.index("Résultat")] == "Non placée"
    assert left[header.index("Raison du non-placement")] == (
        "Aucun bénévole qui parle arabe n’est disponible le mardi."
    )


def test_exports_hold_no_name_phone_address_or_free_text(app, month, auth, client):
    with app.app_context():
        r = db.session.get(HelpRequest, month.refs["r4"])
        r.need_details = "Mon fils m'aide d'habitude"
        r.internal_notes = "Rappeler le soir"
        r.beneficiary = Beneficiary(
            organisation_id=r.organisation_id, first_name="Ginette", phone="+18195550999"
        )
        db.session.commit()
    auth.login_as("admin")
    for kind in ("requests", "activity", "summary"):
        data = client.get(f"/observatory/export/{kind}.csv?{MARCH}").data.decode("utf-8")
        for secret in ("Ginette", "5550999", "555-0999", "rue Principale", "Mon fils", "Rappeler"):
            assert secret not in data, (kind, secret)


def test_xlsx_export_reads_back_like_the_csv(month, auth, client):
    auth.login_as("dispatcher")
    from_csv = read_csv(client.get(f"/observatory/export/requests.csv?{MARCH}").data)
    from_xlsx = read_xlsx(client.get(f"/observatory/export/requests.xlsx?{MARCH}").data)
    assert len(from_xlsx) == len(from_csv)
    assert from_xlsx[0] == from_csv[0]
    for row_csv, row_xlsx in zip(from_csv[1:], from_xlsx[1:], strict=True):
        for text, value in zip(row_csv, row_xlsx, strict=True):
            if isinstance(value, int | float):
                assert float(text) == value  # a number stays a number in the workbook
            else:
                assert text == ("" if value is None else value)


def test_activity_export_follows_the_coop_activity_report(month, auth, client):
    auth.login_as("dispatcher")
    rows = read_xlsx(client.get(f"/observatory/export/activity.xlsx?{MARCH}").data)
    assert rows[0] == [
        "Date",
        "Type d'accompagnement",
        "Durée (min)",
        "Type de lieu",
        "Lieu d'activité",
        "Commune de l'usager",
        "Thématiques",
        "Autonomie de l'usager",
        "Orientation",
        "Médiateur",
        "Référence",
    ]
    # Delivered: r1's home visit and r7's drop-in; r6 was a no-show, the others had none.
    body = sorted(rows[1:], key=lambda r: str(r[0]))
    assert [(r[0], r[1], r[2], r[3], r[5], r[6]) for r in body] == [
        ("2026-03-04", "Individuel", 60, "À domicile", "Drummondville", "Courriels"),
        ("2026-03-10", "Individuel", 60, "Lieu d'activité", "Drummondville", "Courriels"),
    ]
    assert body[1][4] == "Local Brock"
    assert body[0][7] is None and body[0][8] is None  # not recorded yet, never guessed


def test_partners_file_suppresses_counts_below_five(month, auth, client):
    auth.login_as("dispatcher")
    rows = read_csv(client.get(f"/observatory/export/summary.csv?{MARCH}").data)
    header = rows[0]
    assert header == [
        "Par",
        "Valeur",
        "Demandes reçues",
        "Demandes servies",
        "Demandes en attente",
        "Demandes non placées",
        "Demandes annulées",
        "Personnes absentes",
    ]
    lines = {(r[0], r[1]): r[2:] for r in rows[1:]}
    # French: 7 received (shown); 2 served, 2 waiting, 2 left out, 1 cancelled (under 5).
    assert lines[("Langue", "Français")] == ["7", "<5", "<5", "<5", "<5", "0"]
    assert lines[("Municipalité", "Wickham")] == ["<5", "0", "<5", "<5", "0", "0"]
    assert lines[("Besoin", "Courriels")][0] == "5"
    for values in lines.values():
        for value in values:
            assert value in ("0", "<5") or int(value) >= 5


def test_suppress_and_defuse():
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert defuse('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert defuse("@cmd") == "'@cmd"
    assert defuse("-5") == "'-5"
    assert defuse(-5) == -5


def test_a_formula_in_a_name_stays_text_in_both_files():
    header, rows = ["Municipalité"], [["=1+1"], ["+33 1"]]
    assert read_csv(write_csv(header, rows))[1:] == [["'=1+1"], ["'+33 1"]]
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(header, rows, sheet="t")))
    cell = book.active["A2"]
    assert (cell.value, cell.data_type) == ("'=1+1", "s")


FORMULAS = [
    "\uff1d1+1",  # full-width equals sign
    "\uff0bcmd",
    "\uff0d2+3",
    "\uff20SUM(A1)",
    " =1+1",
    "\t=1+1",
    "\r+1",
    "\n@SUM(A1)",
    "  \uff1dHYPERLINK(1)",
    "\tWickham",  # a tab or carriage return opening a cell, on its own
    "\rWickham",
]


@pytest.mark.parametrize("name", FORMULAS)
def test_a_formula_hidden_behind_full_width_signs_or_blanks_stays_text_in_both_files(
    app, month, auth, client, name
):
    with app.app_context():
        town = db.session.scalar(sa.select(Municipality).where(Municipality.name == "Wickham"))
        town.name = name
        db.session.commit()
    auth.login_as("dispatcher")
    rows = read_csv(client.get(f"/observatory/export/requests.csv?{MARCH}").data)
    column = rows[0].index("Municipalité")
    assert "'" + name in {r[column] for r in rows[1:]}
    assert name not in {r[column] for r in rows[1:]}
    data = client.get(f"/observatory/export/requests.xlsx?{MARCH}").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert {c.data_type for c in cells} == {"s"}  # never "f": no cell is a formula
    assert "'" + name in {c.value for c in cells}
    assert name not in {c.value for c in cells}


@pytest.mark.parametrize("text", ["Wickham", "L'Avenir", "a = b", "4 - 2", "", "  Wickham"])
def test_plain_text_is_left_as_it_is(text):
    assert defuse(text) == text


@pytest.mark.parametrize("kind", ["requests", "activity", "summary"])
def test_every_export_is_recorded(app, month, auth, client, kind):
    auth.login_as("dispatcher")
    client.get(f"/observatory/export/{kind}.xlsx?{MARCH}&municipality=")
    with app.app_context():
        (record,) = db.session.scalars(sa.select(ExportRecord)).all()
        assert (record.kind, record.file_format, record.scope) == (
            kind,
            "xlsx",
            "2026-03-01..2026-03-31",
        )
        assert record.user.email if hasattr(record, "user") else record.user_id
        assert record.organisation_id == month.org_id


def test_an_export_is_in_the_administrators_audit_trail(app, month, auth, client):
    auth.login_as("dispatcher")
    response = client.get(f"/observatory/export/requests.csv?{MARCH}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    with app.app_context():
        (entry,) = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry.target == "observatory:requests.csv"
        assert entry.organisation_id == month.org_id and entry.actor_id is not None
        assert entry.detail["scope"] == "2026-03-01..2026-03-31"
    auth.logout()
    auth.login_as("admin")
    assert "observatory:requests.csv" in client.get("/admin/audit?action=export").text


def test_a_bad_filter_sends_back_to_the_dashboard_and_records_nothing(app, month, auth, client):
    auth.login_as("dispatcher")
    response = client.get("/observatory/export/requests.csv?period=month&value=2026-13")
    assert response.status_code == 302
    assert "/observatory?" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ExportRecord.id))) == 0


def test_an_export_writes_one_log_line(month, auth, client, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="scheduler")
    auth.login_as("dispatcher")
    client.get(f"/observatory/export/summary.csv?{MARCH}")
    lines = [r.getMessage() for r in caplog.records if r.name == "scheduler.observatory.exports"]
    assert len(lines) == 1
    assert lines[0].startswith(f"export summary.csv of organisation {month.org_id} by user ")
    assert lines[0].endswith("rows (2026-03-01..2026-03-31)")


def test_an_export_read_two_rows_at_a_time_is_the_same_file(app, month, auth, client, monkeypatch):
    """The request export streams from the database in batches; a request whose
    appointments and reasons fall across batches still makes its own rows, whole."""
    from scheduler.observatory import rows

    auth.login_as("dispatcher")
    whole = read_csv(client.get(f"/observatory/export/requests.csv?{MARCH}").data)
    monkeypatch.setattr(rows, "BATCH", 2)
    batched = read_csv(client.get(f"/observatory/export/requests.csv?{MARCH}").data)
    assert batched == whole
    assert len(whole) == 11
