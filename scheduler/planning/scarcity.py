"""The price of a volunteer's scarce work minutes, for choosing where a seat goes.

In a real week most volunteers stop at their weekly work minutes (visits plus travel), not
at their count of visits. The objective prices a minute of road at one point, a request left
out at ten thousand: so cheapest insertion sends a seat to the volunteer whose route it
lengthens least, even when that volunteer has almost no minutes left and another, with
minutes to spare, could take it for a few more kilometres. The minutes spent there are then
missing for a request only that volunteer could serve. A long run finds the better
arrangement (the volunteers at their minutes drive less and serve more; ``docs/planning.md``,
2 December 2026); ruin and recreate gets there sooner when, among the places of a seat, the
work minutes of a volunteer near their weekly limit are charged at a price.

The price only ranks a seat's places; whether a seat is worth placing at all, and whether a
step is kept, is still decided by the week's objective.
"""

from __future__ import annotations

from scheduler.planning.draft import Draft
from scheduler.planning.problem import Shift
from scheduler.planning.schedule import Timing

PRICE = 0
"""Units per work minute of a volunteer at the weekly limit (0 leaves the ranking alone)."""
FROM = 0.7
"""The share of the weekly work minutes from which they are priced, rising linearly from 0
there to ``PRICE`` at the limit."""


def surcharge(draft: Draft, shift: Shift, timing: Timing) -> int:
    """What the work minutes a new timing of ``shift`` adds cost at the volunteer's price."""
    if PRICE <= 0:
        return 0
    worker = draft.idx.worker_of(shift)
    cap = worker.max_work_min_per_week
    if not cap:
        return 0
    extra = timing.work_min - draft.timings[shift.id].work_min
    if extra <= 0:
        return 0
    tight = (draft.totals(worker.id, None, "")[1] + extra) / cap
    if tight <= FROM:
        return 0
    return int(PRICE * extra * min(1.0, (tight - FROM) / (1.0 - FROM)))
