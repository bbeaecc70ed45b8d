"""Builders for the people and administration tests (beside the shared ``tests/builders.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import time

from sqlalchemy.orm import Session

from scheduler.models import Absence
from scheduler.models import AvailabilityWindow
from scheduler.models import Role
from scheduler.models import Site

from ..builders import make_municipality
from ..builders import make_organisation
from ..builders import make_user
from ..builders import make_volunteer


@dataclass
class OtherOrganisation:
    """Another association in the same database: none of its ids may be reachable."""

    org_id: int
    municipality_id: int
    site_id: int
    volunteer_id: int
    absence_id: int
    user_id: int


def build_other_organisation(session: Session) -> OtherOrganisation:
    org = make_organisation(
        session,
        name="Autre asso",
        slug="autre",
        country="FR",
        locale="fr_FR",
        timezone="Europe/Paris",
    )
    town = make_municipality(session, org, "Lyon", 45.764, 4.8357)
    site = Site(organisation=org, name="Local Lyon", address="1 rue X", lat=45.76, lon=4.83)
    session.add(site)
    user = make_user(session, org, Role.DISPATCHER, "autre@example.org")
    volunteer = make_volunteer(
        session,
        org,
        first_name="Camille",
        last_name="Durand",
        home_municipality=town,
        absences=[Absence(first_day=date(2030, 1, 1), last_day=date(2030, 1, 5))],
    )
    session.commit()
    return OtherOrganisation(
        org_id=org.id,
        municipality_id=town.id,
        site_id=site.id,
        volunteer_id=volunteer.id,
        absence_id=volunteer.absences[0].id,
        user_id=user.id,
    )


def week_form(*rows: tuple) -> dict[str, str]:
    """Form data for the week editor: rows of (weekday, start, end) or (…, "remove")."""
    data: dict[str, str] = {}
    for index, row in enumerate(rows):
        weekday, starts, ends = row[:3]
        data[f"windows-{index}-weekday"] = str(weekday)
        data[f"windows-{index}-starts"] = starts
        data[f"windows-{index}-ends"] = ends
        if len(row) > 3 and row[3] == "remove":
            data[f"windows-{index}-remove"] = "y"
    return data


def windows_of(volunteer) -> list[tuple[int, time, time]]:
    return [(w.weekday, w.starts, w.ends) for w in volunteer.availability]


def set_week(session: Session, volunteer, *windows: tuple[int, time, time]) -> None:
    volunteer.availability = [
        AvailabilityWindow(weekday=d, starts=a, ends=b) for d, a, b in windows
    ]
    session.commit()


def text_of(page: str) -> str:
    """What a reader sees: tags removed, entities decoded, every run of spaces as one space."""
    import html
    import re

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).replace(" ,", ",")
