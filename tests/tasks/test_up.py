"""``escouade up`` (what ``make run`` starts): web, worker and timed jobs as child processes,
all stopped by one Ctrl+C, none left behind even when ``up`` itself is killed."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scheduler.core.addresses import MESSAGES_BASE_URL_VARIABLE

from .processes import ROOT
from .processes import wait_for
from .processes import write_instance

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for whoever adopted it to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def answers(url: str) -> bool:
    """The server speaks HTTP (an empty database makes the home page say 503, which is fine)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@pytest.fixture
def started_up(make_app, tmp_path):
    app = make_app()
    queue = {"backend": "sqlite", "sqlite_path": str(tmp_path / "queue.db")}
    env = write_instance(tmp_path / "instance", app.config["SQLALCHEMY_DATABASE_URI"], queue)
    port = free_port()
    log = tmp_path / "up.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scheduler.cli", "up", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        started = wait_for(
            lambda: re.search(r"Started (.*)\.", log.read_text()), 60, "up to start", [log]
        )
        pids = {name: int(pid) for name, pid in re.findall(r"(\w+) \(pid (\d+)\)", started[1])}
        assert set(pids) == {"web", "worker", "jobs"}
        login = f"http://127.0.0.1:{port}/auth/login"
        wait_for(lambda: answers(login), 60, "the web server", [log])
        assert all(alive(pid) for pid in pids.values()), log.read_text()
        proc.port = port  # type: ignore[attr-defined]
        yield proc, pids, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_one_ctrl_c_stops_web_worker_and_jobs(started_up):
    proc, pids, log = started_up
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0, log.read_text()
    assert "Stopped." in log.read_text()
    assert [name for name, pid in pids.items() if alive(pid)] == []


def test_the_children_stop_when_up_is_killed_outright(started_up):
    proc, pids, log = started_up
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    wait_for(
        lambda: not any(alive(pid) for pid in pids.values()), 20, "the children to stop", [log]
    )


def test_a_child_that_dies_stops_the_others(started_up):
    proc, pids, log = started_up
    os.kill(pids["worker"], signal.SIGKILL)
    assert proc.wait(timeout=30) == 1, log.read_text()
    assert "worker stopped; stopping the others." in log.read_text()
    assert not alive(pids["web"]) and not alive(pids["jobs"])


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


def test_timed_jobs_and_worker_are_told_the_address_the_web_serves_on(started_up):
    """Without a configured base_url the timed messages had no calendar link at all."""
    proc, pids, log = started_up
    served = f"http://127.0.0.1:{proc.port}"
    for name in ("jobs", "worker"):
        assert environment_of(pids[name]).get(MESSAGES_BASE_URL_VARIABLE) == served
    # The web server keeps taking links from the address each page is asked for.
    assert MESSAGES_BASE_URL_VARIABLE not in environment_of(pids["web"])
    assert f"Links in timed messages point to {served}" in log.read_text()
