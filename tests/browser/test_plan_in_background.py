"""A dispatcher plans the demo week through the queue, in Chromium with JavaScript off:
the button answers at once, the run's page refreshes itself while a real worker process
(huey over its SQLite storage) plans, then the draft appears."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from scheduler.core.extensions import db
from scheduler.demo import DEMO_PASSWORD
from scheduler.demo import seed_demo
from tests.tasks.processes import start_worker
from tests.tasks.processes import stop
from tests.tasks.processes import write_instance

from .conftest import PHONE
from .conftest import axe_violations
from .conftest import describe
from .conftest import screenshot
from .steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLANNING = {"time_limit_s": 8.0, "solution_limit": 0}


@pytest.fixture
def app(make_app, tmp_path):
    queue = {"backend": "sqlite", "sqlite_path": str(tmp_path / "queue.db")}
    made = make_app(QUEUE=queue, PLANNING=PLANNING)
    with made.app_context():
        seed_demo(db.session)
        db.session.remove()
    made.config["TEST_WORKER_ENV"] = write_instance(
        tmp_path / "instance",
        made.config["SQLALCHEMY_DATABASE_URI"],
        queue,
        {"PLANNING": PLANNING},
    )
    return made


@pytest.fixture
def worker(app, tmp_path):
    log = tmp_path / "worker.log"
    proc = start_worker(
        app.config["TEST_WORKER_ENV"], log, handlers="scheduler.dispatch.background"
    )
    yield log
    stop([proc])


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_the_demo_week_is_planned_in_the_background(browser, live_server, app, worker, javascript):
    """Without JavaScript the page reloads itself; with it, a script swaps the run's part in
    place. Either way the dispatcher sees the search, then lands on the draft."""
    context = browser.new_context(
        viewport=PHONE,
        locale="fr-CA",
        base_url=live_server,
        java_script_enabled=javascript,
        bypass_csp=javascript,  # for axe, injected below; the page's own script is 'self'
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "repartition@escouade.demo", DEMO_PASSWORD)
        page.goto("/dispatch/plans")
        page.get_by_role("button", name="Planifier cette semaine").click()
        expect(page).to_have_url(re.compile(r"/dispatch/plans/runs/\d+"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Planification de la semaine")
        screenshot(page, "plan-run-phone")
        run_url = page.url.split("?")[0]

        # While it runs, the week's page offers to follow it instead of a second button.
        other = context.new_page()
        other.goto("/dispatch/plans")
        if "/dispatch/plans/runs/" not in other.url:
            expect(other.get_by_role("button", name="Planifier cette semaine")).to_have_count(0)
        other.close()

        # The page refreshes itself (meta refresh): the search shows, with what it works on.
        expect(page.get_by_role("heading", name="Recherche des meilleurs trajets")).to_be_visible(
            timeout=60_000
        )
        expect(page.get_by_text("Demandes à placer")).to_be_visible()
        screenshot(page, f"plan-run-solving-phone-{'js' if javascript else 'no-js'}")
        if javascript:
            # Updated in place: the page was not reloaded, and it passes axe while running.
            assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
            violations = axe_violations(page)
            assert violations == [], describe(violations)
        # Then it moves on to the draft when it is ready.
        expect(page).to_have_url(
            re.compile(r"/dispatch/plans\?week=\d{4}-W\d{2}$"), timeout=120_000
        )
        expect(page.get_by_text("Brouillon prêt")).to_be_visible()
        expect(page.get_by_role("button", name="Publier")).to_be_visible()
        assert "task plan_week run" in worker.read_text()
    finally:
        context.close()

    # The run's page, finished, passes axe on a phone and fits its width.
    checked = browser.new_context(
        viewport=PHONE, locale="fr-CA", base_url=live_server, bypass_csp=True
    )
    try:
        page = checked.new_page()
        sign_in(page, "repartition@escouade.demo", DEMO_PASSWORD)
        page.goto(run_url)
        expect(page.get_by_role("heading", name="Brouillon prêt")).to_be_visible()
        screenshot(page, "plan-run-done-phone")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        checked.close()
