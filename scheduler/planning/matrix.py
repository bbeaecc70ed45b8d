"""Integer travel matrices: the one place where real-valued travel becomes solver integers.

Times are whole minutes rounded up (so a plan that fits in integers also fits in reality);
distances are whole metres, rounded to nearest. :func:`scale_matrices` stores each row as a
compact array of 32-bit integers (4 bytes a pair instead of about 36 for a tuple of Python
integers), so a network of 4,000 places holds its three matrices in under 200 MB; rows
still index like tuples (``matrix.minutes[a][b]``).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

IntMatrix = Sequence[Sequence[int]]
"""Rows of integers: tuples of tuples, or the compact rows :func:`scale_matrices` makes."""
BLOCK_ROWS = 256
"""Rows scaled at a time, to bound the temporary float arrays."""


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
            if n and min(_row_min(row) for row in m) < 0:
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
    sec = np.asarray(seconds)
    dist = np.asarray(metres)
    n = len(sec)
    blocks = (
        (first, sec[first : first + BLOCK_ROWS], dist[first : first + BLOCK_ROWS])
        for first in range(0, n, BLOCK_ROWS)
    )
    return scale_blocks(blocks, stop_min=stop_min, walking_kmh=walking_kmh)


def scale_blocks(
    blocks: Iterable[tuple[int, Any, Any]], *, stop_min: float = 0.0, walking_kmh: float = 4.5
) -> TravelMatrix:
    """:func:`scale_matrices` over ``(first row, seconds rows, metres rows)`` blocks, in
    order: a travel model that measures a block at a time need never hold the whole
    real-valued matrices (250 MB for 4,000 places)."""
    walk_m_per_min = walking_kmh * 1000.0 / 60.0
    minutes: list[Sequence[int]] = []
    walk: list[Sequence[int]] = []
    rounded: list[Sequence[int]] = []
    for first, s_rows, d_rows in blocks:
        s_block = np.asarray(s_rows).astype(np.float64)
        d_block = np.asarray(d_rows).astype(np.float64)
        m_block = np.ceil(s_block / 60.0 + stop_min - 1e-9).astype(np.int64)
        w_block = np.ceil(d_block / walk_m_per_min + stop_min - 1e-9).astype(np.int64)
        r_block = np.rint(d_block).astype(np.int64)
        for block, out in ((m_block, minutes), (w_block, walk), (r_block, rounded)):
            for k in range(block.shape[0]):
                block[k, first + k] = 0
            out.extend(_rows(block))
    if not minutes:
        return TravelMatrix(minutes=(), metres=(), walk_minutes=())
    return TravelMatrix(minutes=tuple(minutes), metres=tuple(rounded), walk_minutes=tuple(walk))


def _row_min(row: Sequence[int]) -> int:
    """The smallest value of a row; compact rows are read in place by numpy (a Python loop
    over the 16 million values of a 4,000-place matrix took most of a second)."""
    if isinstance(row, array) and row.typecode == "i":
        return int(np.frombuffer(row, np.int32).min())
    return min(row)


def _rows(block: Any) -> list[Sequence[int]]:
    if block.size and (block.max() >= 2**31 or block.min() < -(2**31)):
        raise ValueError("travel values do not fit 32-bit integers")
    return [array("i", row.astype(np.int32).tobytes()) for row in block]
