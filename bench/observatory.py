"""How fast the observatory answers on two years of an association's life, and its memory.

    .venv/bin/python -m bench.observatory [--requests 50000] [--repeat 10]
    ESCOUADE_PG_PORT=54338 bash scripts/with-postgres.sh .venv/bin/python -m bench.observatory
    .venv/bin/python -m bench.observatory --database-url postgresql+psycopg://…/scratch

50,000 requests over two years (municipalities, languages, modes and needs drawn at
random, most served, some left out by a published plan each week, some cancelled), on a
temporary SQLite file, or on the PostgreSQL of ``--database-url`` or
``ESCOUADE_TEST_DATABASE_URL`` (its tables are dropped and made again: give a scratch
database). Through the Flask test client, as a signed-in dispatcher: the dashboard for the
last full year (median of ``--repeat`` runs), then the XLSX and CSV exports of a quarter,
that year and both years, with the peak of Python memory allocated (``tracemalloc``) while
each is built and sent: flat memory means the same peak for one year as for two. Prints
the figures with the load average of the machine; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from scheduler.app import create_app
from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import Base
from scheduler.models import HelpRequest
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanUnassigned
from scheduler.models import Role
from scheduler.models import Site
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.models import people

TOWNS = (
    ("Drummondville", 45.88, -72.48, 68601),
    ("Wickham", 45.75, -72.50, 2600),
    ("L'Avenir", 45.77, -72.30, 1300),
    ("Saint-Majorique-de-Grantham", 45.93, -72.55, 1300),
    ("Saint-Félix-de-Kingsey", 45.80, -72.18, 1500),
    ("Saint-Germain-de-Grantham", 45.83, -72.57, 4551),
    ("Saint-Cyrille-de-Wendover", 45.93, -72.43, 4400),
    ("Notre-Dame-du-Bon-Conseil", 46.00, -72.35, 1500),
)
LANGUAGES = (["fr"], ["fr"], ["fr"], ["ar"], ["es", "fr"], ["en"])
NEEDS = (["email"], ["public_services"], ["smartphone", "email"], ["video_calls"], ["job_search"])
PASSWORD = "benchmark password"


def populate(count: int, first_day: date, seed: int = 7) -> None:
    """``count`` requests received evenly over two years from ``first_day``."""
    rng = random.Random(seed)
    org = Organisation(name="Banc d'essai", slug="bench", timezone="America/Toronto")
    db.session.add(org)
    towns = [
        Municipality(organisation=org, name=n, region="QC", lat=la, lon=lo, population=p)
        for n, la, lo, p in TOWNS
    ]
    site = Site(organisation=org, name="Local", address="1, rue Brock", lat=45.88, lon=-72.48)
    volunteers = [Volunteer(organisation=org, first_name=f"Bénévole {i}") for i in range(15)]
    user = User(organisation=org, email="bench@example.org", role=Role.DISPATCHER, display_name="B")
    user.set_password(PASSWORD)
    db.session.add_all([*towns, site, *volunteers, user])
    db.session.flush()
    span = 2 * 365 * 86400
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC)
    requests: list[dict[str, Any]] = []
    appointments: list[dict[str, Any]] = []
    left_out: dict[date, list[int]] = {}
    for index in range(count):
        created = start + timedelta(seconds=int(index * span / count))
        fate = rng.random()
        mode = rng.choice(("home", "home", "phone", "dropin"))
        status = "done" if fate < 0.65 else "cancelled" if fate < 0.75 else "triaged"
        requests.append(
            {
                "id": index + 1,
                "organisation_id": org.id,
                "reference": f"ESC-{index:06d}",
                "access_token_hash": f"{index:064d}",
                "mode": mode,
                "needs": rng.choice(NEEDS),
                "municipality_id": rng.choice(towns).id,
                "site_id": site.id if mode == "dropin" else None,
                "availability": ["tue-am"],
                "languages": rng.choice(LANGUAGES),
                "status": status,
                "source": "online",
                "consent_at": created,
                "created_at": created,
                "updated_at": created,
                "locale": "fr_CA",
                "duration_min": 60,
                "priority": 1,
                "required_skills": [],
                "any_time": False,
                "location_approximate": True,
            }
        )
        if status == "done":
            starts = created + timedelta(days=rng.randrange(1, 20), hours=2)
            appointments.append(
                {
                    "organisation_id": org.id,
                    "uid": f"bench-{index}@escouade",
                    "kind": mode,
                    "request_id": index + 1,
                    "volunteer_id": None if mode == "dropin" else rng.choice(volunteers).id,
                    "site_id": site.id if mode == "dropin" else None,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=1),
                    "status": "done",
                    "sequence": 0,
                    "pinned": False,
                    "travel_min_before": 20 if mode == "home" else None,
                    "travel_km_before": 15.0 if mode == "home" else None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        elif status == "triaged" and rng.random() < 0.6:
            monday = created.date() - timedelta(days=created.weekday()) + timedelta(days=7)
            left_out.setdefault(monday, []).append(index + 1)
    db.session.execute(sa.insert(HelpRequest), requests)
    db.session.execute(sa.insert(Appointment), appointments)
    for monday, ids in sorted(left_out.items()):
        plan = Plan(organisation_id=org.id, week_start=monday, status="published", stats={})
        plan.unassigned = [
            PlanUnassigned(
                request_id=i,
                reason="no_language_match",
                detail={"languages": ["ar"], "days": [rng.randrange(5)]},
            )
            for i in ids
        ]
        db.session.add(plan)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def measure(client: Any, path: str, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock seconds of each run, and this process's CPU seconds (which a busy shared
    machine inflates less; a PostgreSQL server's own work is not in them)."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, (path, response.status_code)
    return walls, cpus


def export_figures(client: Any, path: str) -> tuple[float, float, float, int]:
    """Wall and CPU seconds of one export, then the peak MiB Python allocates during a
    second one, the file read block by block as a server sends it (tracing allocations
    slows Python down, so that one is not timed), and the bytes of the file."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, buffered=False)
    size = sum(len(block) for block in response.response)
    response.close()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    assert response.status_code == 200, (path, response.status_code)
    tracemalloc.start()
    again = client.get(path, buffered=False)
    for _ in again.response:
        pass
    again.close()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, cpu_seconds, peak / 2**20, size


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ESCOUADE_TEST_DATABASE_URL"),
        help="a scratch PostgreSQL database (its tables are dropped); SQLite when not given",
    )
    args = parser.parse_args()
    people.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    url = args.database_url
    with tempfile.TemporaryDirectory() as folder:
        uri = url or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": uri,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        year = datetime.now(UTC).year - 1
        with app.app_context():
            Base.metadata.drop_all(db.engine)
            Base.metadata.create_all(db.engine)
            started = time.perf_counter()
            populate(args.requests, date(year - 1, 1, 1))
            loaded = time.perf_counter() - started
            engine = db.engine.dialect.name
        client = app.test_client()
        client.post("/auth/login", data={"email": "bench@example.org", "password": PASSWORD})
        dashboard, dashboard_cpu = measure(
            client, f"/observatory?period=year&value={year}", args.repeat
        )
        dashboard_load = load()
        periods = (
            ("quarter", f"period=quarter&value={year}-Q1"),
            ("year", f"period=year&value={year}"),
            ("two years", f"period=dates&first={year - 1}-01-01&last={year}-12-31"),
        )
        files = []
        for fmt in ("xlsx", "csv"):
            for name, query in periods:
                path = f"/observatory/export/requests.{fmt}?{query}"
                files.append((fmt, name, export_figures(client, path), load()))
        with app.app_context():
            db.session.remove()
            if url:
                Base.metadata.drop_all(db.engine)
            db.engine.dispose()
    print(f"database: {engine}; {args.requests} requests over {year - 1}-{year} ({loaded:.1f} s)")
    print(
        f"dashboard, year {year}: median {statistics.median(dashboard) * 1000:.0f} ms, "
        f"min {min(dashboard) * 1000:.0f} ms, max {max(dashboard) * 1000:.0f} ms "
        f"({args.repeat} runs); CPU of this process: median "
        f"{statistics.median(dashboard_cpu) * 1000:.0f} ms"
    )
    print(f"  {dashboard_load}")
    for fmt, name, (seconds, cpu, mib, size), loaded_then in files:
        print(
            f"{fmt.upper()} export of requests, {name}: {seconds:.2f} s "
            f"(CPU of this process {cpu:.2f} s), peak Python memory {mib:.1f} MiB, "
            f"{size / 1024:.0f} KiB; {loaded_then}"
        )


if __name__ == "__main__":
    main()
