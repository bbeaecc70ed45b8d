"""When a re-planned small week has nothing left to gain: the search stops there.

A repair of a published week holds most of its seats where they were (pins), and its
left-out seats are mostly refused by every shift that could take them (a cap is full, the
window has passed). Ruin and recreate then converges within its window and the OR-Tools
tightening finds nothing either, yet the tightening ran to its time guard, three rounds in
a row (with a solution limit, half of the time left each time: OR-Tools counts solutions it
never finds). On the demo week that was about 14 s of a 20 s repair spent for nothing.

The rule (``engine._search``): when re-planning a small week (an initial plan, at most
``GLOBAL_SEATS`` seats), a round whose ruin and recreate ended by its convergence window
(not by the clock) and brought no better plan ends the search if the week is *settled*:
every seat is placed, or every candidate shift refuses it for a rule or a cap as the plan
stands, which is the reason the final repair gives. No tightening runs then.
"""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.planning.draft import Draft
from scheduler.planning.solver import Seat


def settled(draft: Draft, seats: Sequence[Seat]) -> bool:
    """True when every seat is placed or refused by each of its candidate shifts.

    Asked through the draft's cached insertion checks, which the final repair reuses.
    """
    shifts = draft.idx.shifts
    for seat in seats:
        if (seat.task[0].id, seat.task[1]) in draft.where:
            continue
        for sid in seat.shifts:
            if not isinstance(draft.try_insert(seat.task, shifts[sid]), str):
                return False
    return True
