"""``escouade feed-url EMAIL``: print a volunteer's calendar feed URL."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from scheduler.core.extensions import db

from ..models import User
from ..models import Volunteer
from ..models import utcnow
from . import tokens
from .settings import FeedSettings

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def find_volunteer_by_email(email: str) -> Volunteer | None:
    """The volunteer who signs in with ``email``, or whose profile has it."""
    address = email.strip().lower()
    user = db.session.scalars(sa.select(User).where(sa.func.lower(User.email) == address)).first()
    if user is not None and user.volunteer is not None:
        return user.volunteer
    return db.session.scalars(
        sa.select(Volunteer).where(sa.func.lower(Volunteer.email) == address).order_by(Volunteer.id)
    ).first()


@click.command("feed-url")
@click.argument("email")
@click.option("--reset", is_flag=True, help="Make a new link; the old one stops working at once.")
@click.option("--base-url", help="Public address of the service (default: [FEEDS] base_url).")
@with_appcontext
def feed_url_command(email: str, reset: bool, base_url: str | None) -> None:
    """Print the calendar feed URL of the volunteer with this e-mail, making it if needed."""
    volunteer = find_volunteer_by_email(email)
    if volunteer is None:
        raise click.ClickException(f"No volunteer with the e-mail {email}.")
    key = tokens.key_from_secret(current_app.config["SECRET_KEY"])
    now = utcnow()
    session = db.session()
    existing = tokens.live_volunteer_token(session, volunteer)
    if reset or existing is None:
        token: str | None = tokens.issue_volunteer_token(session, volunteer, now=now, key=key)
        click.echo(f"A new calendar link was made for {volunteer.full_name}.", err=True)
    else:
        token = tokens.reveal(existing, key)
    if token is None:
        raise click.ClickException(
            f"{volunteer.full_name} has a calendar link that can no longer be shown "
            "(SECRET_KEY changed since). Run again with --reset to make a new one."
        )
    settings = FeedSettings.from_mapping(current_app.config.get("FEEDS"))
    base = (base_url or settings.base_url or DEFAULT_BASE_URL).rstrip("/")
    path = current_app.url_map.bind("localhost").build("feeds.volunteer_feed", {"token": token})
    click.echo(base + path)
