"""One planning run, one deadline: made when the run starts, handed to the engine."""

from __future__ import annotations

import time

from scheduler.core.extensions import db
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import plan_week
from scheduler.dispatch import replanning as run_module
from scheduler.models import Organisation
from scheduler.planning import Deadline

from ..builders import make_request


def test_the_run_hands_the_engine_one_deadline_set_from_the_time_limit(
    app, world, week, now, monkeypatch
):
    seen: list[Deadline | None] = []
    real_solve = run_module.solve

    def solve(problem, initial=None, *, repair=True, deadline=None, on_better=None):
        seen.append(deadline)
        return real_solve(problem, initial, repair=repair, deadline=deadline, on_better=on_better)

    monkeypatch.setattr(run_module, "solve", solve)
    settings = PlanningSettings.from_config({"time_limit_s": 3.0, "solution_limit": 20})
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        make_request(db.session, org, availability=["tue-am"])
        db.session.commit()
        began = time.monotonic()
        plan_week(db.session, org, week, settings=settings, now=now)
    (deadline,) = seen
    assert isinstance(deadline, Deadline)
    # Made when the run began, from [PLANNING] time_limit_s: no second reading of seconds.
    assert began + 3.0 <= deadline.at <= began + 3.0 + 0.5
