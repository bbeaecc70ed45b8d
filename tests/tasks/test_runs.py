"""A run's life in the database: asked once, claimed once, retried, failed visibly, reaped."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from scheduler.core.extensions import db
from scheduler.models import TaskRun
from scheduler.models import TaskStatus
from scheduler.tasks import QueueSettings
from scheduler.tasks import QueueUnavailable
from scheduler.tasks import claim
from scheduler.tasks import fail_try
from scheduler.tasks import finish
from scheduler.tasks import queue_of
from scheduler.tasks import reap
from scheduler.tasks import reap_and_requeue
from scheduler.tasks import submit
from scheduler.tasks.recovery import retry_delay

from . import handlers  # noqa: F401  (registers the test handlers)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SETTINGS = QueueSettings(backend="sqlite", max_attempts=3, retry_delay_s=5, stale_after_s=60)


class Doorbell:
    """Records what was handed to the queue instead of running it: these tests drive the
    worker's steps by hand. The real queues are tested in test_workers.py."""

    def __init__(self, settings: QueueSettings = SETTINGS, broken: bool = False) -> None:
        self.settings = settings
        self.broken = broken
        self.handed: list[tuple[int, float]] = []

    def enqueue(self, run_id: int, delay_s: float = 0.0) -> None:
        if self.broken:
            raise ConnectionError("Connection refused")
        self.handed.append((run_id, delay_s))

    def is_empty(self) -> bool:
        return not self.handed


def ask(queue, key="k1", scope=None, kind="test_note", **payload):
    return submit(
        db.session,
        kind=kind,
        key=key,
        now=NOW,
        payload=payload,
        scope=scope,
        queue=queue,
    )


def test_a_new_run_is_saved_then_handed_to_the_queue(app):
    queue = Doorbell()
    with app.app_context():
        run, created = ask(queue, path="/dev/null")
        assert created
        assert run.status is TaskStatus.QUEUED
        assert run.max_attempts == 3
        assert queue.handed == [(run.id, 0.0)]
        db.session.rollback()
        assert db.session.get(TaskRun, run.id) is not None  # committed before enqueueing


def test_the_same_key_gives_the_same_run(app):
    queue = Doorbell()
    with app.app_context():
        first, _ = ask(queue, key="form-1")
        again, created = ask(queue, key="form-1")
        assert (again.id, created) == (first.id, False)
        assert len(queue.handed) == 1


def test_a_second_request_for_an_active_scope_attaches_to_the_running_run(app):
    queue = Doorbell()
    with app.app_context():
        first, _ = ask(queue, key="a", scope="plan_week:1:2026-12-07")
        other, created_other = ask(queue, key="b", scope="plan_week:1:2026-12-14")
        attached, created = ask(queue, key="c", scope="plan_week:1:2026-12-07")
        assert attached.id == first.id and not created
        assert created_other and other.id != first.id
        # Once the run is over, the scope is free for a new one.
        assert claim(db.session, first.id, worker="w", now=NOW)
        assert finish(db.session, first.id, 1, now=NOW, result={})
        later, created_later = ask(queue, key="d", scope="plan_week:1:2026-12-07")
        assert created_later and later.id != first.id


def test_an_unreachable_queue_says_so_and_loses_nothing(app):
    broken = Doorbell(broken=True)
    with app.app_context():
        with pytest.raises(QueueUnavailable) as refused:
            ask(broken, key="lost?")
        run = db.session.get(TaskRun, refused.value.run_id)
        assert run is not None and run.status is TaskStatus.QUEUED
        # The reaper hands it over once the queue answers again.
        working = Doorbell()
        assert reap_and_requeue(db.session, NOW + timedelta(seconds=61), working) == 1
        assert working.handed == [(run.id, 0.0)]


def test_a_run_is_claimed_exactly_once(app):
    queue = Doorbell()
    with app.app_context():
        run, _ = ask(queue)
        first = claim(db.session, run.id, worker="host:1:a", now=NOW)
        second = claim(db.session, run.id, worker="host:2:b", now=NOW)
        assert first is not None and second is None
        db.session.refresh(first)
        assert (first.status, first.attempts, first.worker) == (TaskStatus.RUNNING, 1, "host:1:a")


def test_a_failed_try_is_retried_with_growing_waits_then_failed_visibly(app):
    queue = Doorbell()
    with app.app_context():
        run, _ = ask(queue, kind="test_flaky")
        waits = []
        for attempt in (1, 2, 3):
            assert claim(db.session, run.id, worker="w", now=NOW)
            outcome = fail_try(
                db.session, run.id, attempt, now=NOW, error="RuntimeError: broke", settings=SETTINGS
            )
            assert outcome is not None
            waits.append(outcome.retry_in_s)
        assert waits == [5.0, 10.0, None]
        db.session.refresh(run)
        assert run.status is TaskStatus.FAILED
        assert run.error == "RuntimeError: broke"
        assert run.active_scope is None and run.finished_at is not None
        assert retry_delay(SETTINGS, 3) == 20.0


def test_a_permanent_failure_is_not_retried(app):
    with app.app_context():
        run, _ = ask(Doorbell())
        claim(db.session, run.id, worker="w", now=NOW)
        outcome = fail_try(
            db.session, run.id, 1, now=NOW, error="bad", settings=SETTINGS, permanent=True
        )
        assert outcome is not None and outcome.status is TaskStatus.FAILED


def test_a_worker_given_up_for_dead_cannot_finish_the_run(app):
    queue = Doorbell()
    with app.app_context():
        run, _ = ask(queue)
        claim(db.session, run.id, worker="slow", now=NOW)
        again = reap(db.session, NOW + timedelta(seconds=61), SETTINGS)
        assert again == [(run.id, 5.0)]
        claim(db.session, run.id, worker="fresh", now=NOW + timedelta(seconds=70))
        assert not finish(db.session, run.id, 1, now=NOW, result={"from": "slow"})
        assert finish(db.session, run.id, 2, now=NOW, result={"from": "fresh"})
        db.session.refresh(run)
        assert (run.status, run.result, run.attempts) == (TaskStatus.DONE, {"from": "fresh"}, 2)


def test_the_reaper_fails_a_dead_run_on_its_last_try_and_leaves_live_ones(app):
    queue = Doorbell(settings=QueueSettings(max_attempts=1, stale_after_s=60, heartbeat_s=5))
    with app.app_context():
        dead, _ = ask(queue, key="dead")
        alive, _ = ask(queue, key="alive")
        claim(db.session, dead.id, worker="gone", now=NOW)
        claim(db.session, alive.id, worker="here", now=NOW + timedelta(seconds=30))
        assert reap(db.session, NOW + timedelta(seconds=61), queue.settings) == []
        db.session.refresh(dead)
        db.session.refresh(alive)
        assert dead.status is TaskStatus.FAILED
        assert "gone" in (dead.error or "")
        assert alive.status is TaskStatus.RUNNING


def test_the_immediate_queue_runs_at_once_and_retries_until_it_succeeds(app):
    with app.app_context():
        queue = queue_of(app)
        assert queue.huey.immediate
        run, created = ask(queue, key="flaky", kind="test_flaky", succeed_on=2)
        assert created
        assert (run.status, run.attempts, run.result) == (TaskStatus.DONE, 2, {"try": 2})


def test_an_unknown_kind_fails_at_once_and_says_why(app):
    with app.app_context():
        run, _ = ask(queue_of(app), key="what", kind="no_such_kind")
        assert run.status is TaskStatus.FAILED
        assert run.attempts == 1
        assert "no_such_kind" in (run.error or "")


def test_progress_reported_by_a_handler_is_kept(app, tmp_path):
    with app.app_context():
        run, _ = ask(queue_of(app), key="note", path=str(tmp_path / "notes"))
        assert run.status is TaskStatus.DONE
        assert run.progress == {"phase": "sleeping"}
        assert (tmp_path / "notes").read_text().split()[0] == str(run.id)


@pytest.mark.parametrize(
    "table, words",
    [
        ({"backend": "rabbit"}, "backend must be one of"),
        ({"workers": 0}, "at least 1"),
        ({"heartbeat_s": 10, "stale_after_s": 15}, "twice heartbeat_s"),
        ({"workers": "many"}, "wrong kind"),
        ({"retry_delay": 3}, "unknown keys: retry_delay"),
    ],
)
def test_queue_settings_refuse_what_cannot_work(table, words):
    from scheduler.core.settings import ConfigurationError

    with pytest.raises(ConfigurationError, match=words):
        QueueSettings.from_config(table)


def test_the_committed_queue_settings_need_no_server():
    import tomllib

    from scheduler.core.settings import ROOT

    with (ROOT / "config.toml").open("rb") as source:
        settings = QueueSettings.from_config(tomllib.load(source)["QUEUE"])
    assert settings.backend == "sqlite"


def test_the_reaper_leaves_a_busy_queue_alone_but_replaces_lost_messages(app):
    queue = Doorbell()
    with app.app_context():
        run, _ = ask(queue)
        later = NOW + timedelta(seconds=61)
        # Waiting a long time behind others is no reason to deliver it twice.
        assert reap_and_requeue(db.session, later, queue) == 0
        queue.handed.clear()  # the queue lost its messages (a Redis restarted empty)
        assert reap_and_requeue(db.session, later, queue) == 1
        assert queue.handed == [(run.id, 0.0)]


def test_each_run_writes_a_line_when_queued_started_and_ended(app, tmp_path, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="scheduler")
    with app.app_context():
        done_id = ask(queue_of(app), key="logged", path=str(tmp_path / "n"))[0].id
        failed_id = ask(queue_of(app), key="broken", kind="test_flaky")[0].id
    said = [r.getMessage() for r in caplog.records if r.name.startswith("scheduler.tasks")]
    mine = [line for line in said if f"run {done_id} " in line]
    assert mine[0] == f"task test_note run {done_id} queued"
    assert mine[1].startswith(f"task test_note run {done_id} started, try 1 of 3, on ")
    assert re.fullmatch(rf"task test_note run {done_id} done in \d+\.\d s \(try 1\)", mine[2])
    assert len(mine) == 3
    ended = [line for line in said if f"run {failed_id} failed after 3 tries" in line]
    assert len(ended) == 1 and "RuntimeError: try 3 broke" in ended[0]


def test_simultaneous_requests_for_one_scope_make_one_run(app):
    """Eight dispatchers press "Plan" in the same instant: the unique active scope lets one
    insert win; the others find it and attach."""
    import threading

    queue = Doorbell()
    barrier = threading.Barrier(8)
    got: list[tuple[int, bool]] = []

    def press(n: int) -> None:
        with app.app_context():
            barrier.wait()
            run, created = ask(queue, key=f"click-{n}", scope="plan_week:1:2026-12-07")
            got.append((run.id, created))
            db.session.remove()

    threads = [threading.Thread(target=press, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(got) == 8
    assert len({run_id for run_id, _ in got}) == 1
    assert sum(created for _, created in got) == 1
    assert len(queue.handed) == 1
