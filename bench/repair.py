"""How long a dispatcher waits for a repair of the demo week, during the week.

    .venv/bin/python -m bench.repair [--repeat 3] [--time-limit 20] [--solution-limit 50]
        [--unsettled]

Seeds the demo organisation into a temporary SQLite database, plans its coming week and
publishes it, confirms one visit (a pin), then, for each repeat, re-plans the week in keep
mode as on its Tuesday at 8:00 (a repair with nothing new to place): the problem is built
and solved as ``plan_week`` does it. Prints each run's wall time, the stages that took
time (``Plan.stats.stage_wall``), the median, and the load average (the machine is shared).
``--unsettled`` turns off the rule that ends the search of a settled week
(``scheduler/planning/settled.py``), for a side-by-side comparison in one session.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.dispatch.policy import settings_for
from scheduler.dispatch.problem import build_problem
from scheduler.dispatch.replanning import plan_again
from scheduler.dispatch.view import coming_week
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import utcnow
from scheduler.planning import Deadline
from scheduler.planning import ReplanMode
from scheduler.planning import engine as planning_engine

from .publish import demo_organisation
from .publish import seeded_demo


def main() -> None:
    logging.disable(logging.INFO)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument(
        "--solution-limit", type=int, default=0, help="as the tests' settings (they set 50)"
    )
    parser.add_argument(
        "--unsettled",
        action="store_true",
        help="never end the search on a settled week (settled.py), as before that rule",
    )
    options = parser.parse_args()
    if options.unsettled:
        planning_engine.settled = lambda draft, seats: False  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        app = seeded_demo(Path(tmp) / "demo.db")
        with app.app_context():  # type: ignore[attr-defined]
            org = demo_organisation()
            week = coming_week(org, utcnow())
            # The published plan is the same on every run (a solution limit): the repairs
            # start from one plan, with and without the rule.
            repeatable = PlanningSettings.from_config({"time_limit_s": 20.0, "solution_limit": 50})
            first = plan_week(db.session, org, week, settings=repeatable, now=utcnow())
            publish_plan(db.session, first, now=utcnow())
            db.session.commit()
            confirmed = db.session.scalars(
                sa.select(Appointment)
                .where(Appointment.organisation_id == org.id, Appointment.request_id.isnot(None))
                .order_by(Appointment.starts_at.desc())
            ).first()
            assert confirmed is not None
            confirmed.status = AppointmentStatus.CONFIRMED
            db.session.commit()
            zone = ZoneInfo(org.timezone)
            during = datetime.combine(week + timedelta(days=1), datetime.min.time(), zone)
            during += timedelta(hours=8)
            settings = settings_for(
                db.session,
                org.id,
                PlanningSettings.from_config(
                    {"time_limit_s": options.time_limit, "solution_limit": options.solution_limit}
                ),
            )
            walls = []
            for _ in range(options.repeat):
                began = time.perf_counter()
                deadline = Deadline.after(settings.options.time_limit_s)
                built = build_problem(db.session, org, week, settings=settings, now=during)
                built, plan, _base = plan_again(
                    db.session, built, mode=ReplanMode.KEEP, deadline=deadline
                )
                wall = time.perf_counter() - began
                walls.append(wall)
                stages = sorted(plan.stats.stage_wall.items(), key=lambda kv: -kv[1])
                shown = ", ".join(f"{name} {s:.2f}" for name, s in stages[:4])
                seats = sum(v.seats for v in built.problem.visits)
                left = sum(u.seats_missing for u in plan.unassigned)
                print(
                    f"repair wall {wall:.2f} s of {options.time_limit:.0f} s; seats {seats}, "
                    f"left out {left}; objective {plan.stats.objective}; stages: {shown}"
                )
            db.session.remove()
            db.engine.dispose()
    rule = "off" if options.unsettled else "on"
    print(
        f"settled rule {rule}, solution limit {options.solution_limit or 'none'}: "
        f"repair wall median {statistics.median(walls):.2f} s over {options.repeat} runs"
    )
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
