"""A volunteer who removes a time slot is told which planned visits it takes away, week by
week, and the dispatcher's plan of each week counts the very same visits."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from scheduler.core.extensions import db
from scheduler.dispatch import publish_plan
from scheduler.dispatch.alerts import week_alerts
from scheduler.models import Plan
from scheduler.models import Role
from scheduler.models import Volunteer

from ..builders import make_request
from ..people.factories import week_form
from .week_builders import ZONE
from .week_builders import org_of
from .week_builders import placed_by_hand_on_tuesday_at_two
from .week_builders import plan


def test_removing_a_slot_counts_the_visits_of_each_week_as_the_dispatchers_plan_does(
    app, client, auth, world, week, now, settings, busy_week, dispatcher_user
):
    """Sylvie's Tuesday morning holds her drop-in duty in the week of 4 March and a visit
    and her duty the week after; the dispatcher also agreed a Tuesday 14:00 visit with her
    by hand, outside her slots. She removes her Tuesday morning. Her page used to say four
    visits leave, with no week, while the plan of 4 March said one: it counted the other
    week's and the one agreed outside her slots, which removing a slot does not touch."""
    with app.app_context():
        draft, _stop, _tuesday = placed_by_hand_on_tuesday_at_two(
            world, week, now, settings, dispatcher_user
        )
        publish_plan(db.session, draft, now=now)
        make_request(db.session, org_of(world), availability=["tue-am"], duration_min=45)
        db.session.commit()
        later = plan(world, week + timedelta(days=7), now, settings)
        publish_plan(db.session, later, now=now)
        db.session.commit()
        plans = {week: draft.id, week + timedelta(days=7): later.id}

    auth.login_as(Role.VOLUNTEER)
    data = week_form((1, "09:00", "12:00", "remove"), (3, "09:00", "12:00"))
    response = client.post("/me/availability", data=data)

    page = html.unescape(response.get_data(True))

    warning = " ".join(page[page.index('id="week-warning"') :].split())
    said = {
        day: int(num)
        for day, num in re.findall(r"Semaine du lundi (\d+ mars) 2030 : (\d+) visites?", warning)
    }
    assert said == {"4 mars": 1, "11 mars": 2}
    assert warning.startswith('id="week-warning"> <h2>3 visites prévues sortent de ces plages')
    assert "14 h" not in warning[: warning.index("</div>")]

    with app.app_context():
        sylvie = db.session.get(Volunteer, world.volunteer_id)
        sylvie.availability = [w for w in sylvie.availability if w.weekday != 1]
        db.session.commit()
        counted = {
            f"{monday.day} mars": week_alerts(db.session, db.session.get(Plan, pid), ZONE).affected
            for monday, pid in plans.items()
        }
    assert counted == said
