"""One log line for each thing that matters, and never a secret in any line."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.core.logs import RedactSecretsFilter
from scheduler.core.logs import configure_logging
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import parse_week
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.jobs import JOBS
from scheduler.jobs.runner import run_job
from scheduler.models import Organisation
from scheduler.models import RequestStatus
from scheduler.models import User
from scheduler.models import utcnow
from scheduler.requests.retention import erase_request_now

from .builders import PASSWORD
from .builders import make_request

SECRET = "Zx8-secretToken_0123456789abcd"


def lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger]


def test_a_planning_run_and_its_publication_each_write_one_line(app, world, caplog):
    caplog.set_level(logging.INFO, logger="scheduler")
    settings = PlanningSettings.from_config({"solution_limit": 20, "time_limit_s": 5})
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        make_request(db.session, org, languages=["sw"])
        db.session.commit()
        draft = plan_week(db.session, org, parse_week("2030-W10"), settings=settings, now=utcnow())
        publish_plan(db.session, draft, now=utcnow())
    (planned,) = lines(caplog, "scheduler.dispatch.run")
    assert planned.startswith(f"planned 2030-W10 for organisation {world.org_id}: 1 requests, ")
    assert "2 volunteers" in planned and "engine general" in planned
    assert "served 0/1" in planned and f"draft plan {draft.id}" in planned
    assert "objective " in planned and " s of 5.00 s" in planned
    (published,) = lines(caplog, "scheduler.dispatch.publish")
    assert published.startswith(f"published plan {draft.id} for organisation {world.org_id}")


def test_erasures_and_job_runs_are_logged(app, world, caplog):
    caplog.set_level(logging.INFO, logger="scheduler")
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        closed = dict(status=RequestStatus.CANCELLED, cancel_reason="unreachable")
        now = utcnow()
        make_request(db.session, org, closed_at=now - timedelta(days=400), **closed)
        recent = make_request(db.session, org, closed_at=now - timedelta(days=2), **closed)
        dispatcher = db.session.query(User).filter_by(email="dispatch@example.org").one()
        db.session.commit()
        recent_id = recent.id
        erase_request_now(db.session, recent, user=dispatcher, now=now)
    assert lines(caplog, "scheduler.requests.retention") == [
        f"erased the personal data of request {recent_id} of organisation {world.org_id} "
        f"on request of user {dispatcher.id}"
    ]
    caplog.clear()
    assert run_job(app, JOBS[0]) == 1
    (erased,) = lines(caplog, "scheduler.requests.retention")
    assert erased.startswith(
        f"erased the personal data of 1 requests of organisation {world.org_id}"
    )
    (job,) = lines(caplog, "scheduler.jobs.runner")
    assert job.startswith("job erase_expired done: 1 in ")


@pytest.mark.parametrize(
    ("email", "password", "expected"),
    [
        ("dispatch@example.org", "not-the-password", "sign-in refused: wrong password for user "),
        ("nobody@example.org", PASSWORD, "sign-in refused: no account has this e-mail"),
    ],
)
def test_a_failed_sign_in_is_logged_without_what_was_typed(
    client, world, caplog, email, password, expected
):
    caplog.set_level(logging.INFO, logger="scheduler")
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 400
    (line,) = lines(caplog, "scheduler.people.accounts")
    assert line.startswith(expected)
    assert password not in caplog.text and email not in caplog.text


def test_every_handler_redacts_private_links(app, caplog):
    """A handler added before the app configures logging (as a server's would be) gets the
    filter too, and so does pytest's own: the secret reaches neither."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(handler)
    try:
        configure_logging()
        assert any(isinstance(f, RedactSecretsFilter) for f in handler.filters)
        caplog.set_level(logging.INFO)
        logging.getLogger("gunicorn.access").info('"GET /feeds/volunteer/%s.ics HTTP/1.1"', SECRET)
        logging.getLogger("werkzeug").info('"GET /request/%s HTTP/1.1" 200 -', SECRET)
    finally:
        logging.getLogger().removeHandler(handler)
    written = stream.getvalue()
    assert "/feeds/volunteer/[redacted].ics" in written and "/request/[redacted]" in written
    assert SECRET not in written and SECRET not in caplog.text
