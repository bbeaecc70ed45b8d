"""The CPU and wall-clock seconds each stage of a run takes (``Plan.stats.stage_cpu``)."""

from __future__ import annotations

import time


class StageClock:
    """Adds the process CPU time and the wall time spent in a ``with`` block to
    ``cpu[name]``."""

    def __init__(self, cpu: dict[str, tuple[float, float]]) -> None:
        self.cpu = cpu
        self.name = ""
        self.began = 0.0
        self.wall = 0.0

    def __call__(self, name: str) -> StageClock:
        self.name = name
        return self

    def __enter__(self) -> None:
        self.began = time.process_time()
        self.wall = time.monotonic()

    def __exit__(self, *_: object) -> None:
        cpu, wall = self.cpu.get(self.name, (0.0, 0.0))
        cpu += time.process_time() - self.began
        wall += time.monotonic() - self.wall
        self.cpu[self.name] = (cpu, wall)
