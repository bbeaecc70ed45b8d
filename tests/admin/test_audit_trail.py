"""The audit trail records who signed in, changed a login, published, erased or exported,
never a secret; administrators read it at /admin/audit; it is kept for a set period."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from scheduler.core import audit
from scheduler.core.extensions import db
from scheduler.jobs import JOBS
from scheduler.models import AuditEntry
from scheduler.models import Organisation
from scheduler.models import RequestStatus
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.requests.retention import erase_expired
from scheduler.requests.retention import erase_request_now
from scheduler.runtime import settings_of

from ..builders import make_request
from ..calendars.builders import team_link


def _user(email):
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _entries(app, action):
    with app.app_context():
        return [
            (e.actor_label, e.target, dict(e.detail))
            for e in db.session.scalars(
                sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        ]


def test_the_page_lists_sign_ins_and_role_changes_for_administrators(app, client, auth, world):
    auth.login_as(Role.ADMIN)
    with app.app_context():
        sylvie = _user("sylvie@example.org").id
    client.post(f"/admin/users/{sylvie}/role", data={"role": "dispatcher"})
    assert _entries(app, "user.role") == [
        ("admin@example.org", f"user:{sylvie}", {"from": "volunteer", "to": "dispatcher"})
    ]
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "admin@example.org" in page
    assert f"user:{sylvie}" in page
    only_roles = client.get("/admin/audit?action=user").get_data(as_text=True)
    assert f"user:{sylvie}" in only_roles
    only_sign_ins = client.get("/admin/audit?action=sign_in").get_data(as_text=True)
    assert f"user:{sylvie}" not in only_sign_ins


def test_the_page_is_paginated_and_refuses_nonsense(app, client, auth, world):
    with app.app_context():
        admin = _user("admin@example.org")
        start = utcnow()
        for n in range(120):
            audit.record(
                db.session,
                actor=admin,
                action="export",
                target=f"test:{n}",
                now=start + timedelta(seconds=n),
            )
        db.session.commit()
    auth.login_as(Role.ADMIN)
    first = client.get("/admin/audit?action=export").get_data(as_text=True)
    assert "test:119" in first and "test:69" not in first
    third = client.get("/admin/audit?action=export&page=3").get_data(as_text=True)
    assert "test:0<" in third and "test:19<" in third
    assert client.get("/admin/audit?page=abc").status_code == 400
    assert client.get("/admin/audit?action=%3Cscript%3E").status_code == 400


def test_other_organisations_entries_are_not_shown(app, client, auth, world):
    with app.app_context():
        other = Organisation(name="Ailleurs", slug="ailleurs", timezone="Europe/Paris")
        db.session.add(other)
        db.session.flush()
        audit.record(
            db.session,
            actor=None,
            action="export",
            target="elsewhere:1",
            now=utcnow(),
            organisation_id=other.id,
        )
        db.session.commit()
    auth.login_as(Role.ADMIN)
    assert "elsewhere:1" not in client.get("/admin/audit").get_data(as_text=True)


def test_secrets_never_reach_the_trail(app, world):
    with app.app_context():
        entry = audit.record(
            db.session,
            actor=None,
            action="export",
            target="/feeds/team/abcdefghijklmnopqrstuvwx.ics",
            detail={
                "password": "hunter2 hunter2",
                "new_password": "x",
                "token": "abc",
                "private_link": "https://e.org/request/abcdefghijklmnopqrstuvwx",
                "note": "see /request/abcdefghijklmnopqrstuvwx please",
                "rows": 3,
            },
            now=utcnow(),
        )
        db.session.commit()
        assert entry.detail == {"note": "see /request/[redacted] please", "rows": 3}
        assert "abcdefghijklmnopqrstuvwx" not in entry.target


def test_erasures_are_recorded_by_hand_and_by_the_nightly_job(app, world):
    now = utcnow()
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        by_hand = make_request(db.session, org, status=RequestStatus.DONE, closed_at=now)
        make_request(
            db.session, org, status=RequestStatus.DONE, closed_at=now - timedelta(days=4000)
        )
        db.session.commit()
        dispatcher = _user("dispatch@example.org")
        by_hand_id = by_hand.id
        erase_request_now(db.session, by_hand, user=dispatcher, now=now)
        assert erase_expired(db.session, now) == 1
        db.session.commit()
    assert _entries(app, "request.erase") == [
        ("dispatch@example.org", f"request:{by_hand_id}", {"reason": "request"}),
        ("", f"organisation:{world.org_id}", {"reason": "retention", "requests": 1}),
    ]


def test_a_team_feed_export_is_recorded_once_a_day(app, client, world):
    with app.app_context():
        link = team_link(db.session, "dispatch@example.org")
        db.session.commit()
    for _ in range(3):
        assert client.get(link).status_code == 200
    entries = _entries(app, "export")
    assert len(entries) == 1
    actor, target, detail = entries[0]
    assert (actor, target) == ("dispatch@example.org", "feed:team")
    assert set(detail) == {"rows"}


def test_the_nightly_job_forgets_old_entries(app, world):
    now = utcnow()
    job = next(j for j in JOBS if j.id == "purge_audit")
    with app.app_context():
        for days in (400, 366, 10):
            audit.record(
                db.session,
                actor=None,
                action="export",
                target=f"age:{days}",
                now=now - timedelta(days=days),
                organisation_id=world.org_id,
            )
        db.session.commit()
        assert settings_of(app).audit_retention_days == 365
        assert job.func(db.session, now, settings_of(app)) == 2
        db.session.commit()
        left = db.session.scalars(sa.select(AuditEntry.target)).all()
        assert left == ["age:10"]
