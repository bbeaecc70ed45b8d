"""Rate limits hold in production: gunicorn with three workers behind a reverse proxy,
counting in a shared Redis.

Everything runs for real: Debian's ``redis-server`` and ``gunicorn`` are started here on
free ports, on a SQLite file holding a small organisation. Requests carry the
X-Forwarded-For header a reverse proxy adds ([PROXY_FIX] trusted_proxies = 1).
"""

from __future__ import annotations

import http.client
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.models import Base
from scheduler.models import HelpRequest

from .booking.builders import answers
from .builders import build_world

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 10
ATTEMPTS = 40

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process stopped: {process.args}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port} after {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen]]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is needed: install the Debian package redis-server.")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    yield port, process
    stop(process)


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, dict[str, int]]:
    """A SQLite file with the schema and a small organisation; the booking answers."""
    path = tmp_path / "escouade.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        world = build_world(session)
    engine.dispose()
    return f"sqlite:///{path}", answers(world)


def environment(tmp_path: Path, database_url: str, storage: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ESCOUADE_", "FLASK_", "WEB_CONCURRENCY"))
    }
    env.update(
        ESCOUADE_INSTANCE_PATH=str(tmp_path / "instance"),
        ESCOUADE_DATABASE_URL=database_url,
        ESCOUADE_SECRET_KEY="production-test-secret-" + "x" * 20,
        ESCOUADE_RATELIMIT_STORAGE_URI=storage,
        ESCOUADE_PROXY_FIX__trusted_proxies="1",
        ESCOUADE_BOOKING__rate_limit=f"{LIMIT} per hour",
        ESCOUADE_WTF_CSRF_ENABLED="false",
    )
    return env


def gunicorn(tmp_path: Path, env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    with (tmp_path / "gunicorn.log").open("w") as log:  # the server keeps its own copy
        return _start_gunicorn(env, port, workers, log)


def _start_gunicorn(env: dict[str, str], port: int, workers: int, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "scheduler.app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


#: Each booking is another person: the same answers sent twice make one request (the
#: second is shown the first's confirmation), which would not count against the budget.
_PEOPLE = itertools.count()


def book(port: int, data: dict, visitor: str) -> int:
    n = next(_PEOPLE)
    person = f"{data.get('first_name', 'Jeannine')} {chr(97 + n % 26)}{chr(97 + n // 26 % 26)}"
    body = urllib.parse.urlencode({**data, "first_name": person}, doseq=True)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            "/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": visitor,
                "X-Forwarded-Proto": "https",
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture
def served(tmp_path, redis_server, database) -> Iterator[tuple[int, dict, int, str]]:
    redis_port, _ = redis_server
    url, data = database
    port = free_port()
    env = environment(tmp_path, url, f"redis://127.0.0.1:{redis_port}/0")
    process = gunicorn(tmp_path, env, port, workers=3)
    try:
        wait_for_port(port, process)
        yield port, data, redis_port, url
    finally:
        stop(process)


def requests_kept(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count(HelpRequest.id))).scalar_one()
    engine.dispose()
    return int(count)


def test_three_workers_share_one_limit_per_visitor_behind_a_proxy(served):
    port, data, redis_port, url = served
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _: book(port, data, "203.0.113.5"), range(ATTEMPTS)))
    assert set(statuses) <= {303, 429}, statuses
    assert statuses.count(303) == LIMIT, statuses
    assert requests_kept(url) == LIMIT
    # The counts live in Redis, where every worker reads them.
    import redis

    client = redis.Redis(port=redis_port)
    assert any(b"LIMITER" in key for key in client.keys("*"))
    client.close()
    # Another visitor behind the same proxy has a budget of their own.
    assert book(port, data, "198.51.100.9") == 303
    # A client cannot reset its budget by writing its own X-Forwarded-For: the proxy
    # appends the address it saw, and only the last one is trusted.
    assert book(port, data, "192.0.2.1, 203.0.113.5") == 429


def test_when_redis_stops_pages_still_answer(served, redis_server):
    port, data, _, _ = served
    _, redis_process = redis_server
    assert book(port, data, "203.0.113.77") == 303
    stop(redis_process)
    statuses = [book(port, data, "203.0.113.78") for _ in range(3)]
    assert all(status in (303, 429) for status in statuses), statuses
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/")
    assert connection.getresponse().status == 200
    connection.close()


def test_several_workers_on_the_memory_store_refuse_to_start(tmp_path, database):
    url, _ = database
    env = environment(tmp_path, url, "memory://")
    process = gunicorn(tmp_path, env, free_port(), workers=3)
    try:
        process.wait(timeout=60)
    finally:
        stop(process)
    errors = (tmp_path / "gunicorn.log").read_text()
    assert process.returncode != 0
    assert "RATELIMIT_STORAGE_URI is memory://" in errors
    assert "redis://" in errors
