"""Take the README's screenshots from the demo organisation.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--beneficiary]

Builds a throwaway database (migrations, then the demo), serves it on a free local
port, and drives Debian's Chromium through Playwright, as the browser tests do. Nothing
is read from or written to ``instance/``. Needs the ``dev`` extra and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1200, "height": 760}


@contextmanager
def demo_server(workdir: Path) -> Iterator[tuple[str, dict[str, str], str]]:
    """Serve a freshly seeded demo; yield its URL, an e-mail per role, and the password."""
    os.environ["ESCOUADE_INSTANCE_PATH"] = str(workdir)  # keep the real instance/ out of it
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from scheduler.app import create_app
    from scheduler.core.extensions import db
    from scheduler.demo import DEMO_PASSWORD
    from scheduler.demo import seed_demo

    app = create_app(
        {
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'demo.db'}",
            # No worker runs beside this server: plan in the request, as the tests do.
            "QUEUE": {"backend": "immediate"},
        }
    )
    with app.app_context():
        upgrade()
        logins = seed_demo(db.session)
    emails: dict[str, str] = {}
    for role, email, _password in logins:
        emails.setdefault(role, email)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", emails, DEMO_PASSWORD
    finally:
        server.shutdown()
        thread.join(timeout=5)


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Se déconnecter").wait_for()


def take(page: Any, out: Path, name: str) -> None:
    """The visible screen only: one screenful is what a person sees first."""
    path = out / f"{name}.png"
    page.screenshot(path=str(path))
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path  # --out may be anywhere
    print(f"{shown}  {path.stat().st_size // 1024} KB")


def shoot(
    base_url: str,
    emails: dict[str, str],
    password: str,
    out: Path,
    only_beneficiary: bool = False,
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def new_page(viewport: dict[str, int]) -> Any:
            context = browser.new_context(viewport=viewport, locale="fr-CA", base_url=base_url)
            return context.new_page()

        # A beneficiary, on a phone: one question per screen.
        page = new_page(PHONE)
        page.goto("/")
        page.get_by_role("radio", name="Quelqu'un vient chez moi").check()
        page.evaluate("window.scrollTo(0, 0)")
        take(page, out, "booking-phone")
        page.get_by_role("button", name="Continuer").click()
        page.get_by_role("checkbox", name="Appels vidéo").check()
        page.get_by_role("button", name="Continuer").click()
        page.get_by_label("Votre municipalité").select_option(label="Wickham")
        page.get_by_label("Votre adresse").fill("850, rue Principale")
        page.get_by_role("button", name="Continuer").click()
        page.get_by_role("checkbox", name="Mardi matin").check()
        page.get_by_role("checkbox", name="Jeudi après-midi").check()
        take(page, out, "booking-when-phone")
        page.get_by_role("button", name="Continuer").click()
        page.get_by_label("Votre prénom").fill("Ginette")
        page.get_by_label("Votre numéro de téléphone").fill("819 555-0142")
        page.get_by_role("checkbox", name="J'accepte").check()
        page.get_by_role("button", name="Continuer").click()
        page.get_by_role("heading", name="Vérifiez vos réponses").wait_for()
        take(page, out, "booking-check-phone")
        page.get_by_role("button", name="Envoyer ma demande").click()
        page.get_by_role("heading", name="Votre demande est envoyée").wait_for()
        take(page, out, "confirmation-phone")
        page.context.close()

        # The same first screen for a browser that prefers Arabic: right to left.
        context = browser.new_context(viewport=PHONE, locale="ar", base_url=base_url)
        page = context.new_page()
        page.goto("/")
        page.locator("input[name=mode][value=phone]").check()
        take(page, out, "booking-arabic-phone")
        context.close()
        if only_beneficiary:
            browser.close()
            return

        # A dispatcher, at a desk.
        page = new_page(DESKTOP)
        sign_in(page, emails["dispatcher"], password)
        page.set_viewport_size({"width": DESKTOP["width"], "height": 940})  # a few rows
        page.goto("/dispatch/requests")
        take(page, out, "inbox-desktop")
        page.set_viewport_size(DESKTOP)
        page.locator(".inbox-table__reference").first.click()
        page.get_by_role("heading", name="Triage").wait_for()
        take(page, out, "request-desktop")
        page.goto("/dispatch/plans")
        page.get_by_role("button", name="Planifier cette semaine").click()
        page.get_by_role("button", name="Publier").wait_for()
        routes = page.get_by_role("heading", name="Tournées par bénévole")
        routes.evaluate("h => h.scrollIntoView()")
        take(page, out, "plan-desktop")
        page.get_by_role("heading", name="Cartes de la semaine").evaluate("h => h.scrollIntoView()")
        take(page, out, "plan-map-desktop")
        # The sheet of the busiest volunteer-day: the one with the most stops.
        sheet_path = page.evaluate(
            """() => [...document.querySelectorAll('.plan-day')]
                .sort((a, b) => b.querySelectorAll('tbody tr').length
                              - a.querySelectorAll('tbody tr').length)[0]
                .querySelector('.plan-day__links a').getAttribute('href')"""
        )
        plans_url = page.url
        page.goto(str(sheet_path))
        page.set_viewport_size({"width": DESKTOP["width"], "height": 1300})  # map and stops
        page.locator(".sheet__title").first.evaluate("h => h.scrollIntoView()")
        take(page, out, "route-sheet-desktop")
        page.set_viewport_size(DESKTOP)
        page.context.close()

        # The same map on a phone.
        page = new_page(PHONE)
        sign_in(page, emails["dispatcher"], password)
        page.goto(plans_url)
        page.locator(".route-map").first.evaluate("f => f.scrollIntoView()")
        take(page, out, "map-phone")
        page.set_viewport_size({"width": DESKTOP["width"], "height": 1180})  # the key figures
        page.goto("/observatory?period=quarter")
        take(page, out, "observatory-desktop")
        page.set_viewport_size(DESKTOP)
        page.get_by_role("heading", name="Pourquoi des demandes n'ont pas été placées").evaluate(
            "h => h.scrollIntoView()"
        )
        take(page, out, "observatory-reasons-desktop")
        page.get_by_role("heading", name="Demande non satisfaite sur le territoire").evaluate(
            "h => h.scrollIntoView()"
        )
        take(page, out, "observatory-map-desktop")
        page.context.close()

        # A volunteer, on a phone.
        page = new_page(PHONE)
        sign_in(page, emails["volunteer"], password)
        page.goto("/me/calendar")
        page.get_by_role("heading", name="S'abonner").evaluate("h => h.scrollIntoView()")
        take(page, out, "calendar-phone")
        page.goto("/me/year")
        take(page, out, "year-phone")
        page.context.close()

        # An administrator, at a desk.
        page = new_page(DESKTOP)
        sign_in(page, emails["admin"], password)
        page.goto("/admin/territory")
        take(page, out, "territory-desktop")
        page.context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--beneficiary", action="store_true", help="only the pictures of the public form"
    )
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="escouade-shots-") as tmp:
        with demo_server(Path(tmp)) as (base_url, emails, password):
            shoot(base_url, emails, password, out, only_beneficiary=args.beneficiary)


if __name__ == "__main__":
    main()
