"""The week read from the database becomes the problem the engine is asked to solve."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from scheduler.core.extensions import db
from scheduler.dispatch import SeamReason
from scheduler.dispatch import build_problem
from scheduler.dispatch import plan_week
from scheduler.models import Absence
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import AvailabilityWindow
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Volunteer
from scheduler.planning import Pin
from scheduler.planning import VisitKind
from scheduler.planning import Window

from ..builders import make_request

TUESDAY = 1440
ZONE = ZoneInfo("America/Toronto")


def at(week: date, day: int, hour: int, minute: int = 0) -> datetime:
    wall = datetime.combine(week + timedelta(days=day), time(hour, minute), ZONE)
    return wall.astimezone(UTC)


def build(week, now, settings=None):
    org = db.session.get(Organisation, 1)
    return build_problem(db.session, org, week, now=now, settings=settings)


def shifts_of(built, volunteer_id):
    return [s for s in built.problem.shifts if s.worker_id == f"v{volunteer_id}"]


def test_each_availability_window_becomes_a_shift_from_home(app, world, week, now):
    with app.app_context():
        built = build(week, now)
        (shift,) = shifts_of(built, world.volunteer_id)
        assert (shift.day, shift.start, shift.end) == (1, TUESDAY + 9 * 60, TUESDAY + 12 * 60)
        worker = built.problem.worker(f"v{world.volunteer_id}")
        assert shift.start_location == shift.end_location == worker.home
        assert built.volunteers[shift.id] == world.volunteer_id


def test_absence_removes_the_volunteers_shift_that_day(app, world, week, now):
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        volunteer.availability.append(AvailabilityWindow(weekday=3, starts=time(13), ends=time(17)))
        volunteer.absences.append(
            Absence(first_day=week + timedelta(days=1), last_day=week + timedelta(days=2))
        )
        db.session.commit()
        built = build(week, now)
        assert [s.day for s in shifts_of(built, world.volunteer_id)] == [3]


def test_volunteer_limits_languages_and_car_are_carried(app, world, week, now):
    with app.app_context():
        volunteer = db.session.get(Volunteer, world.other_volunteer_id)
        volunteer.max_km_per_day = 40
        volunteer.max_visits_per_week = 5
        volunteer.walking_km = 1.5
        db.session.commit()
        worker = build(week, now).problem.worker(f"v{world.other_volunteer_id}")
        assert worker.languages == frozenset({"ar", "fr"})
        assert worker.has_car is False
        assert worker.walking_limit_km == 1.5
        assert (worker.max_km_per_day, worker.max_visits_per_week) == (40.0, 5)


def test_request_grid_codes_become_windows_and_its_place_a_location(app, world, week, now):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(
            db.session,
            org,
            availability=["tue-am", "thu-pm"],
            lat=45.8,
            lon=-72.4,
            duration_min=90,
            priority=3,
        )
        db.session.commit()
        built = build(week, now)
        visit = next(v for v in built.problem.visits if v.id == f"r{request.id}")
        assert visit.kind is VisitKind.HOME
        assert visit.windows == (
            Window(TUESDAY + 540, TUESDAY + 720),
            Window(3 * 1440 + 780, 3 * 1440 + 1020),
        )
        place = built.problem.locations[visit.location]
        assert (place.lat, place.lon) == (45.8, -72.4)
        assert (visit.duration_min, visit.priority) == (90, 3)
        assert built.sources[visit.id].request_id == request.id


def test_required_language_is_the_only_language_carried(app, world, week, now):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        strict = make_request(db.session, org, languages=["ar", "fr"], required_language="ar")
        either = make_request(
            db.session, org, languages=["ar", "fr"], mode=Mode.PHONE, address=None
        )
        db.session.commit()
        visits = {v.id: v for v in build(week, now).problem.visits}
        assert visits[f"r{strict.id}"].languages == frozenset({"ar"})
        assert visits[f"r{either.id}"].languages == frozenset({"ar", "fr"})
        assert visits[f"r{either.id}"].kind is VisitKind.PHONE
        assert visits[f"r{either.id}"].location is None


def test_confirmed_appointment_becomes_a_pin_on_its_volunteer_and_time(app, world, week, now):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org, availability=["wed-pm"])
        db.session.add(
            Appointment(
                organisation=org,
                kind=Mode.HOME,
                request=request,
                volunteer_id=world.volunteer_id,
                starts_at=at(week, 1, 10),
                ends_at=at(week, 1, 11),
                status=AppointmentStatus.CONFIRMED,
            )
        )
        db.session.commit()
        built = build(week, now)
        visit = next(v for v in built.problem.visits if v.id == f"r{request.id}")
        (shift,) = shifts_of(built, world.volunteer_id)
        assert visit.pins == (Pin(shift.id, TUESDAY + 600),)
        assert visit.windows == (Window(TUESDAY + 600, TUESDAY + 660),)
        assert (visit.id, 0) in built.pinned


def test_confirmed_visit_of_an_absent_volunteer_is_offered_to_others_at_its_time(
    app, world, week, now
):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org)
        volunteer = db.session.get(Volunteer, world.volunteer_id)
        volunteer.absences.append(Absence(first_day=week, last_day=week + timedelta(days=6)))
        db.session.add(
            Appointment(
                organisation=org,
                kind=Mode.HOME,
                request=request,
                volunteer=volunteer,
                starts_at=at(week, 1, 10),
                ends_at=at(week, 1, 11),
                status=AppointmentStatus.CONFIRMED,
            )
        )
        db.session.commit()
        built = build(week, now)
        assert built.left_out == ()
        visit = next(v for v in built.problem.visits if v.id == f"r{request.id}")
        # Not pinned to the absent volunteer: anyone free may take it, at the agreed time.
        assert visit.pins == ()
        assert visit.windows == (Window(TUESDAY + 600, TUESDAY + 660),)
        assert built.reassigned == {visit.id: world.volunteer_id}


def test_a_confirmed_visit_nobody_else_can_take_says_its_volunteer_is_away(
    app, world, week, now, settings
):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org)
        for volunteer_id in (world.volunteer_id, world.other_volunteer_id):
            volunteer = db.session.get(Volunteer, volunteer_id)
            volunteer.absences.append(Absence(first_day=week, last_day=week + timedelta(days=6)))
        db.session.add(
            Appointment(
                organisation=org,
                kind=Mode.HOME,
                request=request,
                volunteer_id=world.volunteer_id,
                starts_at=at(week, 1, 10),
                ends_at=at(week, 1, 11),
                status=AppointmentStatus.CONFIRMED,
            )
        )
        db.session.commit()
        draft = plan_week(db.session, org, week, settings=settings, now=now)
        assert [(u.request_id, u.reason) for u in draft.unassigned if u.request_id] == [
            (request.id, SeamReason.VOLUNTEER_ABSENT)
        ]
        assert draft.stats["left_out_by_reason"] == {SeamReason.VOLUNTEER_ABSENT: 1}


def test_drop_in_opening_needs_its_number_of_volunteers_at_the_site(app, world, week, now):
    with app.app_context():
        built = build(week, now)
        (visit,) = [v for v in built.problem.visits if v.kind is VisitKind.DROP_IN]
        assert visit.staff_needed == 2
        assert visit.windows == (Window(TUESDAY + 540, TUESDAY + 600),)
        assert built.sources[visit.id].site_id == world.site_id


def test_times_already_past_are_not_planned(app, world, week):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org, availability=["mon-am"])
        db.session.commit()
        built = build(week, at(week, 2, 8))
        assert shifts_of(built, world.volunteer_id) == []
        assert [(x.request_id, x.reason) for x in built.left_out] == [
            (request.id, SeamReason.NO_TIME_THIS_WEEK)
        ]
