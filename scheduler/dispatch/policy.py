"""An organisation's planning policy: lead time, time grids and hard deadlines.

The engine's :class:`~scheduler.planning.Options` come from ``[PLANNING]``; these four
are the organisation's own (a dispatcher sets them), and override the file's values for
every run, re-plan and check of that organisation, so the engine, the checker and the
reasons all read the same rules.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..core.inserts import insert_for
from ..core.validation import InputRefused
from ..models import Organisation
from ..models import PlanningPolicy
from ..models.running import DEFAULT_DROPIN_GRID_MIN
from ..models.running import DEFAULT_LEAD_MIN
from ..models.running import DEFAULT_TIME_GRID_MIN
from ..planning import Options
from .settings import PlanningSettings

#: A drive before availability opens of at most two hours.
LEAD_RANGE = (0, 120)
#: Grids a person reads without effort: every minute up to every hour.
GRIDS = (1, 5, 10, 15, 20, 30, 60)


@dataclass(frozen=True, slots=True)
class Policy:
    """The organisation's rules as the form and the engine see them."""

    lead_min: int = DEFAULT_LEAD_MIN
    time_grid_min: int = DEFAULT_TIME_GRID_MIN
    dropin_grid_min: int = DEFAULT_DROPIN_GRID_MIN
    hard_deadlines: bool = False

    def options(self, options: Options) -> Options:
        """``options`` with this organisation's rules."""
        return dataclasses.replace(
            options,
            lead_min=self.lead_min,
            time_grid_min=self.time_grid_min,
            dropin_grid_min=self.dropin_grid_min,
            hard_deadlines=self.hard_deadlines,
        )


def policy_of(session: Session, organisation_id: int) -> Policy:
    """The organisation's policy (the defaults when it never set one)."""
    row = session.scalar(
        sa.select(PlanningPolicy).where(PlanningPolicy.organisation_id == organisation_id)
    )
    if row is None:
        return Policy()
    return Policy(row.lead_min, row.time_grid_min, row.dropin_grid_min, row.hard_deadlines)


def settings_for(
    session: Session, organisation_id: int, settings: PlanningSettings
) -> PlanningSettings:
    """``settings`` with the organisation's policy applied to the engine's options."""
    policy = policy_of(session, organisation_id)
    return dataclasses.replace(settings, options=policy.options(settings.options))


def save_policy(
    session: Session, organisation: Organisation, policy: Policy, *, now: datetime
) -> Policy:
    """Check and store the organisation's policy; commit.

    :raises InputRefused: naming the field out of range.
    """
    low, high = LEAD_RANGE
    if not low <= policy.lead_min <= high:
        raise InputRefused("lead_min", "lead_min", low=low, high=high)
    for name in ("time_grid_min", "dropin_grid_min"):
        if getattr(policy, name) not in GRIDS:
            raise InputRefused(name, "grid", choices=", ".join(map(str, GRIDS)))
    mine = sa.select(PlanningPolicy).where(PlanningPolicy.organisation_id == organisation.id)
    row = session.scalar(mine)
    if row is None:
        # The organisation's first rules: one INSERT that yields to a row another save
        # made a moment ago (a double click), which this save then overwrites.
        session.execute(
            insert_for(session)(PlanningPolicy)
            .values(organisation_id=organisation.id, updated_at=now)
            .on_conflict_do_nothing(index_elements=[PlanningPolicy.organisation_id])
        )
        row = session.scalars(mine).one()
    row.lead_min = policy.lead_min
    row.time_grid_min = policy.time_grid_min
    row.dropin_grid_min = policy.dropin_grid_min
    row.hard_deadlines = policy.hard_deadlines
    row.updated_at = now
    session.commit()
    return policy
