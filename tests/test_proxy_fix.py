"""[PROXY_FIX] trusted_proxies: the visitor's address comes from the trusted proxy's
X-Forwarded-For, and from nothing a client writes when no proxy is trusted."""

from __future__ import annotations

import pytest

from scheduler.core.settings import ConfigurationError
from scheduler.core.web import shared_limits_problem
from scheduler.core.web import trusted_proxies

from .booking.builders import answers
from .booking.builders import app_with_world
from .booking.builders import booking_config


def _post(client, world, forwarded):
    return client.post("/", data=answers(world), headers={"X-Forwarded-For": forwarded}).status_code


def test_behind_one_proxy_each_visitor_has_a_budget(make_app):
    app, world = app_with_world(
        make_app,
        RATELIMIT_ENABLED=True,
        PROXY_FIX={"trusted_proxies": 1},
        BOOKING=booking_config(rate_limit="1 per hour"),
    )
    client = app.test_client()
    assert _post(client, world, "203.0.113.1") == 303
    assert _post(client, world, "203.0.113.1") == 429
    assert _post(client, world, "203.0.113.2") == 303


def test_without_a_trusted_proxy_the_header_is_ignored(make_app):
    app, world = app_with_world(
        make_app, RATELIMIT_ENABLED=True, BOOKING=booking_config(rate_limit="1 per hour")
    )
    client = app.test_client()
    assert _post(client, world, "203.0.113.1") == 303
    assert _post(client, world, "203.0.113.2") == 429  # a forged header buys nothing


@pytest.mark.parametrize("value", [-1, 6, "1", True, 1.5])
def test_a_wrong_number_of_proxies_stops_the_start(value):
    with pytest.raises(ConfigurationError, match="trusted_proxies"):
        trusted_proxies({"PROXY_FIX": {"trusted_proxies": value}})


def test_several_workers_need_a_shared_store():
    assert shared_limits_problem("memory://", 3) is not None
    assert shared_limits_problem("memory://", 1) is None
    assert shared_limits_problem("redis://127.0.0.1:6379/0", 3) is None
