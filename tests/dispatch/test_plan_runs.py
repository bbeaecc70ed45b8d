"""Planning in the background, from the dispatcher's pages: the button answers at once,
the run's page follows it without JavaScript, a second click follows the same run."""

from __future__ import annotations

import re
import socket
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import week_code
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import Role
from scheduler.models import TaskRun
from scheduler.models import TaskStatus
from scheduler.models import utcnow
from scheduler.tasks import fail_try
from scheduler.tasks import queue_of
from scheduler.tasks.worker import execute

from ..builders import PASSWORD
from ..builders import build_world
from ..builders import make_organisation
from ..builders import make_request

PLANNING = {"solution_limit": 50, "time_limit_s": 20.0}


@pytest.fixture
def code():
    today = utcnow().date()
    return week_code(today - timedelta(days=today.weekday()) + timedelta(days=7))


@pytest.fixture
def app(make_app, tmp_path):
    """A real queue (huey over SQLite) with no worker started: runs wait until the test
    runs them with the worker's own function."""
    return make_app(
        PLANNING=PLANNING, QUEUE={"backend": "sqlite", "sqlite_path": str(tmp_path / "q.db")}
    )


@pytest.fixture
def one_request(app, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        make_request(db.session, org, availability=["tue-am"])
        db.session.commit()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def run_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(TaskRun.id).order_by(TaskRun.id)))


def test_the_button_answers_at_once_and_the_run_page_follows_the_run(
    app, client, auth, one_request, code
):
    auth.login_as(Role.DISPATCHER)
    asked = client.post("/dispatch/plans/solve", data={"week": code})
    assert asked.status_code == 302
    [run_id] = run_ids(app)
    assert asked.headers["Location"] == f"/dispatch/plans/runs/{run_id}"

    waiting = client.get(f"/dispatch/plans/runs/{run_id}")
    body = text(waiting)
    assert waiting.status_code == 200
    assert "En attente de son tour" in body
    assert "Cette planification est la prochaine." in body
    assert (
        f'<meta http-equiv="refresh" content="2; url=/dispatch/plans/runs/{run_id}?follow=1">'
        in body
    )
    assert "<noscript>" in body and "js/plan-run.js" in body
    still = text(client.get(f"/dispatch/plans/runs/{run_id}?refresh=off"))
    assert "http-equiv" not in still
    assert f'href="/dispatch/plans/runs/{run_id}?follow=1&amp;refresh=off"' in still
    # The week's page offers to follow the run instead of a second "Plan this week" button.
    week = text(client.get(f"/dispatch/plans?week={code}"))
    assert "Planification en cours" in week
    assert f"/dispatch/plans/runs/{run_id}?follow=1" in week
    assert "Planifier cette semaine" not in week

    # A second click, here or by a colleague, follows the same run.
    again = client.post("/dispatch/plans/solve", data={"week": code}, follow_redirects=True)
    assert run_ids(app) == [run_id]
    assert "déjà en cours de planification" in text(again)

    execute(queue_of(app), run_id, worker="test:1:main")

    done = client.get(f"/dispatch/plans/runs/{run_id}")
    assert "Brouillon prêt" in text(done)
    assert "http-equiv" not in text(done)
    followed = client.get(f"/dispatch/plans/runs/{run_id}?follow=1", follow_redirects=True)
    assert followed.request.path == "/dispatch/plans"
    assert "<dt>Demandes placées</dt><dd>1 sur 1</dd>" in text(followed)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Plan.id))) == 1
        run = db.session.get(TaskRun, run_id)
        assert run.result["requests_total"] == 1
        assert run.progress["phase"] == "saving"
        assert run.progress["requests_total"] == 1


def test_the_json_view_says_the_same_for_scripts(app, client, auth, one_request, code):
    auth.login_as(Role.DISPATCHER)
    client.post("/dispatch/plans/solve", data={"week": code})
    [run_id] = run_ids(app)
    facts = client.get(f"/dispatch/plans/runs/{run_id}.json").get_json()
    assert facts["status"] == "queued" and facts["week"] == code and facts["ahead"] == 0


def test_a_failed_run_says_so_and_offers_the_week_again(app, client, auth, one_request, code):
    auth.login_as(Role.DISPATCHER)
    client.post("/dispatch/plans/solve", data={"week": code})
    [run_id] = run_ids(app)
    with app.app_context():
        from scheduler.tasks import claim

        settings = queue_of(app).settings
        for attempt in range(1, settings.max_attempts + 1):
            claim(db.session, run_id, worker="w", now=utcnow())
            fail_try(
                db.session, run_id, attempt, now=utcnow(), error="MemoryError", settings=settings
            )
    page = text(client.get(f"/dispatch/plans/runs/{run_id}"))
    assert "La planification a échoué" in page
    assert "après 3 essais" in page
    assert "MemoryError" in page
    week = text(client.get(f"/dispatch/plans?week={code}"))
    assert "Planifier cette semaine" in week


def test_an_unreachable_queue_keeps_the_request_and_says_so(make_app, code):
    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(QUEUE={"backend": "redis", "redis_url": f"redis://127.0.0.1:{port}/0"})
    with app.app_context():
        world = build_world(db.session)
    client = app.test_client()
    client.post(
        "/auth/login", data={"email": world.email_for(Role.DISPATCHER), "password": PASSWORD}
    )
    answer = client.post("/dispatch/plans/solve", data={"week": code}, follow_redirects=True)
    assert answer.status_code == 200
    assert "est enregistrée, mais le traitement en arrière-plan est injoignable" in text(answer)
    with app.app_context():
        [run] = db.session.scalars(sa.select(TaskRun)).all()
        assert run.status is TaskStatus.QUEUED


def test_another_organisations_run_is_not_found(app, client, auth, one_request, code):
    auth.login_as(Role.DISPATCHER)
    with app.app_context():
        other = make_organisation(db.session, slug="other", name="Autre")
        db.session.add(
            TaskRun(
                kind="plan_week",
                idempotency_key="x",
                organisation_id=other.id,
                payload={"week": "2030-03-04"},
                queued_at=utcnow(),
            )
        )
        db.session.commit()
    [run_id] = run_ids(app)
    assert client.get(f"/dispatch/plans/runs/{run_id}").status_code == 404
    assert client.get(f"/dispatch/plans/runs/{run_id}.json").status_code == 404
    assert client.get("/dispatch/plans/runs/999").status_code == 404


def test_volunteers_cannot_see_runs(app, client, auth, one_request, code):
    auth.login_as(Role.VOLUNTEER)
    assert client.get("/dispatch/plans/runs/1").status_code == 403


def test_a_run_records_the_best_plan_found_so_far(app, client, auth, one_request, code):
    auth.login_as(Role.DISPATCHER)
    client.post("/dispatch/plans/solve", data={"week": code})
    [run_id] = run_ids(app)
    execute(queue_of(app), run_id, worker="test:1:main")
    with app.app_context():
        progress = db.session.get(TaskRun, run_id).progress
    assert progress["best_placed"] == 1
    assert isinstance(progress["best_km"], int | float) and progress["best_km"] >= 0


def test_the_run_page_shows_the_best_plan_so_far_while_it_searches(
    app, client, auth, one_request, code
):
    from scheduler.tasks import claim
    from scheduler.tasks.runs import heartbeat

    auth.login_as(Role.DISPATCHER)
    client.post("/dispatch/plans/solve", data={"week": code})
    [run_id] = run_ids(app)
    with app.app_context():
        claim(db.session, run_id, worker="w", now=utcnow())
        progress = {"phase": "solving", "requests_total": 3, "volunteers": 2}
        progress |= {"left_out_before": 0, "best_placed": 2, "best_km": 14.5}
        assert heartbeat(db.session.connection(), run_id, 1, utcnow(), progress)
        db.session.commit()
    page = text(client.get(f"/dispatch/plans/runs/{run_id}"))
    best = "<dt>Meilleur plan trouvé jusqu’ici</dt><dd>2 demandes placées sur 3, 14,5 km</dd>"
    assert best in page
    assert 'http-equiv="refresh"' in page  # still followed without JavaScript
