"""A dispatcher runs the demo week in Chromium: plan, publish, a volunteer's day off, the
repair, a visit moved by hand, the difference list, publish again, and the volunteer's
calendar feed read back with the project's iCalendar parser.

Planning is the real engine on the demo organisation (with a short time limit).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.demo.seed import DEMO_PASSWORD
from scheduler.demo.seed import seed_demo
from scheduler.dispatch import PlanningSettings
from scheduler.dispatch import plan_week
from scheduler.dispatch import publish_plan
from scheduler.models import Absence
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import HelpRequest
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlannedVisit
from scheduler.models import PlanStatus
from scheduler.models import Volunteer
from scheduler.models import utcnow
from tests.calendars.builders import volunteer_link
from tests.calendars.parsers import by_uid
from tests.calendars.parsers import read_with_ical

from .conftest import DESKTOP
from .conftest import PHONE
from .conftest import axe_violations
from .conftest import describe
from .conftest import screenshot
from .steps import sign_in

pytestmark = pytest.mark.browser

ZONE = ZoneInfo("America/Toronto")
DISPATCHER = "repartition@escouade.demo"


@pytest.fixture
def app(make_app):
    """The demo organisation, planned with a short time limit."""
    app = make_app(PLANNING={"time_limit_s": 5.0})
    with app.app_context():
        seed_demo(db.session)
        db.session.commit()
    return app


def latest(status: PlanStatus) -> Plan:
    return db.session.scalars(
        sa.select(Plan).where(Plan.status == status).order_by(Plan.id.desc())
    ).first()


def busiest_volunteer_day(plan: Plan) -> tuple[Volunteer, object, int]:
    """The volunteer with a login and the most published stops on one day."""
    counts: Counter[tuple[int, object]] = Counter()
    for stop in plan.visits:
        if stop.volunteer_id is not None:
            counts[(stop.volunteer_id, stop.starts_at.astimezone(ZONE).date())] += 1
    for (volunteer_id, day), count in counts.most_common():
        volunteer = db.session.get(Volunteer, volunteer_id)
        if volunteer.user is not None and count >= 2:
            return volunteer, day, count
    raise AssertionError("no volunteer with a login has two stops on one day")


def last_home_stop_of_someone_else(draft: Plan, away: int) -> PlannedVisit:
    # Not a confirmed one: a hand move of those is refused unless overridden.
    stops = [
        s
        for s in draft.visits
        if s.request_id and not s.pinned and s.volunteer_id not in (None, away)
    ]
    by_day: dict[tuple[int, object], list[PlannedVisit]] = {}
    for s in stops:
        by_day.setdefault((s.volunteer_id, s.starts_at.astimezone(ZONE).date()), []).append(s)
    day = max(by_day.values(), key=len)
    return max(day, key=lambda s: s.starts_at)


def check_axe(page, name):
    found = axe_violations(page)
    assert not found, f"{name}: {describe(found)}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


def publish(desk: Page) -> None:
    """Click "Publier" and wait for the published page.

    The test app's task queue is "immediate": the ~90 messages a publication of the demo
    week queues are sent inside the request (production hands them to a worker as one run),
    so on a busy machine the answer takes longer than Playwright's default 15 s.
    """
    with desk.expect_navigation(timeout=90_000):
        desk.get_by_role("button", name="Publier").click()
    expect(desk.locator(".plan-status")).to_contain_text("Publié")


def test_dispatcher_runs_the_week_from_plan_to_repair_to_feed(app, open_page, live_server):
    desk = open_page(viewport=DESKTOP, bypass_csp=True)
    sign_in(desk, DISPATCHER, DEMO_PASSWORD)
    desk.goto("/dispatch/plans")
    desk.get_by_role("button", name="Planifier cette semaine").click()
    expect(desk.locator(".plan-status")).to_contain_text("Brouillon", timeout=60_000)
    publish(desk)

    with app.app_context():
        published = latest(PlanStatus.PUBLISHED)
        volunteer, day, count = busiest_volunteer_day(published)
        email, name = volunteer.user.email, volunteer.full_name

    # The volunteer enters a day off over their published visits: warned, then confirms.
    phone = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(phone, email, DEMO_PASSWORD)
    phone.goto("/me/absences")
    phone.get_by_label("Premier jour d'absence").fill(day.isoformat())
    phone.get_by_role("button", name="Ajouter cette absence").click()
    warning = phone.get_by_role("alert")
    expect(warning).to_contain_text(f"{count} visites ce jour-là seront confiées")
    screenshot(phone, "running-absence-warning-phone")
    check_axe(phone, "absence warning")
    phone.get_by_role("button", name="Confirmer ces jours d'absence").click()
    expect(phone.get_by_role("alert")).to_have_count(0)
    with app.app_context():
        assert db.session.get(Volunteer, volunteer.id).is_absent_on(day)

    # The dispatcher sees the week flagged and asks for the repair.
    desk.reload()
    flagged = desk.get_by_role("region", name="Depuis la publication de cette semaine")
    expect(flagged).to_contain_text(f"{name} est absent·e")
    flagged.get_by_role("button", name="Proposer une réparation").click()
    changes = desk.get_by_role("region", name="Changements par rapport au plan publié")
    expect(changes).to_be_visible(timeout=60_000)
    with app.app_context():
        draft = latest(PlanStatus.DRAFT)
        lost = {
            s.request_id
            for s in published.visits
            if s.volunteer_id == volunteer.id and s.starts_at.astimezone(ZONE).date() == day
        }
        for stop in draft.visits:
            if stop.volunteer_id == volunteer.id:
                assert stop.starts_at.astimezone(ZONE).date() != day
        # Each visit of that day is placed again or left out with a reason: none vanishes.
        accounted = {s.request_id for s in draft.visits} | {u.request_id for u in draft.unassigned}
        assert lost <= accounted
        moving = last_home_stop_of_someone_else(draft, volunteer.id)
        stop_id, request_id = moving.id, moving.request_id
        reference = db.session.get(HelpRequest, request_id).reference
        old_start = moving.starts_at.astimezone(ZONE)
        mover_id = moving.volunteer_id
    new_start = old_start + timedelta(minutes=30)

    # Move one visit by hand, 30 minutes later; confirm if a rule is broken.
    desk.locator(f'a[href$="/stops/{stop_id}"]').click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Modifier une visite")
    desk.get_by_label("Heure de début").fill(new_start.strftime("%H:%M"))
    # Wait for the answer before asking what it says: the rules page or the plan page.
    with desk.expect_navigation(timeout=60_000):
        desk.get_by_role("button", name="Enregistrer ce changement").click()
    if desk.get_by_role(
        "heading", name="Ce changement enfreint des règles de planification"
    ).count():
        screenshot(desk, "running-edit-rules-desktop")
        check_axe(desk, "edit page with broken rules")
        desk.get_by_label("J'ai lu les règles ci-dessus").check()
        with desk.expect_navigation(timeout=60_000):
            desk.get_by_role("button", name="Enregistrer ce changement").click()
    expect(desk.locator(".flash--success")).to_contain_text("Enregistré")

    # The difference list says what moves, what is dropped and whom to tell.
    changes = desk.get_by_role("region", name="Changements par rapport au plan publié")
    expect(changes.locator(".change--retimed, .change--moved").first).to_be_visible()
    # The new time as the page writes it: "14 h", "14 h 30" (non-breaking spaces).
    minutes = rf"\s*{new_start.minute:02d}" if new_start.minute else r"(?!\s*\d)"
    said = re.compile(rf"{new_start.hour}\s*h{minutes}")
    retimed = changes.locator(".change").filter(has_text=reference).filter(has_text=said)
    expect(retimed.first).to_be_visible()
    expect(changes.get_by_role("table")).to_contain_text(name)
    screenshot(desk, "running-changes-desktop")
    check_axe(desk, "plan page with changes")
    desk.set_viewport_size(PHONE)
    screenshot(desk, "running-changes-phone")
    check_axe(desk, "plan page with changes, phone")
    desk.set_viewport_size(DESKTOP)

    publish(desk)
    expect(desk.get_by_role("region", name="Depuis la publication de cette semaine")).to_have_count(
        0
    )

    # The volunteer's calendar shows the moved visit at its new time.
    with app.app_context():
        appointment = db.session.scalars(
            sa.select(Appointment).where(
                Appointment.request_id == request_id,
                Appointment.status.in_((AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)),
            )
        ).one()
        assert appointment.volunteer_id == mover_id
        uid = appointment.uid
        link = volunteer_link(db.session, db.session.get(Volunteer, mover_id))
        db.session.commit()
    response = desk.request.get(f"{live_server}{link}")
    assert response.status == 200
    event = by_uid(read_with_ical(response.body()))[uid]
    assert event["start"] == new_start.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert re.match(r"\d+", str(event["sequence"]))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_running_week_pages_pass_axe_and_fit_the_screen(app, open_page, viewport):
    settings = PlanningSettings().with_limits(time_limit_s=3)
    with app.app_context():
        org = db.session.scalars(
            sa.select(Organisation).where(Organisation.slug == "drummond")
        ).one()
        today = utcnow().astimezone(ZONE).date()
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        publish_plan(
            db.session,
            plan_week(db.session, org, monday, settings=settings, now=utcnow()),
            now=utcnow(),
        )
        volunteer, day, _count = busiest_volunteer_day(latest(PlanStatus.PUBLISHED))
        volunteer.absences.append(Absence(first_day=day, last_day=day))
        db.session.commit()
        draft = plan_week(db.session, org, monday, settings=settings, now=utcnow())
        stop = last_home_stop_of_someone_else(draft, volunteer.id)
        left = next((u.request_id for u in draft.unassigned if u.request_id), None)
        odd = (stop.starts_at.astimezone(ZONE) + timedelta(minutes=7)).strftime("%H:%M")
        draft_id, stop_id = draft.id, stop.id
    name = "phone" if viewport == PHONE else "desktop"
    page = open_page(viewport=viewport, bypass_csp=True)
    sign_in(page, DISPATCHER, DEMO_PASSWORD)
    page.goto("/dispatch/plans")
    expect(
        page.get_by_role("region", name="Changements par rapport au plan publié")
    ).to_be_visible()
    check_axe(page, "plan page")
    page.goto(f"/dispatch/plans/{draft_id}/stops/{stop_id}")
    check_axe(page, "edit page")
    page.get_by_label("Heure de début").fill(odd)
    page.get_by_role("button", name="Enregistrer ce changement").click()
    expect(page.get_by_role("alert")).to_contain_text("grille horaire")
    screenshot(page, f"running-edit-rules-{name}")
    check_axe(page, "edit page, rules broken")
    if left is not None:
        page.goto(f"/dispatch/plans/{draft_id}/requests/{left}/assign")
        expect(page.get_by_role("heading", level=1)).to_have_text("Placer une demande à la main")
        check_axe(page, "assign page")
    page.goto("/dispatch/plans/policy")
    screenshot(page, f"running-policy-{name}")
    check_axe(page, "planning rules page")
    page.goto("/dispatch/requests")
    expect(page.locator(".flash--error")).to_contain_text("Semaines publiées à réparer")
    check_axe(page, "inbox with the banner")
