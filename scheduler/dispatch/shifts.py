"""Volunteers' shifts for one week: availability windows, less absences and the past.

A shift starts and ends at the volunteer's home (or start site), so its window includes the
drive. Confirmed appointments must stay where they are, even when the volunteer's weekly
windows leave no room for the drive (they set "available from 9:00" and agreed to a 9:00
drop-in) or do not cover them at all (a dispatcher agreed it on the phone): the shift
around a pin is widened, or one is made, so that the drive there and back fits. A slot
the drive reaches (free from 10:00, agreed to a 9:00 drop-in) becomes one shift with it.

Once the week has begun, nobody sets off before now, so a shift starts now at the earliest.
A published visit whose volunteer had to leave home before now is another matter: they
are on the road, and the shift holding it starts early enough to reach it (never earlier
than the volunteer's availability), so re-planning keeps it at its time.
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
    #: When the volunteer's availability opens, before the past is cut off.
    opens: int


class ShiftBook:
    """The week's shifts, built volunteer by volunteer, then frozen for the problem."""

    def __init__(
        self,
        week: date,
        past: int,
        matrix: TravelMatrix,
        workers: dict[str, Worker],
        lead_min: int = 0,
    ) -> None:
        self.week = week
        self.past = past
        self.lead_min = lead_min
        self.matrix = matrix
        self.workers = workers
        self._shifts: dict[str, list[_Draft]] = {w: [] for w in workers}
        self._absent: dict[str, set[int]] = {w: set() for w in workers}
        #: Shifts already handed out (a pin or a planned shift names them): never merged away.
        self._given: set[str] = set()

    def add_availability(self, volunteer: Volunteer, worker: Worker, phone_only: bool) -> None:
        """One shift per availability window on each day the volunteer is not away."""
        for day in range(7):
            if volunteer.is_absent_on(self.week + timedelta(days=day)):
                self._absent[worker.id].add(day)
                continue
            windows = [w for w in volunteer.availability if w.weekday == day]
            for k, window in enumerate(sorted(windows, key=lambda w: w.starts)):
                opens = day * 1440 + window.starts.hour * 60 + window.starts.minute
                end = day * 1440 + window.ends.hour * 60 + window.ends.minute
                start = max(opens, self.past)
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
                        opens,
                    )
                )

    def shift_at(self, worker_id: str, minute: int) -> str | None:
        """The shift of this volunteer that holds ``minute``, if any."""
        for shift in self._shifts.get(worker_id, []):
            if shift.start <= minute < shift.end:
                return shift.id
        return None

    def reach_published(self, worker_id: str, start: int, location: int | None) -> str | None:
        """The shift holding a published visit at ``start``, begun early enough for its
        volunteer to have set off from home in time, as they did once the plan was out.

        Only the cut at the past is undone, down to the availability's opening: a visit
        the volunteer's own slots can no longer reach is re-planned.
        """
        shift = next((s for s in self._shifts.get(worker_id, []) if s.start <= start < s.end), None)
        if shift is None:
            return None
        drive = 0
        if location is not None:
            worker = self.workers[worker_id]
            minutes = self.matrix.minutes if worker.has_car else self.matrix.walk_minutes
            drive = minutes[worker.home][location]
        # time_route lets the volunteer leave lead_min before the shift starts.
        needed = start + self.lead_min - drive
        shift.start = max(shift.opens, min(shift.start, needed))
        self._given.add(shift.id)
        return shift.id

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
        # Every shift the appointment and its drives reach: a slot that begins as the
        # appointment ends ("free from 10:00", agreed to a 9:00 drop-in) is one with it.
        reached = [s for s in mine if s.start < high and low < s.end]
        shift = next((s for s in reached if s.start < start + length and start < s.end), None)
        if shift is None and reached:
            shift = reached[0]
        if shift is None:
            shift = _Draft(
                f"{worker_id}-{day}-pin{start}",
                worker_id,
                day,
                low,
                high,
                worker.home,
                False,
                low,
            )
            mine.append(shift)
        shift.start, shift.end = min(shift.start, low), max(shift.end, high)
        for other in reached:
            if other is not shift and other.id not in self._given:
                # Not yet holding anything: merged into the shift that holds the pin.
                shift.start, shift.end = min(shift.start, other.start), max(shift.end, other.end)
                mine.remove(other)
        others = [s for s in mine if s is not shift]
        floor = max([s.end for s in others if s.end <= start] + [day * 1440])
        ceiling = min([s.start for s in others if s.start >= start + length] + [day * 1440 + 1440])
        shift.start = max(floor, shift.start)
        shift.end = min(ceiling, shift.end)
        # A shift already holding other stops that overlaps the appointment itself (she
        # widened the slots on either side of a visit placed between them) gives way: the
        # appointment was agreed, her other stops may be planned again. Two shifts of one
        # volunteer must never overlap.
        for other in others:
            if other.start < shift.end and shift.start < other.end:
                if other.start < shift.start:
                    other.end = shift.start
                else:
                    other.start = min(shift.end, other.end)
        self._given.add(shift.id)
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
