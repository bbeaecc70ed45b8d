"""Worker processes for the queue's tests: real ``escouade worker`` commands, configured
through an instance folder of their own, sharing the test's database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)  # strings, numbers and booleans are written alike in TOML


def write_instance(
    folder: Path,
    database_uri: str,
    queue: dict[str, Any],
    tables: dict[str, dict[str, Any]] | None = None,
) -> dict[str, str]:
    """An instance folder whose config.toml points at ``database_uri`` and ``queue`` (and
    sets ``tables``: ``{"PLANNING": {...}, "JOBS.schedules": {...}}``); returns the
    environment that makes a process use it."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        f"SECRET_KEY = {toml_value('queue-test-secret-' + folder.name)}",
        f"SQLALCHEMY_DATABASE_URI = {toml_value(database_uri)}",
    ]
    for name, table in {"QUEUE": queue, **(tables or {})}.items():
        lines.append(f"[{name}]")
        lines.extend(f"{key} = {toml_value(value)}" for key, value in table.items())
    (folder / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCOUADE_")}
    env["ESCOUADE_INSTANCE_PATH"] = str(folder)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_worker(
    env: dict[str, str], log: Path, workers: int = 1, handlers: str = "tests.tasks.handlers"
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "scheduler.cli", "worker", "--workers", str(workers)]
            + ["--handlers", handlers],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def start_jobs(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``escouade run-jobs``, the process whose reap_tasks job retries abandoned runs."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "scheduler.cli", "run-jobs"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(
    condition: Callable[[], Any], timeout_s: float, what: str, logs: list[Path] = ()
) -> Any:
    """Poll ``condition`` until it is truthy; fail with the workers' logs after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    told = "\n".join(
        f"--- {p}\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists()
    )
    raise AssertionError(f"gave up waiting {timeout_s:g} s for {what}\n{told}")
