"""The queue for real: huey over its SQLite storage (the ``make run`` default, no server),
two ``escouade worker`` processes taking runs from it."""

from __future__ import annotations

import collections
import signal
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import TaskRun
from scheduler.models import TaskStatus
from scheduler.tasks import queue_of
from scheduler.tasks import reap_and_requeue
from scheduler.tasks import submit

from .processes import start_worker
from .processes import stop
from .processes import wait_for
from .processes import write_instance

pytestmark = pytest.mark.slow

FAST = {"heartbeat_s": 0.5, "stale_after_s": 2.0, "retry_delay_s": 0.2, "max_attempts": 3}


def now() -> datetime:
    return datetime.now(UTC)


def statuses(app, ids):
    with app.app_context():
        rows = db.session.execute(
            sa.select(TaskRun.id, TaskRun.status, TaskRun.attempts, TaskRun.worker).where(
                TaskRun.id.in_(ids)
            )
        ).all()
        db.session.remove()
    return {row.id: row for row in rows}


def notes(path: Path) -> collections.Counter[int]:
    if not path.exists():
        return collections.Counter()
    return collections.Counter(int(line.split()[0]) for line in path.read_text().splitlines())


@pytest.fixture
def sqlite_queue(make_app, tmp_path):
    queue = {"backend": "sqlite", "sqlite_path": str(tmp_path / "queue.db"), **FAST}
    app = make_app(QUEUE=queue)
    env = write_instance(tmp_path / "instance", app.config["SQLALCHEMY_DATABASE_URI"], queue)
    return app, env


def test_two_sqlite_workers_run_each_run_exactly_once(sqlite_queue, tmp_path):
    app, env = sqlite_queue
    witness = tmp_path / "notes.txt"
    with app.app_context():
        queue = queue_of(app)
        ids = [
            submit(
                db.session,
                kind="test_note",
                key=f"note-{n}",
                now=now(),
                payload={"path": str(witness), "sleep_s": 0.3},
                queue=queue,
            )[0].id
            for n in range(12)
        ]
        # A run delivered twice (a retried enqueue, a reaper pass) still runs once.
        queue.enqueue(ids[0])
        queue.enqueue(ids[1])
        db.session.remove()
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers = [start_worker(env, log) for log in logs]
    try:
        wait_for(
            lambda: all(r.status is TaskStatus.DONE for r in statuses(app, ids).values()),
            120,
            "twelve runs done",
            logs,
        )
    finally:
        stop(workers)
    assert notes(witness) == collections.Counter({run_id: 1 for run_id in ids})
    rows = statuses(app, ids)
    assert {row.attempts for row in rows.values()} == {1}
    pids = {row.worker.split(":")[1] for row in rows.values()}
    assert pids <= {str(w.pid) for w in workers}


def test_a_run_whose_sqlite_worker_is_killed_is_tried_again_by_the_other(sqlite_queue, tmp_path):
    app, env = sqlite_queue
    witness = tmp_path / "notes.txt"
    logs = [tmp_path / "doomed.log", tmp_path / "survivor.log"]
    doomed = start_worker(env, logs[0])
    survivor = None
    try:
        with app.app_context():
            run, _ = submit(
                db.session,
                kind="test_note",
                key="killed",
                now=now(),
                payload={"path": str(witness), "first_try_sleep_s": 60},
                queue=queue_of(app),
            )
            run_id = run.id
            db.session.remove()
        wait_for(
            lambda: statuses(app, [run_id])[run_id].status is TaskStatus.RUNNING,
            60,
            "the first worker to take the run",
            logs,
        )
        survivor = start_worker(env, logs[1])
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()

        def reaped_and_done() -> bool:
            with app.app_context():
                reap_and_requeue(db.session, now(), queue_of(app))
                db.session.remove()
            return statuses(app, [run_id])[run_id].status is TaskStatus.DONE

        wait_for(reaped_and_done, 90, "the run to be tried again and done", logs)
    finally:
        stop([p for p in (doomed, survivor) if p is not None])
    row = statuses(app, [run_id])[run_id]
    assert row.attempts == 2
    assert row.worker.split(":")[1] == str(survivor.pid)
    assert notes(witness) == collections.Counter({run_id: 1})


def test_a_worker_stopped_with_sigterm_gives_its_run_back_at_once(sqlite_queue, tmp_path):
    app, env = sqlite_queue
    witness = tmp_path / "notes.txt"
    logs = [tmp_path / "stopped.log", tmp_path / "next.log"]
    stopped = start_worker(env, logs[0])
    following = None
    try:
        with app.app_context():
            run, _ = submit(
                db.session,
                kind="test_note",
                key="stopped",
                now=now(),
                payload={"path": str(witness), "first_try_sleep_s": 60},
                queue=queue_of(app),
            )
            run_id = run.id
            db.session.remove()
        wait_for(
            lambda: statuses(app, [run_id])[run_id].status is TaskStatus.RUNNING,
            60,
            "the worker to take the run",
            logs,
        )
        stopped.send_signal(signal.SIGTERM)
        assert stopped.wait(timeout=30) == 0
        with app.app_context():
            row = db.session.get(TaskRun, run_id)
            assert row.status is TaskStatus.RETRYING
            assert "was stopped during try 1" in row.error
            db.session.remove()
        # No reaper involved: the next worker simply finds it in the queue.
        following = start_worker(env, logs[1])
        wait_for(
            lambda: statuses(app, [run_id])[run_id].status is TaskStatus.DONE,
            60,
            "the next worker to finish the run",
            logs,
        )
    finally:
        stop([p for p in (stopped, following) if p is not None])
    assert statuses(app, [run_id])[run_id].attempts == 2
    assert notes(witness) == collections.Counter({run_id: 1})
