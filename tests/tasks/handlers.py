"""Task handlers used by the queue's tests, imported by their worker processes
(``escouade worker --handlers tests.tasks.handlers``).

``test_note`` appends ``<run id> <pid>`` to the file named in its payload, after waiting
``sleep_s`` (``first_try_sleep_s`` more on the first try, long enough to kill its worker):
the file, not the database, is the witness of how many times a run ran to its end.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from scheduler.tasks import PermanentFailure
from scheduler.tasks import TaskContext
from scheduler.tasks import handler


@handler("test_note")
def note(ctx: TaskContext) -> dict[str, Any]:
    payload = ctx.payload
    ctx.report(phase="sleeping")
    time.sleep(float(payload.get("sleep_s", 0)))
    if ctx.run.attempts == 1:
        time.sleep(float(payload.get("first_try_sleep_s", 0)))
    with Path(payload["path"]).open("a", encoding="utf-8") as out:
        out.write(f"{ctx.run.id} {os.getpid()}\n")
    return {"pid": os.getpid()}


@handler("test_flaky")
def flaky(ctx: TaskContext) -> dict[str, Any]:
    """Fails until its try number reaches ``succeed_on`` (never, when it is 0)."""
    succeed_on = int(ctx.payload.get("succeed_on", 0))
    if succeed_on == 0 or ctx.run.attempts < succeed_on:
        raise RuntimeError(f"try {ctx.run.attempts} broke")
    return {"try": ctx.run.attempts}


@handler("test_refused")
def refused(ctx: TaskContext) -> None:
    raise PermanentFailure("the payload names nothing that exists")
