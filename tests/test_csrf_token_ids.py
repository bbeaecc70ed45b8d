"""A page holding several forms holds each form's CSRF token without repeating an id:
HTML ids are unique, and nothing points at a hidden token."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Role
from scheduler.models import User

from .builders import PASSWORD
from .builders import build_world
from .html_forms import ids_used_twice


@pytest.fixture
def app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def token_of(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def test_a_page_with_two_forms_repeats_no_id(app):
    with app.app_context():
        world = build_world(db.session)
        volunteer = db.session.scalar(
            sa.select(User).where(User.email == world.email_for(Role.VOLUNTEER))
        ).id
    client = app.test_client()
    token = token_of(client.get("/auth/login").get_data(as_text=True))
    signed_in = client.post(
        "/auth/login",
        data={"email": world.email_for(Role.ADMIN), "password": PASSWORD, "csrf_token": token},
    )
    assert signed_in.status_code in (302, 303)

    page = client.get(f"/admin/users/{volunteer}").get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 2  # the role's form and the password's
    assert ids_used_twice(page) == []


def test_the_token_without_an_id_is_still_accepted(app):
    with app.app_context():
        world = build_world(db.session)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'id="csrf_token"' not in page
    answer = client.post(
        "/auth/login",
        data={
            "email": world.email_for(Role.ADMIN),
            "password": PASSWORD,
            "csrf_token": token_of(page),
        },
    )
    assert answer.status_code in (302, 303)
