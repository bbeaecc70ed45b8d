"""Lists of the plan page read right in both languages: visits placed after their deadline,
and the count of a repair's changes."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa
from flask import render_template
from flask_login import login_user

from scheduler.core.extensions import db
from scheduler.dispatch.alerts import WeekAlerts
from scheduler.dispatch.changes import WeekChanges
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User

from ..builders import make_request


def late_list(app, world, language, changes=None):
    with app.test_request_context(headers={"Accept-Language": language}):
        user = db.session.scalar(
            sa.select(User).where(User.email == world.email_for(Role.DISPATCHER))
        )
        login_user(user)
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org, deadline=date(2026, 12, 8))
        running = SimpleNamespace(
            alerts=WeekAlerts([], []),
            changes=changes,
            edits=[],
            late=[(request, "2026-12-08", "2026-12-10T15:30:00+00:00")],
            editable=False,
        )
        html = render_template("plans/_running.html", running=running, plan=None)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)), request.reference


def test_a_late_placement_ending_in_the_morning_has_one_full_stop_in_english(app, world):
    text, reference = late_list(app, world, "en")
    assert f"{reference} — due by" in text
    assert "10:30 a.m." in text
    assert "a.m.." not in text


def test_a_late_placement_reads_without_an_english_colon_in_french(app, world):
    text, reference = late_list(app, world, "fr")
    assert f"{reference} — échéance le" in text
    assert f"{reference}:" not in text


def test_a_repairs_changes_are_counted_after_their_labels(app, world):
    """'1 retirées' read wrong: each figure follows its label, whatever the number."""
    changes = WeekChanges([], [], [])
    text, _reference = late_list(app, world, "fr", changes)
    assert "Nouvelles : 0; déplacées : 0; à une autre heure : 0; retirées : 0;" in text
    assert "inchangées : 0." in text
