"""Every staff form that creates something, sent twice with the same page (a double
click, back then send again, a reload of the answer), creates it once, and the second
sending lands on what the first one made, with a word saying so."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.models import Device
from scheduler.models import DeviceKind
from scheduler.models import DeviceLoan
from scheduler.models import Organisation
from scheduler.models import PartnerOrganisation
from scheduler.models import Programme
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.models import WorkshopSeries
from scheduler.workshops.programmes import create_programme
from tests.builders import org_today

from .people.test_dispatcher_volunteers import full_profile


@dataclass
class Case:
    role: Role
    #: (page with the form, where it posts, what it posts) once the world is ready.
    prepare: Callable[[Any, Any], tuple[str, str, dict[str, Any]]]
    made: type[Any]


def _device(app, world) -> int:
    with app.app_context():
        device = add_device(db.session, world.org_id, kind=DeviceKind.LAPTOP, label="PC-09")
        db.session.commit()
        return device.id


def _lend(app, world):
    device_id = _device(app, world)
    today = org_today(app, world.org_id)
    data = {
        "volunteer_id": "",
        "holder_name": "Famille Roy",
        "starts_on": today.isoformat(),
        "due_on": (today + timedelta(days=14)).isoformat(),
    }
    page = f"/dispatch/devices/{device_id}"
    return page, f"{page}/lend", data


def _give(app, world):
    device_id = _device(app, world)
    page = f"/dispatch/devices/{device_id}"
    return page, f"{page}/give", {"holder_name": "Famille Roy"}


def _series(app, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        programme = create_programme(db.session, org, title="Bases", sessions_count=2, capacity=4)
        db.session.commit()
        programme_id = programme.id
    data = {
        "programme": str(programme_id),
        "municipality": str(world.municipality_ids["Wickham"]),
        "first_day": (org_today(app, world.org_id) + timedelta(days=7)).isoformat(),
        "starts": "13:30",
        "ends": "15:30",
        "every_days": "7",
        "leader": str(world.volunteer_id),
    }
    return "/dispatch/workshops/series/new", "/dispatch/workshops/series/new", data


def _invite(app, world):
    page = f"/admin/partners/{world.partner_id}"
    return page, f"{page}/staff", {"email": "nadia@banque.example", "display_name": "Nadia"}


CASES = {
    "new volunteer": Case(
        Role.DISPATCHER,
        lambda app, world: (
            "/dispatch/volunteers/new",
            "/dispatch/volunteers/new",
            full_profile(world),
        ),
        Volunteer,
    ),
    "new device": Case(
        Role.DISPATCHER,
        lambda app, world: (
            "/dispatch/devices/",
            "/dispatch/devices/",
            {"kind": "laptop", "label": "PC-01", "state": "in_stock"},
        ),
        Device,
    ),
    "device loan": Case(Role.DISPATCHER, _lend, DeviceLoan),
    "device gift": Case(Role.DISPATCHER, _give, DeviceLoan),
    "new programme": Case(
        Role.DISPATCHER,
        lambda app, world: (
            "/dispatch/workshops/programmes/new",
            "/dispatch/workshops/programmes/new",
            {
                "title": "Premiers pas",
                "sessions_count": "4",
                "capacity": "6",
                "laptops": "0",
                "share": "75",
            },
        ),
        Programme,
    ),
    "new series": Case(Role.DISPATCHER, _series, WorkshopSeries),
    "new partner": Case(
        Role.ADMIN,
        lambda app, world: (
            "/admin/partners",
            "/admin/partners",
            {"name": "Banque alimentaire du Centre", "kind": "food_bank", "contact_email": ""},
        ),
        PartnerOrganisation,
    ),
    "partner invitation": Case(Role.ADMIN, _invite, User),
}


def _count(app, model: type[Any]) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("name", list(CASES))
def test_a_staff_form_sent_twice_creates_once(app, client, auth, world, name):
    case = CASES[name]
    page_url, post_url, data = case.prepare(app, world)
    auth.login_as(case.role)
    page = client.get(page_url).get_data(as_text=True)
    keys = re.findall(r'name="once" value="([^"]+)"', page)
    assert keys, "the form carries a one-use key"
    before = _count(app, case.made)
    first = client.post(post_url, data={**data, "once": keys[-1]})
    assert first.status_code in (200, 302, 303), first.get_data(as_text=True)
    assert _count(app, case.made) == before + 1
    again = client.post(post_url, data={**data, "once": keys[-1]})
    assert again.status_code == 303
    assert _count(app, case.made) == before + 1
    shown = client.get(again.headers["Location"], follow_redirects=True)
    assert shown.status_code == 200
    assert "Ce formulaire a déjà été envoyé" in shown.get_data(as_text=True)
