"""The secret in a feed link never reaches the access log of the running server."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from scheduler.core.extensions import db

from .builders import team_link

#: Straight to 127.0.0.1, whatever proxy the environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str) -> int:
    try:
        with OPENER.open(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_access_log_keeps_no_feed_secret(app, live_server, world, scenario, caplog):
    with app.app_context():
        team = team_link(db.session, world.email_for("dispatcher"))
    paths = [
        scenario.link,
        team,
        f"/request/{scenario.visit_request_token}/appointment.ics",
        "/feeds/volunteer/UnknownButLongEnough123.ics",
        "/feeds/team/UnknownButLongEnough123.ics",
    ]
    secrets = [
        scenario.link.split("/")[-1].removesuffix(".ics"),
        team.split("/")[-1].removesuffix(".ics"),
        scenario.visit_request_token,
        "UnknownButLongEnough123",
    ]
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        statuses = [fetch(live_server + path) for path in paths]
    assert statuses == [200, 200, 200, 404, 404]
    access = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert len([line for line in access if "[redacted]" in line]) >= len(paths), access
    for line in access:
        for secret in secrets:
            assert secret not in line, line
