"""What the search tells while it works: the best plan it holds so far.

A background run may take minutes on a large week; the dispatcher following it wants to
see that it is getting somewhere. The engine calls a listener (``on_better``) each time
its best plan gets better, with plain facts only: which visits are placed and how far the
volunteers would drive. The listener must be quick and must not raise; what it does with
the facts (a progress row, a log line) is the caller's business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Progress:
    """The best plan found so far.

    :param placed: ids of the visits that have at least one seat in a route.
    :param metres: the road distance of every route, in metres.
    :param objective: the search's cost (lower is better); only ever decreases between
        two calls of one search.
    """

    placed: frozenset[str]
    metres: int
    objective: int


OnBetter = Callable[[Progress], None]
"""A listener told of each better plan."""
