"""The ``escouade`` command: ``escouade init-db``, ``seed-demo``, ``create-user``, ``run-jobs``…

``flask --app scheduler.app`` reaches the same commands.
"""

from __future__ import annotations

import os

import click
from flask import Flask
from flask.cli import FlaskGroup
from flask.cli import with_appcontext

from scheduler.core.extensions import db

from .models import Role
from .up import up_command

#: Where feed links point when ``[FEEDS] base_url`` is empty and no --base-url is given.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def _create_app() -> Flask:
    from .app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Escouade: plan digital-help volunteers' weeks."""


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema (applies every migration)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Database is up to date.")


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Add a demo organisation even if there is data.")
@click.option("--if-empty", is_flag=True, help="Load only into an empty database; no error.")
@with_appcontext
def seed_demo_command(force: bool, if_empty: bool) -> None:
    """Load a demo organisation around Drummondville and print its logins."""
    from .demo import DemoAlreadyLoaded
    from .demo import demo_logins
    from .demo import seed_demo

    try:
        logins = seed_demo(db.session(), force=force and not if_empty, nord=True)
        click.echo("Demo loaded.")
    except DemoAlreadyLoaded:
        logins = demo_logins(db.session())
        click.echo("The database already has data; the demo was not loaded again.")
        if not if_empty and not logins:
            click.echo("Use --force to add the demo organisation beside it.")
    if logins:
        click.echo("Sign in at /auth/login with:")
        for role, email, password in logins:
            click.echo(f"  {role:<11} {email:<28} {password}")


@click.command("create-user")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), required=True, help="What they may do."
)
@click.option("--name", help="Name shown in the interface.")
@click.argument("email")
@with_appcontext
def create_user_command(role: str, name: str | None, email: str) -> None:
    """Create a login. The password is asked for, or read from ESCOUADE_PASSWORD."""
    from scheduler.organisation.organisations import default_organisation
    from scheduler.people.accounts import MIN_PASSWORD_LENGTH
    from scheduler.people.accounts import AccountError
    from scheduler.people.accounts import create_user

    org = default_organisation(db.session())
    if org is None:
        raise click.ClickException("No organisation yet: run `escouade seed-demo` or create one.")
    password = os.environ.get("ESCOUADE_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = create_user(db.session(), org, email, password, Role(role), name)
    except AccountError as error:
        words = {
            "email_invalid": f"{email!r} is not an e-mail address",
            "password_short": f"the password needs at least {MIN_PASSWORD_LENGTH} characters",
            "email_taken": f"a user with e-mail {email} already exists",
        }
        raise click.ClickException(words.get(error.code, error.code)) from error
    if user.role is Role.VOLUNTEER:
        from .models import Volunteer

        db.session.add(
            Volunteer(organisation=org, user=user, first_name=user.display_name, email=user.email)
        )
        db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("erase-expired")
@click.option("--dry-run", is_flag=True, help="Count what would be erased; change nothing.")
@with_appcontext
def erase_expired_command(dry_run: bool) -> None:
    """Erase the personal data of requests closed longer than the retention period."""
    from scheduler.requests.retention import erase_expired

    from .models import utcnow

    erased = erase_expired(db.session(), utcnow())
    if dry_run:
        db.session.rollback()
        click.echo(f"{erased} closed requests would have their personal data erased.")
        return
    db.session.commit()
    click.echo(f"Erased the personal data of {erased} closed requests.")


@click.command("run-jobs")
@click.option("--list", "list_only", is_flag=True, help="Show the jobs and when they run; exit.")
@with_appcontext
def run_jobs_command(list_only: bool) -> None:
    """Run the timed jobs (data retention…) until stopped. Start exactly one of these."""
    from flask import current_app

    from .jobs import JOBS
    from .jobs.runner import JobsConfigurationError
    from .jobs.runner import build_scheduler
    from .jobs.runner import triggers

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        scheduled = triggers(app)
        scheduler = build_scheduler(app)
    except JobsConfigurationError as error:
        raise click.ClickException(str(error)) from error
    for spec in JOBS:
        click.echo(f"  {spec.id:<16} {scheduled[spec.id]}  {spec.description}")
    if list_only:
        return
    click.echo("Running the jobs above (Ctrl+C to stop).")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Stopped.")


@click.command("plan-week")
@click.option("--week", "week_text", required=True, help="ISO week to plan, e.g. 2026-W49.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1, max=3600),
    help="Seconds the whole run may take (default: [PLANNING] time_limit_s).",
)
@click.option("--organisation", "slug", help="Organisation slug (default: the first one).")
@click.option(
    "--mode",
    type=click.Choice(["keep", "move_unconfirmed", "free"]),
    default="keep",
    show_default=True,
    help="Once the week is published: what may move (keep every published visit by default).",
)
@with_appcontext
def plan_week_command(
    week_text: str, time_limit: float | None, slug: str | None, mode: str = "keep"
) -> None:
    """Plan a week from the database, save it as a draft and print a summary."""
    from flask import current_app

    from scheduler.dispatch import WeekInvalid
    from scheduler.dispatch import parse_week
    from scheduler.dispatch import plan_week
    from scheduler.dispatch import week_code
    from scheduler.dispatch.summary import summary_lines
    from scheduler.models import utcnow
    from scheduler.organisation.organisations import default_organisation
    from scheduler.organisation.organisations import find_organisation
    from scheduler.runtime import settings_of

    try:
        week = parse_week(week_text)
    except WeekInvalid:
        raise click.BadParameter(
            f"{week_text!r} is not a week; write it like 2026-W49.", param_hint="--week"
        ) from None
    if not 2000 <= week.year <= 2100:
        # Any week may be planned from here (tests, back-filling), but the ends of the
        # calendar (9999-W52) cannot even be turned into instants.
        raise click.BadParameter(
            f"{week_text!r}: choose a week between 2000 and 2100.", param_hint="--week"
        )
    session = db.session()
    org = find_organisation(session, slug) if slug else default_organisation(session)
    if org is None:
        raise click.ClickException("No such organisation: run `escouade seed-demo` or create one.")
    settings = settings_of(current_app)
    planning = settings.planning.with_limits(time_limit_s=time_limit)
    click.echo(
        f"Planning {week_code(week)} (from {week:%Y-%m-%d}) for {org.name}, "
        f"up to {planning.options.time_limit_s:g} s…"
    )
    row = plan_week(
        session,
        org,
        week,
        settings=planning,
        periods=settings.booking.periods,
        now=utcnow(),
        mode=mode,
    )
    for line in summary_lines(row):
        click.echo(line)


@click.command("feed-url")
@click.argument("email")
@click.option("--reset", is_flag=True, help="Make a new link; the old one stops working at once.")
@click.option("--base-url", help="Public address of the service (default: [FEEDS] base_url).")
@with_appcontext
def feed_url_command(email: str, reset: bool, base_url: str | None) -> None:
    """Print the calendar feed URL of the volunteer with this e-mail, making it if needed."""
    from flask import current_app

    from scheduler.calendars import tokens
    from scheduler.models import utcnow
    from scheduler.people.volunteers import find_volunteer_by_email
    from scheduler.runtime import settings_of

    session = db.session()
    volunteer = find_volunteer_by_email(session, email)
    if volunteer is None:
        raise click.ClickException(f"No volunteer with the e-mail {email}.")
    key = tokens.key_from_secret(current_app.config["SECRET_KEY"])
    existing = tokens.live_volunteer_token(session, volunteer)
    if reset or existing is None:
        token: str | None = tokens.issue_volunteer_token(session, volunteer, now=utcnow(), key=key)
        click.echo(f"A new calendar link was made for {volunteer.full_name}.", err=True)
    else:
        token = tokens.reveal(existing, key)
    if token is None:
        raise click.ClickException(
            f"{volunteer.full_name} has a calendar link that can no longer be shown "
            "(SECRET_KEY changed since). Run again with --reset to make a new one."
        )
    base = (base_url or settings_of(current_app).feeds.base_url or DEFAULT_BASE_URL).rstrip("/")
    path = current_app.url_map.bind("localhost").build("feeds.volunteer_feed", {"token": token})
    click.echo(base + path)


@click.command("worker")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Runs at once (default: [QUEUE] workers)."
)
@click.option(
    "--handlers",
    "extra_modules",
    multiple=True,
    metavar="MODULE",
    help="Also import this module of task handlers (repeatable).",
)
@with_appcontext
def worker_command(workers: int | None, extra_modules: tuple[str, ...]) -> None:
    """Take background runs (planning a week…) from the queue until stopped."""
    from flask import current_app

    from scheduler.tasks import load_handlers
    from scheduler.tasks import queue_of

    queue = queue_of(current_app._get_current_object())  # type: ignore[attr-defined]
    if queue.huey.immediate:
        raise click.ClickException(
            '[QUEUE] backend is "immediate": runs happen in the web process, no worker is needed.'
        )
    load_handlers()
    try:
        load_handlers(extra_modules)
    except ImportError as error:
        raise click.ClickException(f"cannot import task handlers: {error}") from error
    count = workers or queue.settings.workers
    click.echo(f"Taking runs from the {queue.settings.backend} queue, {count} at once.")
    queue.consumer(count).run()
    # Stopped at once (SIGTERM): what was running is retried now, not after stale_after_s.
    from scheduler.tasks.queue import process_name
    from scheduler.tasks.worker import release_after_stop

    released = release_after_stop(queue, process_name())
    if released:
        click.echo(f"Stopped during {released} runs; they were queued again.", err=True)


def register_commands(app: Flask) -> None:
    for command in (
        init_db_command,
        seed_demo_command,
        create_user_command,
        erase_expired_command,
        run_jobs_command,
        plan_week_command,
        feed_url_command,
        worker_command,
        up_command,
    ):
        app.cli.add_command(command)


if __name__ == "__main__":  # ``python -m scheduler.cli``: how ``escouade up`` starts the others
    main()
