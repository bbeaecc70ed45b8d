"""How much work publishing the demo week does inside the web request.

    .venv/bin/python -m bench.publish [--repeat 5] [--queue immediate|sqlite] [--profile N]

Seeds the demo organisation into a temporary SQLite database, plans the coming week
once (the real engine, short time limit), then for each repeat copies that database and
POSTs ``/dispatch/plans/<id>/publish`` through the Flask test client, signed in as the
demo dispatcher. Prints the median CPU and wall time of the request, the messages queued
and the task runs asked for, and the load average (the machine is shared).

``--queue sqlite`` is production's kind of queue: the request only hands runs over.
``--queue immediate`` is the tests' configuration: huey runs every task in the caller,
so each message is SENT inside the request. ``--profile N`` prints cProfile's top N.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from scheduler.app import create_app
from scheduler.core.extensions import db
from scheduler.demo.seed import DEMO_PASSWORD
from scheduler.demo.seed import seed_demo
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import plan_week
from scheduler.dispatch.view import coming_week
from scheduler.models import Base
from scheduler.models import Organisation
from scheduler.models import OutboxMessage
from scheduler.models import TaskRun
from scheduler.models import User
from scheduler.models import utcnow

DISPATCHER = "repartition@escouade.demo"


def _app(path: Path, queue: dict[str, str]) -> object:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "QUEUE": queue,
        }
    )


def seeded_demo(path: Path) -> object:
    """A SQLite file at ``path`` holding the demo organisation, and an app on it."""
    engine = sa.create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    app = _app(path, {"backend": "immediate"})
    with app.app_context():  # type: ignore[attr-defined]
        seed_demo(db.session)
        db.session.commit()
    return app


def demo_organisation() -> Organisation:
    """The demo dispatcher's organisation (inside an app context)."""
    dispatcher = db.session.scalars(sa.select(User).where(User.email == DISPATCHER)).one()
    org = db.session.get(Organisation, dispatcher.organisation_id)
    assert org is not None
    return org


def planned_demo(folder: Path) -> tuple[Path, int]:
    """The demo week planned once, kept as a file to copy: ``(path, plan id)``."""
    path = folder / "planned.db"
    app = seeded_demo(path)
    with app.app_context():  # type: ignore[attr-defined]
        org = demo_organisation()
        plan = plan_week(
            db.session,
            org,
            coming_week(org, utcnow()),
            settings=PlanningSettings.from_config({"time_limit_s": 3.0}),
            now=utcnow(),
        )
        db.session.commit()
        plan_id = plan.id
        db.session.remove()
        db.engine.dispose()
    return path, plan_id


def publish_once(
    template: Path, plan_id: int, folder: Path, queue: str, profile: int
) -> tuple[float, float, int, int]:
    path = folder / f"run-{time.monotonic_ns()}.db"
    shutil.copyfile(template, path)
    settings = {"backend": queue}
    if queue == "sqlite":
        settings["sqlite_path"] = str(folder / f"queue-{path.stem}.db")
    app = _app(path, settings)
    client = app.test_client()  # type: ignore[attr-defined]
    client.post("/auth/login", data={"email": DISPATCHER, "password": DEMO_PASSWORD})
    profiler = cProfile.Profile() if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    answer = client.post(f"/dispatch/plans/{plan_id}/publish")
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert answer.status_code == 302, answer.status_code
    with app.app_context():  # type: ignore[attr-defined]
        messages = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
        runs = db.session.scalar(sa.select(sa.func.count()).select_from(TaskRun))
        db.session.remove()
        db.engine.dispose()
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return cpu, wall, int(messages or 0), int(runs or 0)


def main() -> None:
    logging.disable(logging.INFO)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--queue", choices=("immediate", "sqlite"), default="sqlite")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template, plan_id = planned_demo(folder)
        cpus, walls = [], []
        for i in range(options.repeat):
            profile = options.profile if i == 0 else 0
            cpu, wall, messages, runs = publish_once(
                template, plan_id, folder, options.queue, profile
            )
            cpus.append(cpu)
            walls.append(wall)
    print(f"queue={options.queue} repeats={options.repeat}")
    print(f"publish request CPU median {statistics.median(cpus) * 1000:.0f} ms")
    print(f"publish request wall median {statistics.median(walls) * 1000:.0f} ms")
    print(f"outbox messages {messages}, task runs {runs}")
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
