"""``escouade up``, what ``make run`` starts: the web server, a worker and the timed jobs.

One Ctrl+C stops all three in order; they die with it even if it is killed outright.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import click

#: Seconds ``escouade up`` waits for its processes to stop before killing them.
STOP_GRACE_S = 10.0


@click.command("up")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
def up_command(host: str, port: int) -> None:
    """Start the web server, a worker and the timed jobs; Ctrl+C stops all three."""
    import signal
    import subprocess
    import sys
    import time

    from flask import current_app

    from scheduler.core.addresses import MESSAGES_BASE_URL_VARIABLE
    from scheduler.core.addresses import links_environment
    from scheduler.runtime import settings_of

    base = [sys.executable, "-m", "scheduler.cli"]
    children = {
        "web": [*base, "run", "--host", host, "--port", str(port)],
        "worker": [*base, "worker"],
        "jobs": [*base, "run-jobs"],
    }
    # The web server takes links from the address each page is asked for; the others
    # have no request, so they are told where the web server is (unless configured).
    configured = settings_of(current_app)
    links = links_environment(
        configured.messages.base_url or configured.feeds.base_url, host, port, os.environ
    )
    environments = {"web": None, "worker": links, "jobs": links}
    if links.get(MESSAGES_BASE_URL_VARIABLE) != os.environ.get(MESSAGES_BASE_URL_VARIABLE):
        click.echo(
            f"Links in timed messages point to {links[MESSAGES_BASE_URL_VARIABLE]} "
            "(set [MESSAGES] base_url to change it)."
        )
    stop_asked: list[int] = []

    def ask_stop(signum: int, _frame: object) -> None:
        stop_asked.append(signum)

    previous = {sig: signal.signal(sig, ask_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    running: dict[str, subprocess.Popen[bytes]] = {}
    failed = False
    try:
        for name, argv in children.items():
            # A session of their own: Ctrl+C reaches this process only, which stops them
            # in order; and they die with it even if it is killed outright.
            running[name] = subprocess.Popen(
                argv,
                env=environments[name],
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        click.echo(f"Started {', '.join(f'{n} (pid {p.pid})' for n, p in running.items())}.")
        while not stop_asked:
            ended = [name for name, proc in running.items() if proc.poll() is not None]
            if ended:
                click.echo(f"{', '.join(ended)} stopped; stopping the others.", err=True)
                failed = True
                break
            time.sleep(0.2)
    finally:
        _stop_all(running)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("Stopped.")
    if failed:
        raise SystemExit(1)


def _die_with_parent() -> None:
    """In a child, before it runs: ask Linux to end it when its parent dies (no orphans)."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _stop_all(running: Mapping[str, object]) -> None:
    import signal
    import subprocess
    import time

    procs = [p for p in running.values() if isinstance(p, subprocess.Popen)]
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    for proc in procs:
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
