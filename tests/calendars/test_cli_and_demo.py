"""``escouade feed-url`` and the demo data: every feed shows something at once."""

from __future__ import annotations

import re

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Site

from .parsers import read_both

URL = re.compile(r"^http://127\.0\.0\.1:5000/feeds/volunteer/[A-Za-z0-9_-]{24}\.ics$")


def test_feed_url_prints_a_working_link_and_the_same_one_again(app, runner, client, world):
    first = runner.invoke(args=["feed-url", "Sylvie@Example.org"])
    assert first.exit_code == 0, first.output
    url = first.stdout.strip()
    assert URL.match(url), url
    assert client.get(url.removeprefix("http://127.0.0.1:5000")).status_code == 200
    again = runner.invoke(args=["feed-url", "sylvie@example.org"])
    assert again.stdout.strip() == url


def test_feed_url_reset_makes_a_new_link_and_stops_the_old(runner, client, world):
    old = runner.invoke(args=["feed-url", "sylvie@example.org"]).stdout.strip()
    new = runner.invoke(args=["feed-url", "--reset", "sylvie@example.org"]).stdout.strip()
    assert new != old
    assert client.get(old.removeprefix("http://127.0.0.1:5000")).status_code == 404


def test_feed_url_uses_the_given_public_address(runner, world):
    result = runner.invoke(
        args=["feed-url", "--base-url", "https://escouade.example.org/", "omar@example.org"]
    )
    assert result.stdout.strip().startswith("https://escouade.example.org/feeds/volunteer/")


def test_feed_url_refuses_an_unknown_email(runner, world):
    result = runner.invoke(args=["feed-url", "nobody@example.org"])
    assert result.exit_code != 0
    assert "No volunteer with the e-mail nobody@example.org" in result.output


def test_demo_gives_every_feed_something_to_show(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    kinds = {}
    for email in ("sylvie@escouade.demo", "fatima@escouade.demo"):
        url = runner.invoke(args=["feed-url", email]).stdout.strip()
        events = read_both(client.get(url.removeprefix("http://127.0.0.1:5000")).get_data())
        kinds[email] = [e["summary"].split(" : ")[0] for e in events["events"]]
    assert "Visite à domicile" in kinds["sylvie@escouade.demo"]
    assert "Appel" in kinds["sylvie@escouade.demo"]
    assert "Permanence" in kinds["fatima@escouade.demo"]
    with app.app_context():
        site = db.session.scalars(sa.select(Site)).first()
        site_id = site.id
    site_events = read_both(client.get(f"/feeds/site/{site_id}.ics").get_data())["events"]
    assert len(site_events) == 24  # two openings a week, twelve weeks
