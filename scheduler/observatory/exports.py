"""Exports of the observatory: the tables, their columns, the files, and the record.

Three tables, each a header and rows of plain values:

* :func:`request_table`: one row per request and appointment (a request without an
  appointment has one row with the appointment columns empty), for the association's
  own use; staff only. No name, phone, address or free text: the reference links back.
* :func:`activity_table`: delivered activity, one row per appointment held, in the shape
  of La Coop de la médiation numérique's activity reports.
* :func:`summary_table`: counts by municipality, language, mode and need, for partners
  and funders; every count from 1 to 4 is replaced by ``"<5"`` (:data:`SMALL_COUNT`).

Every file that leaves goes through :func:`record_export`, which logs one line and keeps
an :class:`~scheduler.models.ExportRecord`. Cells that a spreadsheet would read as a
formula are defused (:mod:`scheduler.observatory.formulas`).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from typing import BinaryIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy.orm import Session

from scheduler.core import audit
from scheduler.models import ExportRecord
from scheduler.models import Mode
from scheduler.models import User

from . import counts
from . import figures
from .formulas import defuse
from .rows import AppointmentRow
from .rows import RequestRow
from .scope import Scope

log = logging.getLogger(__name__)

#: Partners and funders never see a count of fewer people than this.
SMALL_COUNT = 5
SUPPRESSED = "<5"
FORMATS = ("csv", "xlsx")
KINDS = ("requests", "activity", "summary", "volunteer_year")

#: Words for codes, given by the interface: ``label("mode", "home")`` → "Home visit".
Label = Callable[[str, str], str]
#: Words for a reason left out with its telling details (:data:`.figures.REASON_KEYS`).
ReasonWords = Callable[[figures.ReasonCount], str]

REQUEST_COLUMNS = (
    "reference",
    "received_on",
    "municipality",
    "mode",
    "needs",
    "languages",
    "source",
    "referral",
    "status",
    "outcome",
    "left_out_reason",
    "site",
    "appointment_starts",
    "appointment_ends",
    "appointment_status",
    "volunteer",
    "duration_min",
    "travel_km",
    "waiting_days",
)
ACTIVITY_COLUMNS = (
    "date",
    "activity_type",
    "duration_min",
    "place_type",
    "place",
    "municipality",
    "themes",
    "autonomy",
    "orientation",
    "volunteer",
    "reference",
)
SUMMARY_COLUMNS = (
    "dimension",
    "value",
    "received",
    "served",
    "waiting",
    "left_out",
    "cancelled",
    "no_show",
)


@dataclass(frozen=True)
class Table:
    """A header and its rows; the rows of the request and activity tables are made one at
    a time as the file is written (a year's export never sits whole in memory)."""

    header: tuple[str, ...]
    rows: Iterable[tuple[Any, ...]]


#: A request and its appointments in time order (:func:`.rows.iter_request_lines`).
Line = tuple[RequestRow, list[AppointmentRow]]


def request_table(
    lines: Iterable[Line],
    *,
    zone: ZoneInfo,
    label: Label,
    reason_words: ReasonWords,
    sites: dict[int, str],
    volunteers: dict[int, str],
) -> Table:
    """One row per request and appointment; headers are the column codes."""
    return Table(
        REQUEST_COLUMNS,
        _request_rows(
            lines,
            zone=zone,
            label=label,
            reason_words=reason_words,
            sites=sites,
            volunteers=volunteers,
        ),
    )


def _request_rows(
    lines: Iterable[Line],
    *,
    zone: ZoneInfo,
    label: Label,
    reason_words: ReasonWords,
    sites: dict[int, str],
    volunteers: dict[int, str],
) -> Iterator[tuple[Any, ...]]:
    for r, appointments in lines:
        waiting = figures.waiting_days(r)
        reason = ""
        if r.left_out_reason:
            (line,) = figures.rank_reasons([(r.left_out_reason, r.left_out_detail)])
            reason = reason_words(line)
        common = (
            r.reference,
            r.received_on.isoformat(),
            r.municipality,
            label("mode", r.mode.value),
            ", ".join(label("need", n) for n in r.needs),
            ", ".join(label("language", code) for code in r.languages),
            label("source", r.source),
            label("referral", r.referral) if r.referral else "",
            label("status", r.status.value),
            label("outcome", figures.outcome(r)),
            reason,
        )
        held: list[AppointmentRow | None] = list(appointments) or [None]
        for a in held:
            if a is None:
                site = sites.get(r.site_id or 0, "")
                yield (*common, site, "", "", "", "", r.duration_min, "", _round(waiting))
                continue
            yield (
                *common,
                sites.get(a.site_id or r.site_id or 0, ""),
                _local(a.starts_at, zone),
                _local(a.ends_at, zone),
                label("appointment_status", a.status.value),
                volunteers.get(a.volunteer_id or 0, ""),
                int((a.ends_at - a.starts_at).total_seconds() // 60),
                a.travel_km if a.travel_km is not None else "",
                _round(waiting),
            )


#: Need codes → themes of La Coop de la médiation numérique's activity reports.
COOP_THEMES = {
    "email": "Courriels",
    "public_services": "Démarches en ligne",
    "video_calls": "Échanger avec ses proches",
    "school_portal": "Parentalité et scolarité",
    "smartphone": "Prendre en main du matériel",
    "keyboard_mouse": "Prendre en main du matériel",
    "job_search": "Insertion professionnelle",
    "other": "Autre",
}
#: Mode → place type of the activity report: at home, remote, or the place of activity.
COOP_PLACE = {
    Mode.HOME: "À domicile",
    Mode.PHONE: "À distance",
    Mode.DROPIN: "Lieu d'activité",
}


def activity_table(
    lines: Iterable[Line],
    *,
    zone: ZoneInfo,
    sites: dict[int, str],
    volunteers: dict[int, str],
) -> Table:
    """Delivered help: appointments done (or whose request is done), one row each.

    Every appointment is an individual accompaniment (Escouade plans no group workshop
    yet). The person's autonomy and the orientation given are recorded by visit reports,
    which do not exist yet: those columns stay empty rather than guessed.
    """
    return Table(
        ACTIVITY_COLUMNS,
        _activity_rows(lines, zone=zone, sites=sites, volunteers=volunteers),
    )


def _activity_rows(
    lines: Iterable[Line],
    *,
    zone: ZoneInfo,
    sites: dict[int, str],
    volunteers: dict[int, str],
) -> Iterator[tuple[Any, ...]]:
    for r, appointments in lines:
        for a in appointments:
            done = a.status.value == "done" or (
                r.status.value == "done" and a.status.value in ("scheduled", "confirmed")
            )
            if not done:
                continue
            themes = sorted(dict.fromkeys(COOP_THEMES.get(n, "Autre") for n in r.needs))
            yield (
                a.starts_at.astimezone(zone).date().isoformat(),
                "Individuel",
                int((a.ends_at - a.starts_at).total_seconds() // 60),
                COOP_PLACE[a.kind],
                sites.get(a.site_id or r.site_id or 0, ""),
                r.municipality,
                ", ".join(themes),
                "",
                "",
                volunteers.get(a.volunteer_id or 0, ""),
                r.reference,
            )


def suppress(count: int) -> int | str:
    """A count as partners may see it: 0 and 5 or more as they are, 1 to 4 as ``"<5"``."""
    return SUPPRESSED if 0 < count < SMALL_COUNT else count


def summary_table(found: list[counts.Group], *, label: Label) -> Table:
    """Counts by dimension for partners and funders, small counts suppressed; from the
    groups the database counted (:func:`.counts.groups`), as the dashboard shows them.

    No totals row: a total beside a suppressed cell would give the cell away.
    """
    out: list[tuple[Any, ...]] = []
    for dimension in ("municipality", "language", "mode", "need"):
        tallies = counts.tallies(found, dimension)
        for t in tallies:
            value = t.key if dimension == "municipality" else label(dimension, t.key)
            out.append(
                (
                    label("dimension", dimension),
                    value,
                    suppress(t.received),
                    *(suppress(t[name]) for name in figures.OUTCOMES),
                )
            )
    return Table(SUMMARY_COLUMNS, out)


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 1)


def _local(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")


class Counted:
    """Rows passed through, counted: the record says how many rows the file holds."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self._rows:
            self.count += 1
            yield row


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read accents right."""
    out = io.BytesIO()
    write_csv_to(out, header, rows)
    return out.getvalue()


def write_csv_to(out: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """:func:`write_csv` into ``out`` as the rows come, a few hundred lines at a time."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([defuse(h) for h in header])
    for row in rows:
        writer.writerow([defuse(v) for v in row])
    text.flush()
    text.detach()  # leave ``out`` open for the caller


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str) -> bytes:
    out = io.BytesIO()
    write_xlsx_to(out, header, rows, sheet=sheet)
    return out.getvalue()


def write_xlsx_to(
    out: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str
) -> None:
    """One sheet, written row by row: openpyxl's write-only mode keeps the rows in a
    temporary file, not in memory, and zips them into ``out``."""
    book = Workbook(write_only=True)
    page = book.create_sheet(title=sheet[:31])
    page.append([defuse(h) for h in header])
    for row in rows:
        page.append([defuse(v) for v in row])
    book.save(out)  # type: ignore[arg-type]  # openpyxl takes a path or a binary file


def record_export(
    session: Session,
    *,
    organisation_id: int,
    user_id: int | None,
    kind: str,
    file_format: str,
    scope: Scope | str,
    rows: int,
    now: datetime,
) -> ExportRecord:
    """Write down that a file left: one log line and one :class:`ExportRecord`; commits."""
    text = scope.describe() if isinstance(scope, Scope) else scope
    record = ExportRecord(
        organisation_id=organisation_id,
        user_id=user_id,
        kind=kind,
        file_format=file_format,
        scope=text[:200],
        rows=rows,
        at=now,
    )
    session.add(record)
    # The administrators' audit trail lists every export, whichever page sent it.
    audit.record_export(
        session,
        actor=session.get(User, user_id) if user_id is not None else None,
        what=f"observatory:{kind}.{file_format}",
        rows=rows,
        now=now,
        organisation_id=organisation_id,
        detail={"scope": text},
    )
    session.commit()
    log.info(
        "export %s.%s of organisation %d by user %s: %d rows (%s)",
        kind,
        file_format,
        organisation_id,
        user_id if user_id is not None else "-",
        rows,
        text,
    )
    return record
