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
        logins = seed_demo(db.session, force=force and not if_empty)
        click.echo("Demo loaded.")
    except DemoAlreadyLoaded:
        logins = demo_logins(db.session)
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
    from scheduler.people.accounts import AccountError
    from scheduler.people.accounts import create_user

    org = default_organisation(db.session)
    if org is None:
        raise click.ClickException("No organisation yet: run `escouade seed-demo` or create one.")
    password = os.environ.get("ESCOUADE_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = create_user(db.session, org, email, password, Role(role), name)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
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

    erased = erase_expired(db.session, utcnow())
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
    help="Seconds the solver may search (default: [PLANNING] time_limit_s).",
)
@click.option("--organisation", "slug", help="Organisation slug (default: the first one).")
@with_appcontext
def plan_week_command(week_text: str, time_limit: float | None, slug: str | None) -> None:
    """Plan a week from the database, save it as a draft and print a summary."""
    from flask import current_app

    from scheduler.core.settings import ConfigurationError
    from scheduler.organisation.organisations import default_organisation
    from scheduler.requests.booking_options import BookingOptions

    from .dispatch import PlanningSettings
    from .dispatch import WeekInvalid
    from .dispatch import parse_week
    from .dispatch import plan_week
    from .dispatch import week_code
    from .dispatch.summary import summary_lines
    from .models import Organisation
    from .models import utcnow

    try:
        week = parse_week(week_text)
    except WeekInvalid:
        raise click.BadParameter(
            f"{week_text!r} is not a week; write it like 2026-W49.", param_hint="--week"
        ) from None
    if slug:
        org = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
    else:
        org = default_organisation(db.session)
    if org is None:
        raise click.ClickException("No such organisation: run `escouade seed-demo` or create one.")
    try:
        settings = PlanningSettings.from_config(
            current_app.config.get("PLANNING"), current_app.config.get("TRAVEL")
        ).with_limits(time_limit_s=time_limit)
        periods = BookingOptions.from_config(current_app.config.get("BOOKING")).periods
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Planning {week_code(week)} (from {week:%Y-%m-%d}) for {org.name}, "
        f"up to {settings.options.time_limit_s:g} s…"
    )
    row = plan_week(db.session, org, week, settings=settings, periods=periods, now=utcnow())
    for line in summary_lines(row):
        click.echo(line)


def register_commands(app: Flask) -> None:
    from .calendars.commands import feed_url_command

    for command in (
        init_db_command,
        seed_demo_command,
        create_user_command,
        erase_expired_command,
        run_jobs_command,
        plan_week_command,
    ):
        app.cli.add_command(command)
    app.cli.add_command(feed_url_command)
