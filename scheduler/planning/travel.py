"""Travel models: how long and how far between places, before scaling to integers.

The default model needs no network: geodesic distance times a detour factor, over a speed
that depends on the zones of both ends. The OSRM model asks an OSRM table service; it takes
the HTTP fetch function as an argument, so the engine itself performs no I/O and tests run
without a network.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Protocol

import numpy as np
from geopy.distance import geodesic

from scheduler.planning.matrix import TravelMatrix
from scheduler.planning.matrix import scale_blocks
from scheduler.planning.matrix import scale_matrices
from scheduler.planning.problem import Location

Fetch = Callable[[str], bytes]
RealMatrix = list[list[float]]


class TravelModel(Protocol):
    """Anything that measures travel between places, in seconds and metres."""

    def measure(self, places: Sequence[Location]) -> tuple[Any, Any]:
        """Return ``(seconds, metres)``, square matrices indexed like ``places`` (nested
        lists or numpy arrays)."""
        ...


@dataclass(frozen=True, slots=True)
class TravelOptions:
    """The ``[TRAVEL]`` table of ``config.toml``."""

    model: str = "geodesic"
    detour_factor: float = 1.3
    speed_kmh: float = 50.0
    zone_speed_kmh: Mapping[str, float] = field(default_factory=dict)
    stop_min: float = 5.0
    walking_kmh: float = 4.5
    osrm_url: str = "http://localhost:5000"
    osrm_profile: str = "driving"
    osrm_max_table: int = 100


@dataclass(frozen=True, slots=True)
class GeodesicTravel:
    """Geodesic metres times ``detour_factor``; time at the mean of both ends' zone speeds.

    Up to ``exact_up_to`` places, every pair is measured with ``geopy.distance.geodesic``.
    Beyond that (a few hundred thousand pairs would take minutes), metres per degree are
    measured with the geodesic at the places' mean latitude and applied per pair with the
    pair's own latitude: over a territory 100 km across this stays within 0.1 % of the
    geodesic, far inside the detour factor's own uncertainty.
    """

    detour_factor: float = 1.3
    speed_kmh: float = 50.0
    zone_speed_kmh: Mapping[str, float] = field(default_factory=dict)
    exact_up_to: int = 150

    def measure(self, places: Sequence[Location]) -> tuple[Any, Any]:
        n = len(places)
        speeds = np.array([self.zone_speed_kmh.get(p.zone, self.speed_kmh) / 3.6 for p in places])
        if n > self.exact_up_to:
            return _local_travel(places, speeds, self.detour_factor)
        metres = [[0.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                a, b = places[i], places[j]
                d = geodesic((a.lat, a.lon), (b.lat, b.lon)).meters
                metres[i][j] = metres[j][i] = d
        dist = np.array(metres, dtype=np.float64).reshape(n, n) * self.detour_factor
        # Half the way at each end's speed: a trip from town to country is in between.
        seconds = dist / 2 / speeds[:, None] + dist / 2 / speeds[None, :]
        return seconds, dist

    def measure_blocks(self, places: Sequence[Location]) -> Iterator[tuple[int, Any, Any]]:
        """:meth:`measure` a block of rows at a time: ``(first row, seconds, metres)``."""
        if len(places) <= self.exact_up_to:
            seconds, dist = self.measure(places)
            yield 0, seconds, dist
            return
        speeds = np.array([self.zone_speed_kmh.get(p.zone, self.speed_kmh) / 3.6 for p in places])
        yield from _local_blocks(places, speeds, self.detour_factor)


BLOCK_ROWS = 256
"""Rows measured at a time on large territories, to bound the temporary arrays."""


def _local_travel(places: Sequence[Location], speeds: Any, detour: float) -> tuple[Any, Any]:
    """Seconds and metres of :func:`_local_blocks`, as two whole numpy arrays."""
    n = len(places)
    dist = np.empty((n, n), dtype=np.float64)
    seconds = np.empty((n, n), dtype=np.float64)
    for first, s_block, d_block in _local_blocks(places, speeds, detour):
        dist[first : first + len(d_block)] = d_block
        seconds[first : first + len(s_block)] = s_block
    return seconds, dist


def _local_blocks(
    places: Sequence[Location], speeds: Any, detour: float
) -> Iterator[tuple[int, Any, Any]]:
    """Seconds and metres from geodesic metres-per-degree at the mean latitude, applied per
    pair with the pair's own latitude, a block of rows at a time: ``(first row, seconds,
    metres)``."""
    n = len(places)
    lat0 = sum(p.lat for p in places) / n
    lon0 = sum(p.lon for p in places) / n
    per_lat = geodesic((lat0 - 0.5, lon0), (lat0 + 0.5, lon0)).meters
    per_lon0 = geodesic((lat0, lon0 - 0.5), (lat0, lon0 + 0.5)).meters
    cos0 = math.cos(math.radians(lat0))
    lats = np.array([p.lat for p in places])
    lons = np.array([p.lon for p in places])
    for first in range(0, n, BLOCK_ROWS):
        rows = slice(first, min(n, first + BLOCK_ROWS))
        lat_b = lats[rows, None]
        per_lon = per_lon0 * np.cos(np.radians((lat_b + lats[None, :]) / 2)) / cos0
        d = np.hypot(
            (lats[None, :] - lat_b) * per_lat, (lons[None, :] - lons[rows, None]) * per_lon
        )
        d *= detour
        # Half the way at each end's speed: a trip from town to country is in between.
        yield first, d / 2 / speeds[rows, None] + d / 2 / speeds[None, :], d


@dataclass(frozen=True, slots=True)
class OsrmTravel:
    """Road times and distances from an OSRM ``table`` service, fetched in blocks."""

    fetch: Fetch
    base_url: str = "http://localhost:5000"
    profile: str = "driving"
    max_table: int = 100

    def measure(self, places: Sequence[Location]) -> tuple[RealMatrix, RealMatrix]:
        n = len(places)
        seconds = [[0.0] * n for _ in range(n)]
        metres = [[0.0] * n for _ in range(n)]
        half = max(1, self.max_table // 2)
        blocks = [list(range(k, min(n, k + half))) for k in range(0, n, half)]
        for src in blocks:
            for dst in blocks:
                self._fill(places, src, dst, seconds, metres)
        return seconds, metres

    def _fill(
        self,
        places: Sequence[Location],
        src: list[int],
        dst: list[int],
        seconds: RealMatrix,
        metres: RealMatrix,
    ) -> None:
        ids = src + [j for j in dst if j not in src]
        coords = ";".join(f"{places[i].lon:.6f},{places[i].lat:.6f}" for i in ids)
        pos = {loc: k for k, loc in enumerate(ids)}
        url = (
            f"{self.base_url.rstrip('/')}/table/v1/{self.profile}/{coords}"
            f"?sources={';'.join(str(pos[i]) for i in src)}"
            f"&destinations={';'.join(str(pos[j]) for j in dst)}"
            "&annotations=duration,distance"
        )
        body = json.loads(self.fetch(url))
        if body.get("code") != "Ok":
            raise ValueError(f"OSRM table failed: {body.get('code')}: {body.get('message', '')}")
        for a, i in enumerate(src):
            for b, j in enumerate(dst):
                s = body["durations"][a][b]
                m = body["distances"][a][b]
                if s is None or m is None:
                    raise ValueError(
                        f"OSRM finds no road between {places[i].id} and {places[j].id}"
                    )
                seconds[i][j] = float(s)
                metres[i][j] = float(m)


def travel_model(options: TravelOptions, fetch: Fetch | None = None) -> TravelModel:
    """The model that ``options.model`` names; ``"osrm"`` needs a ``fetch`` function."""
    if options.model == "geodesic":
        return GeodesicTravel(options.detour_factor, options.speed_kmh, options.zone_speed_kmh)
    if options.model == "osrm":
        if fetch is None:
            raise ValueError("the OSRM travel model needs a fetch function")
        return OsrmTravel(fetch, options.osrm_url, options.osrm_profile, options.osrm_max_table)
    raise ValueError(f"unknown travel model {options.model!r}")


def build_travel_matrix(
    places: Sequence[Location], model: TravelModel, options: TravelOptions
) -> TravelMatrix:
    """Measure ``places`` with ``model`` and scale once into integer matrices (a block of
    rows at a time when the model can measure that way, so that the real-valued matrices
    are never whole)."""
    if isinstance(model, GeodesicTravel):
        return scale_blocks(
            model.measure_blocks(places),
            stop_min=options.stop_min,
            walking_kmh=options.walking_kmh,
        )
    seconds, metres = model.measure(places)
    return scale_matrices(
        seconds, metres, stop_min=options.stop_min, walking_kmh=options.walking_kmh
    )
