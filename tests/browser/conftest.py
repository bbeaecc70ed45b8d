"""Headless Chromium (the Debian package) driven by Playwright, against the live app.

The browser must be there: these tests fail, never skip, when it is missing, so
that CI cannot pass without them. ``scripts/system-deps.sh`` installs it. Under
``CI=true`` a browser test that skips for any other reason fails too.
``ESCOUADE_CHROMIUM`` points at another Chromium binary.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("ESCOUADE_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parent.parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).resolve().parent.parent.parent / "build" / "screenshots"
# Quiet flags: this machine has no network, and Chromium's background services would
# otherwise retry connections for the whole run.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI, a skipped browser test is a failure: a green run must have driven the browser."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"browser test skipped under CI=true, which must not happen: {reason}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found or not executable: install the Debian package chromium "
            "(scripts/system-deps.sh does it)",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"Playwright is missing ({error}): pip install -e '.[dev]'", pytrace=False)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any, live_server: str) -> Iterator[Any]:
    """Open a new page: ``open_page(viewport=PHONE)``; pages share nothing between calls."""
    contexts = []

    def factory(viewport: dict[str, int] = PHONE, locale: str = "fr-CA", **options: Any) -> Any:
        context = browser.new_context(
            viewport=viewport, locale=locale, base_url=live_server, **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Keep a full-page picture of what the test saw, under build/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core on the page; return the violations of the given impacts.

    The page must come from a context opened with ``bypass_csp=True``: axe is injected
    as a script, which the application's Content-Security-Policy rightly forbids.
    """
    if not AXE.exists():
        pytest.fail(f"{AXE} not found: run `npm ci` in tests/js")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ],
        indent=2,
        ensure_ascii=False,
    )
