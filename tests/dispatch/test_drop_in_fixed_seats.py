"""A published drop-in with one confirmed seat: re-planning pins that seat, and its other
seats follow the repair mode like any unconfirmed visit."""

from __future__ import annotations

from datetime import time

import pytest

from scheduler.core.extensions import db
from scheduler.dispatch import publish_plan
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AvailabilityWindow
from scheduler.models import Mode
from scheduler.models import Volunteer
from scheduler.planning import ReplanMode

from ..builders import make_request
from ..builders import make_volunteer
from .week_builders import ZONE
from .week_builders import org_of
from .week_builders import plan


@pytest.mark.parametrize(
    ("mode", "frees_the_seat"),
    [(ReplanMode.KEEP, False), (ReplanMode.MOVE_UNCONFIRMED, True), (ReplanMode.FREE, True)],
)
def test_a_confirmed_seat_pins_only_itself_and_the_other_seat_follows_the_mode(
    app, world, week, now, settings, mode, frees_the_seat
):
    """Sylvie and Omar staff Tuesday's 9:00 drop-in; Sylvie's seat is confirmed. Then a
    call in Arabic comes in for Tuesday morning, which only Omar can take, and only if his
    seat goes to Lucie, newly free then. Keep holds every published seat, so the call waits;
    the other modes may move Omar's unconfirmed seat. Sylvie's stays in every mode."""
    with app.app_context():
        org = org_of(world)
        omar = db.session.get(Volunteer, world.other_volunteer_id)
        omar.availability = [AvailabilityWindow(weekday=1, starts=time(9), ends=time(10, 30))]
        db.session.commit()
        draft = plan(world, week, now, settings)
        duties = {v.volunteer_id: v for v in draft.visits if v.site_id is not None}
        assert set(duties) == {world.volunteer_id, world.other_volunteer_id}
        publish_plan(db.session, draft, now=now)
        db.session.commit()
        confirmed = db.session.get(Appointment, duties[world.volunteer_id].appointment_id)
        confirmed.status = AppointmentStatus.CONFIRMED
        lucie = make_volunteer(
            db.session,
            org,
            first_name="Lucie",
            availability=[AvailabilityWindow(weekday=1, starts=time(9), ends=time(12))],
        )
        call = make_request(db.session, org, mode=Mode.PHONE, languages=["ar"], duration_min=45)
        db.session.commit()

        repair = plan(world, week, now, settings, mode)
        seats = {v.volunteer_id: v for v in repair.visits if v.site_id is not None}
        assert world.volunteer_id in seats
        sylvie = seats[world.volunteer_id]
        assert sylvie.starts_at == duties[world.volunteer_id].starts_at
        taken = [v for v in repair.visits if v.request_id == call.id]
        if frees_the_seat:
            assert set(seats) == {world.volunteer_id, lucie.id}
            (placed,) = taken
            assert placed.volunteer_id == world.other_volunteer_id
            assert placed.starts_at.astimezone(ZONE).date().weekday() == 1
        else:
            assert set(seats) == {world.volunteer_id, world.other_volunteer_id}
            assert not taken
            assert [u.request_id for u in repair.unassigned] == [call.id]
