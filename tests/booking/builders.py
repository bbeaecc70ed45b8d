"""Builders for the booking tests: valid answers to change one at a time, and page readers."""

from __future__ import annotations

import html
import re
import tomllib
from datetime import UTC
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from scheduler.core.extensions import db
from scheduler.core.settings import ROOT
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import Organisation

from ..builders import World
from ..builders import build_world
from ..builders import make_municipality
from ..builders import make_organisation


def booking_config(**changes: Any) -> dict[str, Any]:
    """The committed ``[BOOKING]`` table with some keys changed."""
    with (ROOT / "config.toml").open("rb") as handle:
        table = dict(tomllib.load(handle)["BOOKING"])
    table.update(changes)
    return table


def answers(world: World, **changes: Any) -> dict[str, Any]:
    """A complete, valid home-visit request as the browser posts it."""
    data: dict[str, Any] = {
        "mode": "home",
        "needs": ["email", "public_services"],
        "need_details": "Je ne reçois plus mes courriels.",
        "municipality": str(world.municipality_ids["Wickham"]),
        "address": "12, rue Principale",
        "availability": ["tue-am", "thu-pm"],
        "first_name": "Jeannine",
        "phone": "819 555-0142",
        "email": "",
        "languages": ["fr", "ar"],
        "accessibility_notes": "",
        "referral": "",
        "referral_name": "",
        "partner_name": "",
        "consent": "y",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def error_for(page: str, field_id: str) -> str:
    """The text of a field's error element (``<p class="field__error" id="…-error">``)."""
    match = re.search(
        rf'<p class="field__error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S
    )
    if match is None:
        return ""
    text = re.sub(r"<[^>]+>", " ", match.group(1))
    return " ".join(html.unescape(text).split())


def plain(page: str) -> str:
    """A page as text to search: entities decoded, no-break spaces as spaces."""
    return html.unescape(page).replace("\u00a0", " ").replace("\u202f", " ")


def french_clock(moment: datetime | time) -> str:
    """A time as French pages write it, in Québec as in France: "9 h", "9 h 45"."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def error_ids(page: str) -> list[str]:
    return re.findall(r'<p class="field__error" id="([^"]+)-error">', page)


def input_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    if match is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else ""


def is_checked(page: str, name: str, value: str) -> bool:
    for tag in re.findall(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page):
        if f'value="{value}"' in tag:
            return " checked" in tag
    raise AssertionError(f"no {name}={value} box on the page")


def textarea_text(page: str, name: str) -> str:
    pattern = rf'<textarea[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</textarea>'
    match = re.search(pattern, page, re.S)
    assert match is not None, name
    return html.unescape(match.group(1)).strip()


def private_link(page: str) -> str:
    match = re.search(r'id="private-link"[^>]*>(.*?)</textarea>', page, re.S)
    assert match is not None, "no private link on the page"
    return html.unescape(match.group(1)).strip()


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def all_requests(app: Flask) -> list[HelpRequest]:
    with app.app_context():
        found = db.session.scalars(sa.select(HelpRequest).order_by(HelpRequest.id)).all()
        for request in found:
            _ = request.beneficiary, request.events, request.site, request.municipality
        db.session.expunge_all()
        return list(found)


def other_organisation(session: Session) -> tuple[Organisation, Municipality]:
    """A second association with its own town, for "not your territory" checks."""
    org = make_organisation(session, name="Autre association", slug="autre")
    town = make_municipality(session, org, "Victoriaville", 46.05, -71.96)
    session.commit()
    return org, town


def add_appointment(
    session: Session, request: HelpRequest, *, volunteer_id: int, days_ahead: int = 3, **fields: Any
) -> Appointment:
    start = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0) + timedelta(
        days=days_ahead
    )
    fields.setdefault("status", AppointmentStatus.CONFIRMED)
    appointment = Appointment(
        organisation_id=request.organisation_id,
        kind=request.mode if isinstance(request.mode, Mode) else Mode(request.mode),
        request_id=request.id,
        volunteer_id=volunteer_id,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        **fields,
    )
    session.add(appointment)
    session.commit()
    return appointment


def app_with_world(make_app: Any, **settings: Any) -> tuple[Flask, World]:
    app = make_app(**settings)
    with app.app_context():
        world = build_world(db.session)
    return app, world


#: The fields each screen of the step-by-step form posts (see routes/booking/steps.py).
STEP_FIELDS = {
    "how": ("mode",),
    "what": ("needs", "need_details"),
    "where": ("municipality", "address", "site"),
    "when": ("availability", "any_time", "deadline"),
    "contact": (
        "first_name",
        "phone",
        "email",
        "languages",
        "accessibility_notes",
        "for_someone_else",
        "partner_name",
        "referral",
        "referral_name",
        "consent",
        "website",
    ),
}


def step_data(world: World, step: str, **changes: Any) -> dict[str, Any]:
    """What one screen posts, taken from :func:`answers`."""
    data = answers(world, **changes)
    return {k: v for k, v in data.items() if k in STEP_FIELDS[step]}


def walk(client: Any, world: World, until: str, **changes: Any) -> str:
    """Answer every screen before ``until`` with valid answers, then open ``until``."""
    for step in STEP_FIELDS:
        if step == until:
            break
        response = client.post(f"/ask/{step}", data=step_data(world, step, **changes))
        assert response.status_code == 303, (step, response.get_data(as_text=True)[-3000:])
    response = client.get(f"/ask/{until}")
    assert response.status_code == 200, response.headers.get("Location")
    return str(response.get_data(as_text=True))
