"""The figures on the seeded demo, computed again here in plain Python over the raw rows.

The demo holds twelve past weeks of requests, published plans, visits and drop-ins; each
figure of the dashboard must match what a direct reading of the tables gives.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.demo import seed_demo
from scheduler.models import Appointment
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanUnassigned
from scheduler.observatory import Scope
from scheduler.observatory import build_dashboard
from scheduler.requests.retention import erase_expired

NOW = datetime(2026, 5, 20, 14, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Toronto")
PERIOD = Scope(date(2026, 1, 1), date(2026, 6, 30))


def by_hand(session, org):
    """Outcome by request id, waits, and reasons, read straight from the tables."""
    starts = datetime(2026, 1, 1, tzinfo=ZONE)
    ends = datetime(2026, 7, 1, tzinfo=ZONE)
    requests = [
        r
        for r in session.scalars(
            sa.select(HelpRequest).where(HelpRequest.organisation_id == org.id)
        )
        if starts <= r.created_at < ends and r.merged_into_id is None
    ]
    published = {p.id for p in session.scalars(sa.select(Plan)) if p.status.value == "published"}
    plans = {p.id: p for p in session.scalars(sa.select(Plan))}
    left: dict[int, tuple[date, int, str]] = {}
    for u in session.scalars(sa.select(PlanUnassigned)):
        if u.plan_id in published and u.request_id is not None:
            key = (plans[u.plan_id].week_start, u.id, u.reason)
            if u.request_id not in left or key > left[u.request_id]:
                left[u.request_id] = key
    outcome = {}
    for r in requests:
        s = r.status.value
        if s in ("cancelled", "no_show"):
            outcome[r.id] = s
        elif s in ("planned", "confirmed", "done"):
            outcome[r.id] = "served"
        else:
            outcome[r.id] = "left_out" if r.id in left else "waiting"
    waits = []
    for r in requests:
        times = [
            a.starts_at
            for a in session.scalars(sa.select(Appointment).where(Appointment.request_id == r.id))
            if a.status.value != "cancelled"
        ]
        if times:
            waits.append(max(0.0, (min(times) - r.created_at).total_seconds() / 86400))
    reasons = Counter(left[i][2] for i, o in outcome.items() if o == "left_out")
    return requests, outcome, waits, reasons


def test_dashboard_matches_a_direct_reading_of_the_demo(app):
    with app.app_context():
        seed_demo(db.session, now=NOW)
        org = db.session.scalar(sa.select(Organisation))
        dash = build_dashboard(db.session, org, PERIOD, today=NOW.date())
        requests, outcome, waits, reasons = by_hand(db.session, org)
        towns = Counter(r.municipality.name for r in requests)

    assert len(requests) > 150
    assert dash.total.received == len(requests)
    assert dict(dash.total.outcomes) == dict(Counter(outcome.values()))
    for name in ("served", "waiting", "left_out", "cancelled"):
        assert dash.total[name] > 0, name

    assert {t.key: t.received for t in dash.by_municipality} == dict(towns)
    languages = Counter(code for r in requests for code in set(r.languages))
    assert {t.key: t.received for t in dash.by_language} == dict(languages)
    arabic_left_out = sum(
        1 for r in requests if "ar" in r.languages and outcome[r.id] == "left_out"
    )
    assert {t.key: t["left_out"] for t in dash.by_language}["ar"] == arabic_left_out

    ranked = Counter()
    for line in dash.reasons:
        ranked[line.reason] += line.requests
    assert ranked == reasons
    assert dash.reasons[0].reason == "no_language_match"
    assert dash.reasons[0].detail["languages"] == ["ar"]

    ordered = sorted(waits)
    assert dash.waiting.requests == len(waits)
    assert dash.waiting.median_days == round(statistics.median(waits), 1)
    assert dash.waiting.p90_days == round(ordered[math.ceil(0.9 * len(ordered)) - 1], 1)


def test_statistics_survive_the_retention_purge(app):
    with app.app_context():
        seed_demo(db.session, now=NOW)
        org = db.session.scalar(sa.select(Organisation))
        before = build_dashboard(db.session, org, PERIOD, today=NOW.date())
        assert erase_expired(db.session, NOW + timedelta(days=org.retention_days + 200)) > 0
        db.session.commit()
        erased = db.session.scalars(
            sa.select(HelpRequest).where(HelpRequest.status.in_(["done", "cancelled"]))
        ).all()
        assert all(r.beneficiary_id is None and r.address is None for r in erased)
        after = build_dashboard(db.session, org, PERIOD, today=NOW.date())
    assert after.total == before.total
    assert after.by_municipality == before.by_municipality
    assert after.by_language == before.by_language
    assert after.reasons == before.reasons
    assert after.waiting == before.waiting
