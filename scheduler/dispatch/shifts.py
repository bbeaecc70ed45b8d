"""Volunteers' shifts for one week: availability windows, less absences and the past.

A shift starts and ends at the volunteer's home (or start site), so its window includes the
drive. Confirmed appointments must stay where they are, even when the volunteer's weekly
windows leave no room for the drive (they set "available from 9:00" and agreed to a 9:00
drop-in) or do not cover them at all (a dispatcher agreed it on the phone): the shift
around a pin is widened, or one is made, so that the drive there and back fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from ..models import Volunteer
from ..planning import Shift
from ..planning import TravelMatrix
from ..planning import Worker


@dataclass
class _Draft:
    id: str
    worker_id: str
    day: int
    start: int
    end: int
    home: int
    phone_only: bool


class ShiftBook:
    """The week's shifts, built volunteer by volunteer, then frozen for the problem."""

    def __init__(
        self, week: date, past: int, matrix: TravelMatrix, workers: dict[str, Worker]
    ) -> None:
        self.week = week
        self.past = past
        self.matrix = matrix
        self.workers = workers
        self._shifts: dict[str, list[_Draft]] = {w: [] for w in workers}
        self._absent: dict[str, set[int]] = {w: set() for w in workers}

    def add_availability(self, volunteer: Volunteer, worker: Worker, phone_only: bool) -> None:
        """One shift per availability window on each day the volunteer is not away."""
        for day in range(7):
            if volunteer.is_absent_on(self.week + timedelta(days=day)):
                self._absent[worker.id].add(day)
                continue
            windows = [w for w in volunteer.availability if w.weekday == day]
            for k, window in enumerate(sorted(windows, key=lambda w: w.starts)):
                start = day * 1440 + window.starts.hour * 60 + window.starts.minute
                end = day * 1440 + window.ends.hour * 60 + window.ends.minute
                start = max(start, self.past)
                if end <= start:
                    continue
                self._shifts[worker.id].append(
                    _Draft(
                        f"{worker.id}-{day}-{k}",
                        worker.id,
                        day,
                        start,
                        end,
                        worker.home,
                        phone_only,
                    )
                )

    def shift_at(self, worker_id: str, minute: int) -> str | None:
        """The shift of this volunteer that holds ``minute``, if any."""
        for shift in self._shifts.get(worker_id, []):
            if shift.start <= minute < shift.end:
                return shift.id
        return None

    def shift_for_pin(
        self, worker_id: str, start: int, length: int, location: int | None
    ) -> str | None:
        """A shift that can hold a confirmed appointment with the drive there and back.

        :return: None when the volunteer is away that day (or unknown).
        """
        day = start // 1440
        if worker_id not in self.workers or day in self._absent[worker_id]:
            return None
        worker = self.workers[worker_id]
        drive = 0
        if location is not None:
            minutes = self.matrix.minutes if worker.has_car else self.matrix.walk_minutes
            drive = max(minutes[worker.home][location], minutes[location][worker.home])
        low = max(day * 1440, start - drive)
        high = min(day * 1440 + 1439, start + length + drive)
        mine = self._shifts[worker_id]
        shift = next((s for s in mine if s.start < start + length and start < s.end), None)
        if shift is None:
            shift = _Draft(
                f"{worker_id}-{day}-pin{start}", worker_id, day, low, high, worker.home, False
            )
            mine.append(shift)
        others = [s for s in mine if s is not shift]
        floor = max([s.end for s in others if s.end <= shift.start] + [day * 1440])
        ceiling = min([s.start for s in others if s.start >= shift.end] + [day * 1440 + 1440])
        shift.start = max(floor, min(shift.start, low))
        shift.end = min(ceiling, max(shift.end, high))
        return shift.id

    def shifts(self) -> tuple[Shift, ...]:
        drafts = sorted(
            (s for mine in self._shifts.values() for s in mine),
            key=lambda s: (s.worker_id, s.start),
        )
        return tuple(
            Shift(
                id=s.id,
                worker_id=s.worker_id,
                day=s.day,
                start=s.start,
                end=s.end,
                start_location=s.home,
                end_location=s.home,
                phone_only=s.phone_only,
            )
            for s in drafts
        )
