"""Work done in the background, on a task queue (huey), recorded in ``task_run`` rows.

``submit`` asks for a run (or finds the one already asked for) and hands its id to the
queue; a worker (``escouade worker``) claims it, calls the handler registered for its
kind (``@handler("plan_week")``) and records the end. Tries, progress, errors and results
live in the database; the queue is only the doorbell. See docs/operations.md.
"""

from .queue import TaskQueue
from .queue import current_queue
from .queue import install_queue
from .queue import queue_of
from .recovery import fail_try
from .recovery import reap
from .recovery import reap_and_requeue
from .registry import HANDLER_MODULES
from .registry import PermanentFailure
from .registry import TaskContext
from .registry import UnknownTaskKind
from .registry import handler
from .registry import load_handlers
from .retention import forget_finished
from .runs import QueueUnavailable
from .runs import claim
from .runs import find_active
from .runs import finish
from .runs import submit
from .settings import QueueSettings

__all__ = [
    "HANDLER_MODULES",
    "PermanentFailure",
    "QueueSettings",
    "QueueUnavailable",
    "TaskContext",
    "TaskQueue",
    "UnknownTaskKind",
    "claim",
    "current_queue",
    "fail_try",
    "forget_finished",
    "find_active",
    "finish",
    "handler",
    "install_queue",
    "load_handlers",
    "queue_of",
    "reap",
    "reap_and_requeue",
    "submit",
]
