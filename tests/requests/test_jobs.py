"""Timed jobs: the declarative list, the runner, and the commands."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from scheduler.core.extensions import db
from scheduler.jobs import JOBS
from scheduler.jobs import erase_expired_requests
from scheduler.jobs.runner import JobsConfigurationError
from scheduler.jobs.runner import build_scheduler
from scheduler.jobs.runner import run_job
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import RequestStatus
from scheduler.models import utcnow
from scheduler.requests.retention import erase_expired
from tests.requests.builders import add_request


def expired_request(in_app, days_ago=400):
    """A request closed ``days_ago`` days ago (the test organisation keeps 365 days)."""
    return in_app(
        lambda session, org: (lambda r: (r.id, r.beneficiary_id))(
            add_request(
                session,
                org,
                status=RequestStatus.CANCELLED,
                cancel_reason="unreachable",
                closed_at=utcnow() - timedelta(days=days_ago),
            )
        )
    )


def test_erasure_is_the_first_job_and_runs_once_at_a_time():
    spec = JOBS[0]
    assert spec.id == "erase_expired"
    assert spec.func is erase_expired_requests
    assert spec.coalesce is True
    assert spec.max_instances == 1
    assert spec.misfire_grace_time > 0


def test_the_scheduler_holds_every_job_with_its_options_and_configured_time(app):
    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {spec.id for spec in JOBS}
    job = jobs["erase_expired"]
    assert isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("3", "15")
    assert str(job.trigger.timezone) == "America/Toronto"
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert job.misfire_grace_time == JOBS[0].misfire_grace_time
    assert scheduler.running is False


def test_the_configuration_can_move_a_job_and_refuses_unknown_ones(make_app):
    app = make_app(JOBS={"timezone": "Europe/Paris", "schedules": {"erase_expired": {"hour": 1}}})
    job = build_scheduler(app).get_jobs()[0]
    assert str(job.trigger.timezone) == "Europe/Paris"
    assert {f.name: str(f) for f in job.trigger.fields}["hour"] == "1"
    for bad in (
        {"schedules": {"send_spam": {"hour": 1}}},
        {"schedules": {"erase_expired": {"hour": 30}}},
        {"timezone": "Mars/Olympus"},
    ):
        with pytest.raises(JobsConfigurationError):
            build_scheduler(make_app(JOBS=bad))


def test_a_run_erases_and_commits_in_its_own_context(app, in_app):
    request_id, beneficiary_id = expired_request(in_app)
    assert run_job(app, JOBS[0], now=utcnow()) == 1
    with app.app_context():
        assert db.session.get(Beneficiary, beneficiary_id) is None
        assert db.session.get(HelpRequest, request_id).beneficiary_id is None


def test_a_failing_run_is_rolled_back(app, in_app, monkeypatch):
    from dataclasses import replace

    _, beneficiary_id = expired_request(in_app)

    def erase_then_fail(session, now, settings):
        erase_expired(session, now)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        run_job(app, replace(JOBS[0], func=erase_then_fail))
    with app.app_context():
        assert db.session.get(Beneficiary, beneficiary_id) is not None


def test_the_erase_expired_command(app, runner, in_app):
    _, beneficiary_id = expired_request(in_app)
    result = runner.invoke(args=["erase-expired", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 closed requests would" in result.output
    with app.app_context():
        assert db.session.get(Beneficiary, beneficiary_id) is not None
    result = runner.invoke(args=["erase-expired"])
    assert result.exit_code == 0, result.output
    assert "Erased the personal data of 1 closed requests." in result.output
    with app.app_context():
        assert db.session.get(Beneficiary, beneficiary_id) is None


def test_the_run_jobs_command_lists_then_runs_the_scheduler(runner, world, monkeypatch):
    result = runner.invoke(args=["run-jobs", "--list"])
    assert result.exit_code == 0, result.output
    assert "erase_expired" in result.output
    assert "hour='3'" in result.output

    started = []
    monkeypatch.setattr(BlockingScheduler, "start", lambda self: started.append(self))
    result = runner.invoke(args=["run-jobs"])
    assert result.exit_code == 0, result.output
    assert len(started) == 1
    assert [job.id for job in started[0].get_jobs()] == [spec.id for spec in JOBS]


def test_the_web_application_starts_no_scheduler(tmp_path):
    code = (
        "import sys\n"
        "from scheduler.app import create_app\n"
        "create_app({'TESTING': True, 'SECRET_KEY': 'x', "
        f"'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path / 'x.db'}'}})\n"
        "print(sorted(m for m in sys.modules if m.startswith('apscheduler')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
