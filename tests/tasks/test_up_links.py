"""``escouade up`` tells its timed jobs where the web server is, so their messages carry
links; an address an operator chose is never replaced."""

from __future__ import annotations

import socket

from scheduler.app import create_app
from scheduler.core.addresses import MESSAGES_BASE_URL_VARIABLE
from scheduler.core.addresses import links_environment
from scheduler.core.addresses import served_base_url
from scheduler.runtime import settings_of


def test_the_served_address_becomes_the_messages_base_url(tmp_path, monkeypatch):
    env = links_environment("", "127.0.0.1", 5094, {"PATH": "/usr/bin"})
    assert env == {"PATH": "/usr/bin", MESSAGES_BASE_URL_VARIABLE: "http://127.0.0.1:5094"}
    # The variable is one the application reads into [MESSAGES] base_url.
    monkeypatch.setenv("ESCOUADE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(MESSAGES_BASE_URL_VARIABLE, env[MESSAGES_BASE_URL_VARIABLE])
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert settings_of(app).messages.base_url == "http://127.0.0.1:5094"
    assert settings_of(app).messages.backend == "outbox"  # the rest of the table is kept


def test_an_address_the_operator_chose_is_kept():
    configured = links_environment("https://escouade.example.org", "127.0.0.1", 5094, {})
    assert MESSAGES_BASE_URL_VARIABLE not in configured
    chosen = {MESSAGES_BASE_URL_VARIABLE: "https://aide.example.org"}
    assert links_environment("", "127.0.0.1", 5094, chosen) == chosen


def test_every_interface_names_this_machine_and_ipv6_takes_brackets():
    assert served_base_url("0.0.0.0", 5000) == f"http://{socket.gethostname()}:5000"
    assert served_base_url("::1", 8080) == "http://[::1]:8080"
    assert served_base_url("escouade.local", 80) == "http://escouade.local:80"
