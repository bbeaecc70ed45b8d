"""Integer travel matrices: the one place where real-valued travel becomes solver integers.

Times are whole minutes rounded up (so a plan that fits in integers also fits in reality);
distances are whole metres, rounded to nearest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

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
    seconds: Sequence[Sequence[float]],
    metres: Sequence[Sequence[float]],
    *,
    stop_min: float = 0.0,
    walking_kmh: float = 4.5,
) -> TravelMatrix:
    """Turn real-valued seconds and metres into a :class:`TravelMatrix`.

    ``stop_min`` (parking, finding the door) is added to every trip between two different
    places, driven or walked. Walking time is the same distance at ``walking_kmh``.
    """
    n = len(seconds)
    minutes: list[tuple[int, ...]] = []
    walk: list[tuple[int, ...]] = []
    dist: list[tuple[int, ...]] = []
    walk_m_per_min = walking_kmh * 1000.0 / 60.0
    for i in range(n):
        row_min: list[int] = []
        row_walk: list[int] = []
        row_m: list[int] = []
        for j in range(n):
            if i == j:
                row_min.append(0)
                row_walk.append(0)
                row_m.append(0)
                continue
            row_min.append(math.ceil(seconds[i][j] / 60.0 + stop_min - 1e-9))
            row_walk.append(math.ceil(metres[i][j] / walk_m_per_min + stop_min - 1e-9))
            row_m.append(round(metres[i][j]))
        minutes.append(tuple(row_min))
        walk.append(tuple(row_walk))
        dist.append(tuple(row_m))
    return TravelMatrix(minutes=tuple(minutes), metres=tuple(dist), walk_minutes=tuple(walk))
