"""Fixtures for messages: a real SMTP server process, settings that send for real."""

from __future__ import annotations

import email
import email.policy
import mailbox
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    """aiosmtpd running as its own process, storing what it receives in a Maildir."""

    port: int
    maildir: Path

    def messages(self) -> list[EmailMessage]:
        """What arrived, oldest first, read back with the modern e-mail parser."""
        if not self.maildir.exists():
            return []
        box = mailbox.Maildir(str(self.maildir), create=False)
        found = [box.get_message(key) for key in box.keys()]
        found.sort(key=lambda m: m.get_date())
        return [
            email.message_from_bytes(m.as_bytes(), policy=email.policy.default)  # type: ignore[misc]
            for m in found
        ]


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[SmtpServer]:
    """``python -m aiosmtpd`` on 127.0.0.1 and a free port, with the Mailbox handler."""
    maildir = tmp_path / "maildir"
    log = tmp_path / "aiosmtpd.log"
    for attempt in range(3):
        port = free_port()
        with log.open("wb") as errors:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{port}",
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                    str(maildir),
                ],
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        if process.poll() is None:
            break
        if attempt == 2:
            raise RuntimeError(log.read_text())
    try:
        yield SmtpServer(port, maildir)
    finally:
        process.terminate()
        process.wait(timeout=10)


def sending(**changes: Any) -> dict[str, Any]:
    """A ``[MESSAGES]`` table that sends for real."""
    table: dict[str, Any] = {
        "backend": "send",
        "sender_email": "escouade@example.org",
        "smtp_host": "127.0.0.1",
        "timeout_s": 5,
        "retry_delays_s": [60, 300],
        "max_attempts": 3,
    }
    table.update(changes)
    return table


@pytest.fixture
def world_factory():
    """Build the standard test world inside an application made with its own settings."""
    from scheduler.core.extensions import db

    from ..builders import build_world

    def build(app: Any) -> Any:
        with app.app_context():
            return build_world(db.session)

    return build
