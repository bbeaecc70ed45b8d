"""Integer travel matrices: the one place where real-valued travel becomes solver integers.

Times are whole minutes rounded up (so a plan that fits in integers also fits in reality);
distances are whole metres, rounded to nearest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

IntMatrix = tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class TravelMatrix:
    """Driving minutes, walking minutes and metres between every pair of locations."""

    minutes: IntMatrix
    metres: IntMatrix
    walk_minutes: IntMatrix

    def __post_init__(self) -> None:
        n = len(self.minutes)
        for m in (self.minutes, self.metres, self.walk_minutes):
            if len(m) != n or any(len(row) != n for row in m):
                raise ValueError("travel matrices must be square and of the same size")
            if any(x < 0 for row in m for x in row):
                raise ValueError("travel matrices must be non-negative")

    @property
    def size(self) -> int:
        """Number of locations."""
        return len(self.minutes)


def scale_matrices(
    seconds: Sequence[Sequence[float]] | Any,
    metres: Sequence[Sequence[float]] | Any,
    *,
    stop_min: float = 0.0,
    walking_kmh: float = 4.5,
) -> TravelMatrix:
    """Turn real-valued seconds and metres into a :class:`TravelMatrix`.

    ``stop_min`` (parking, finding the door) is added to every trip between two different
    places, driven or walked. Walking time is the same distance at ``walking_kmh``.
    Computed with numpy, element by element with the same float operations as
    ``math.ceil(seconds / 60 + stop_min - 1e-9)`` and ``round(metres)``.
    """
    sec = np.asarray(seconds, dtype=np.float64)
    dist = np.asarray(metres, dtype=np.float64)
    n = len(sec)
    if n == 0:
        return TravelMatrix(minutes=(), metres=(), walk_minutes=())
    walk_m_per_min = walking_kmh * 1000.0 / 60.0
    minutes = np.ceil(sec / 60.0 + stop_min - 1e-9).astype(np.int64)
    walk = np.ceil(dist / walk_m_per_min + stop_min - 1e-9).astype(np.int64)
    rounded = np.rint(dist).astype(np.int64)
    for m in (minutes, walk, rounded):
        np.fill_diagonal(m, 0)
    return TravelMatrix(
        minutes=_tuples(minutes), metres=_tuples(rounded), walk_minutes=_tuples(walk)
    )


def _tuples(m: Any) -> IntMatrix:
    return tuple(map(tuple, m.tolist()))
