"""One wall-clock deadline for a whole planning run, shared by every solver it calls.

The caller makes it once (from ``[PLANNING] time_limit_s`` or a command's ``--time-limit``)
and hands it to :func:`scheduler.planning.solve`; every stage asks it how much time is left
instead of turning seconds into deadlines and back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field


@dataclass(frozen=True, slots=True)
class Deadline:
    """A point on the monotonic clock after which the search must stop."""

    at: float
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)

    @classmethod
    def after(cls, seconds: float, clock: Callable[[], float] = time.monotonic) -> Deadline:
        """The deadline ``seconds`` from now on ``clock``."""
        if seconds < 0:
            raise ValueError("a deadline cannot be in the past")
        return cls(clock() + seconds, clock)

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self.at - self.clock())

    def expired(self) -> bool:
        """True once the deadline has passed."""
        return self.clock() >= self.at

    def share(self, fraction: float) -> Deadline:
        """An earlier deadline: ``fraction`` of the time left from now."""
        now = self.clock()
        return Deadline(now + max(0.0, self.at - now) * fraction, self.clock)
