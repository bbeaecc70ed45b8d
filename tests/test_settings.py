from __future__ import annotations

import tomllib

import pytest

from scheduler.app import create_app
from scheduler.core.settings import DEV_SECRET_KEY
from scheduler.core.settings import ConfigurationError
from scheduler.core.settings import write_instance_secret


def test_development_secret_is_refused_outside_debug_and_tests(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCOUADE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("ESCOUADE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_development_secret_is_accepted_in_tests(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCOUADE_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY


def test_environment_overrides_database_and_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCOUADE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ESCOUADE_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("ESCOUADE_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("ESCOUADE_BOOKING__max_text", "500")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/env.db"
    assert app.config["BOOKING"]["max_text"] == 500
    assert app.config["BOOKING"]["languages"][0] == "fr"  # the rest of the table is kept


def test_instance_secret_is_written_once_and_then_used(tmp_path, monkeypatch):
    assert write_instance_secret(tmp_path) is True
    first = tomllib.loads((tmp_path / "config.toml").read_text())["SECRET_KEY"]
    assert write_instance_secret(tmp_path) is False
    assert tomllib.loads((tmp_path / "config.toml").read_text())["SECRET_KEY"] == first
    assert len(first) >= 48
    monkeypatch.setenv("ESCOUADE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("ESCOUADE_SECRET_KEY", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == first


def test_instance_secret_goes_before_existing_tables(tmp_path):
    (tmp_path / "config.toml").write_text("[BOOKING]\nmax_text = 300\n")
    write_instance_secret(tmp_path)
    parsed = tomllib.loads((tmp_path / "config.toml").read_text())
    assert "SECRET_KEY" in parsed
    assert parsed["BOOKING"]["max_text"] == 300
