"""A second request that slips in between a check and an insert, made to happen on demand.

A double click or two people saving at once race like this: both requests look for a row,
find none, and both insert it. Threads only sometimes meet there; a listener on the engine
makes the other request's write land at exactly that moment, every run, on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa


@contextmanager
def other_request_inserts(
    engine: sa.Engine, seen: str, insert: sa.Insert, *, before_insert: bool = False
) -> Iterator[list[bool]]:
    """Inside the block, right after the first SELECT whose text contains ``seen`` (or, with
    ``before_insert``, right before the first INSERT that does: a path that writes without
    looking first), run ``insert`` on another connection and commit it, once.

    :return: a list that holds ``True`` once the other request has written, so that the test
        can assert the race really took place.
    """
    done: list[bool] = []
    verb, event = (
        ("INSERT", "before_cursor_execute") if before_insert else ("SELECT", "after_cursor_execute")
    )

    def other_request(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if done or seen not in statement or not statement.lstrip().upper().startswith(verb):
            return
        done.append(True)
        with engine.connect() as other:
            other.execute(insert)
            other.commit()

    sa.event.listen(engine, event, other_request)
    try:
        yield done
    finally:
        sa.event.remove(engine, event, other_request)
