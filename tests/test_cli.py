from __future__ import annotations

import sqlalchemy as sa

from scheduler.app import create_app
from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer

from .conftest import settings_for_tests


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_demo_builds_the_drummond_territory_and_prints_logins(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin@escouade.demo" in result.output
    assert "demo-escouade" in result.output
    with app.app_context():
        towns = set(db.session.scalars(sa.select(Municipality.name)))
        assert {
            "Wickham",
            "L'Avenir",
            "Saint-Majorique-de-Grantham",
            "Saint-Félix-de-Kingsey",
            "Drummondville",
        } <= towns
        # The Drummond organisation's twelve; the Nord demo organisation has its own two.
        assert count(Volunteer) == 14
        assert count(HelpRequest) >= 60
        modes = set(db.session.scalars(sa.select(HelpRequest.mode)))
        assert modes == {Mode.HOME, Mode.PHONE, Mode.DROPIN}
        languages = set()
        for langs in db.session.scalars(sa.select(Volunteer.languages)):
            languages.update(langs)
        assert {"fr", "en", "es", "ar"} <= languages
        assert count(Appointment) > 0


def test_seed_demo_twice_does_not_duplicate(app, runner):
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "already has data" in result.output
    assert "admin@escouade.demo" in result.output
    with app.app_context():
        assert count(Volunteer) == 14


def test_create_user_reads_the_password_from_the_environment(app, runner, world, monkeypatch):
    monkeypatch.setenv("ESCOUADE_PASSWORD", "a long enough password")
    result = runner.invoke(args=["create-user", "--role", "dispatcher", "New@Example.org"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "new@example.org")).one()
        assert user.role is Role.DISPATCHER
        assert user.check_password("a long enough password")


def test_create_user_prompts_for_the_password(app, runner, world, monkeypatch):
    monkeypatch.delenv("ESCOUADE_PASSWORD", raising=False)
    result = runner.invoke(
        args=["create-user", "--role", "volunteer", "vol@example.org"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "vol@example.org")).one()
        assert user.volunteer is not None


def test_create_user_refuses_a_short_password_and_a_duplicate(app, runner, world, monkeypatch):
    monkeypatch.setenv("ESCOUADE_PASSWORD", "short")
    result = runner.invoke(args=["create-user", "--role", "admin", "a@example.org"])
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    monkeypatch.setenv("ESCOUADE_PASSWORD", "a long enough password")
    result = runner.invoke(args=["create-user", "--role", "admin", "admin@example.org"])
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_init_db_applies_the_migrations(empty_database_url):
    app = create_app(settings_for_tests(empty_database_url))
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "help_request" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
