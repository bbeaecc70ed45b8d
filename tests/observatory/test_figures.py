"""The dashboard's figures on the hand-built month, each one counted by hand."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Organisation
from scheduler.models import VisitReport
from scheduler.models.reports import DONE
from scheduler.models.reports import NO_SHOW
from scheduler.observatory import Scope
from scheduler.observatory import build_dashboard
from scheduler.observatory.figures import percentile

from .conftest import MARCH
from .conftest import TODAY


def dashboard(app, month, scope: Scope = MARCH):
    with app.app_context():
        org = db.session.get(Organisation, month.org_id)
        return build_dashboard(db.session, org, scope, today=TODAY)


def test_totals_count_each_request_of_the_month_once_by_outcome(app, month):
    t = dashboard(app, month).total
    assert t.received == 9
    assert dict(t.outcomes) == {
        "served": 2,
        "waiting": 2,
        "left_out": 3,
        "cancelled": 1,
        "no_show": 1,
    }


def test_figures_by_municipality(app, month):
    lines = {t.key: (t.received, dict(t.outcomes)) for t in dashboard(app, month).by_municipality}
    assert lines == {
        "Drummondville": (4, {"served": 2, "left_out": 2}),
        "Wickham": (3, {"left_out": 1, "waiting": 2}),
        "L'Avenir": (2, {"cancelled": 1, "no_show": 1}),
    }


def test_a_request_in_two_languages_counts_under_each(app, month):
    lines = {t.key: (t.received, t["left_out"]) for t in dashboard(app, month).by_language}
    assert lines == {"fr": (7, 2), "ar": (2, 2), "es": (1, 0)}


def test_figures_by_mode_and_need(app, month):
    d = dashboard(app, month)
    assert {t.key: t.received for t in d.by_mode} == {"home": 6, "phone": 2, "dropin": 1}
    assert {t.key: t.received for t in d.by_need} == {
        "email": 5,
        "smartphone": 2,
        "public_services": 1,
        "video_calls": 1,
        "job_search": 1,
    }


def test_reasons_are_ranked_with_the_language_and_day_that_is_missing(app, month):
    reasons = [(r.reason, r.detail, r.requests) for r in dashboard(app, month).reasons]
    assert reasons == [
        ("no_language_match", {"languages": ["ar"], "days": [1]}, 2),
        # The km of one request does not split the line: only the reason is kept.
        ("beyond_km_limit", {}, 1),
    ]


def test_a_draft_plan_leaving_a_request_out_does_not_make_it_left_out(app, month):
    d = dashboard(app, month)
    assert all(r.reason != "capacity" for r in d.reasons)
    assert {t.key: t["waiting"] for t in d.by_municipality}["Wickham"] == 2


def test_waiting_time_median_and_90th_percentile(app, month):
    d = dashboard(app, month)
    # r7 waited 1 day, r1 2 days (its cancelled first time does not count), r6 7 days.
    assert (d.waiting.requests, d.waiting.median_days, d.waiting.p90_days) == (3, 2.0, 7.0)
    weeks = {w.monday.isoformat(): (w.requests, w.median_days) for w in d.waiting_weeks}
    assert weeks["2026-03-02"] == (1, 2.0)
    assert weeks["2026-03-09"] == (2, 4.0)
    assert weeks["2026-03-16"] == (0, None)
    assert min(weeks) == "2026-02-23" and max(weeks) == "2026-03-30"


def test_percentile_is_nearest_rank():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert percentile([5.0], 90) == 5.0
    assert percentile([3, 1, 2], 50) == 2
    with pytest.raises(ValueError):
        percentile([], 90)


def test_hours_use_the_plans_day_totals_and_skip_cancelled_appointments(app, month, world):
    d = dashboard(app, month)
    hours = {h.volunteer_id: h for h in d.hours}
    sylvie = hours[world.volunteer_id]
    assert (sylvie.visits, sylvie.help_min, sylvie.travel_min, sylvie.km) == (1, 60, 30, 25.0)
    omar = hours[world.other_volunteer_id]
    assert (omar.calls, omar.dropin_shifts, omar.help_min, omar.km) == (1, 1, 90, 0.0)
    assert (d.hours_total.help_min, d.hours_total.km) == (150, 25.0)
    assert d.reports_available is False


def test_drop_in_attendance_against_capacity(app, month):
    (line,) = dashboard(app, month).attendance
    # Five Tuesdays in March 2026, two workstations each; r7 booked and came.
    assert (line.sessions, line.capacity, line.booked, line.attended, line.no_show) == (
        5,
        10,
        1,
        1,
        0,
    )


def test_unmet_demand_per_thousand_inhabitants(app, month):
    demand = {d.place.name: (d.unmet, d.per_thousand) for d in dashboard(app, month).demand}
    assert demand["Wickham"] == (3, round(3 * 1000 / 2600, 2))
    assert demand["Drummondville"] == (2, round(2 * 1000 / 68601, 2))
    assert demand["L'Avenir"] == (0, None)


def test_filters_narrow_to_a_municipality_and_to_a_site(app, month, world):
    wickham = Scope(MARCH.first, MARCH.last, municipality_id=world.municipality_ids["Wickham"])
    assert dashboard(app, month, wickham).total.received == 3
    site = Scope(MARCH.first, MARCH.last, site_id=world.site_id)
    d = dashboard(app, month, site)
    assert (d.total.received, d.total["served"]) == (1, 1)


def test_visit_reports_replace_the_planned_minutes_and_km(app, month, world):
    """Sylvie reports her visit done in 45 minutes with 31.5 km driven; Omar reports his
    call a no-show. Their figures follow the reports; nothing else moves."""
    with app.app_context():
        appointments = db.session.scalars(
            sa.select(Appointment).where(
                Appointment.organisation_id == month.org_id,
                Appointment.status.in_([AppointmentStatus.DONE, AppointmentStatus.NO_SHOW]),
            )
        ).all()
        for appointment in appointments:
            done = appointment.status is AppointmentStatus.DONE
            db.session.add(
                VisitReport(
                    organisation_id=month.org_id,
                    appointment_id=appointment.id,
                    volunteer_id=appointment.volunteer_id,
                    outcome=DONE if done else NO_SHOW,
                    minutes_spent=45 if done else None,
                    km_driven=31.5 if done else None,
                    visit_at=appointment.starts_at,
                )
            )
        db.session.commit()
    d = dashboard(app, month)
    hours = {h.volunteer_id: h for h in d.hours}
    sylvie = hours[world.volunteer_id]
    assert (sylvie.visits, sylvie.help_min, sylvie.km, sylvie.reported) == (1, 45, 31.5, 1)
    omar = hours[world.other_volunteer_id]
    # The no-show call counts no minutes helping; the drop-in shift keeps its 60.
    assert (omar.calls, omar.help_min, omar.reported) == (1, 60, 1)
    assert d.reports_available is True
