"""Guessing one account's password from many addresses is throttled on the account itself,
with growing waits and a clear message, but a real user is never locked out for long;
every attempt is logged and written to the audit trail."""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import AuditEntry
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.people.accounts import FREE_ATTEMPTS
from scheduler.people.accounts import MAX_WAIT
from scheduler.people.accounts import email_key
from scheduler.people.accounts import wait_after

from ..builders import PASSWORD


def _attempt(app, email, password, address):
    client = app.test_client()
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _account(app, email):
    with app.app_context():
        return db.session.scalars(sa.select(User).where(User.email == email)).one()


def test_wrong_passwords_from_many_addresses_make_the_account_wait(app, world, caplog):
    email = world.email_for(Role.DISPATCHER)
    caplog.set_level(logging.WARNING, logger="scheduler")
    statuses = [
        _attempt(app, email, f"guess {n}", f"203.0.113.{n % 5 + 1}").status_code for n in range(50)
    ]
    assert statuses[:FREE_ATTEMPTS] == [400] * FREE_ATTEMPTS
    assert set(statuses[FREE_ATTEMPTS:]) == {429}
    # Even the right password now waits, from yet another address.
    response = _attempt(app, email, PASSWORD, "198.51.100.7")
    assert response.status_code == 429
    assert "Wait 1 minute" in response.get_data(as_text=True) or "Attendez" in response.get_data(
        as_text=True
    )
    # Only the guesses before the wait reached the password check.
    assert _account(app, email).failed_signins == FREE_ATTEMPTS
    refused = [r for r in caplog.records if "sign-in refused" in r.getMessage()]
    assert len(refused) == 51
    assert all("guess" not in r.getMessage() for r in refused)


def test_after_the_wait_the_right_password_works_and_resets_the_count(app, world):
    email = world.email_for(Role.DISPATCHER)
    for n in range(FREE_ATTEMPTS):
        _attempt(app, email, f"guess {n}", "203.0.113.9")
    assert _attempt(app, email, PASSWORD, "203.0.113.9").status_code == 429
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        user.signin_wait_until = utcnow() - timedelta(seconds=1)  # the wait is over
        db.session.commit()
    assert _attempt(app, email, PASSWORD, "203.0.113.9").status_code == 302
    account = _account(app, email)
    assert (account.failed_signins, account.signin_wait_until) == (0, None)


def test_waits_grow_but_stay_short():
    waits = [wait_after(n) for n in range(30)]
    assert waits[:FREE_ATTEMPTS] == [timedelta(0)] * FREE_ATTEMPTS
    assert waits[FREE_ATTEMPTS + 1] > waits[FREE_ATTEMPTS] > timedelta(0)
    assert max(waits) == MAX_WAIT <= timedelta(minutes=5)


def test_every_sign_in_is_in_the_audit_trail_without_what_was_typed(app, world):
    email = world.email_for(Role.ADMIN)
    _attempt(app, email, "wrong password here", "203.0.113.1")
    _attempt(app, "nobody@example.org", "secret typed", "203.0.113.1")
    _attempt(app, email, PASSWORD, "203.0.113.1")
    with app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        user_id = db.session.scalar(sa.select(User.id).where(User.email == email))
        assert [(e.action, e.target, e.detail.get("reason")) for e in entries] == [
            ("sign_in.failed", f"user:{user_id}", "wrong_password"),
            ("sign_in.failed", email_key("nobody@example.org"), "unknown_email"),
            ("sign_in.ok", f"user:{user_id}", None),
        ]
        text = repr([(e.actor_label, e.target, e.detail) for e in entries])
        assert "wrong password" not in text and "secret" not in text
        assert "nobody@example.org" not in text


def test_an_unknown_email_is_throttled_like_an_account_so_none_can_be_told_apart(app, world):
    """Whether an account exists must not show: an unknown (or disabled) e-mail gets the
    same answers, in the same order, as a real account guessed at."""
    known = world.email_for(Role.DISPATCHER)
    unknown = "nobody-here@example.org"
    rounds = FREE_ATTEMPTS + 3
    answers = {}
    for email in (known, unknown):
        replies = [_attempt(app, email, f"guess {n}", "203.0.113.20") for n in range(rounds)]
        answers[email] = [(r.status_code, _password_error(r)) for r in replies]
    assert answers[unknown] == answers[known]
    assert answers[unknown][-1][0] == 429
    # The same address in other letters is the same e-mail.
    assert _attempt(app, " NOBODY-here@Example.org ", "x", "198.51.100.3").status_code == 429
    # Another unknown e-mail is not held back by the first.
    assert _attempt(app, "someone-else@example.org", "x", "203.0.113.20").status_code == 400


def _password_error(response) -> str:
    import re

    found = re.search(r'id="password-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip() if found else ""
