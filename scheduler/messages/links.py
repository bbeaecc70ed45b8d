"""Links written in messages: a volunteer's calendar feed.

Only a live link the volunteer already has is shown again (its sealed copy opens with
the key derived from SECRET_KEY); a message never issues a new secret by itself.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scheduler.calendars import tokens
from scheduler.models import Volunteer

from .news import VolunteerLink


def volunteer_links(session: Session, base_url: str, secret_key: str) -> VolunteerLink:
    """A function giving each volunteer's feed address, or "" when none can be shown."""
    key = tokens.key_from_secret(secret_key)
    base = base_url.rstrip("/")

    def link(volunteer: Volunteer) -> str:
        row = tokens.live_volunteer_token(session, volunteer)
        token = tokens.reveal(row, key) if row is not None else None
        if not token or not base:
            return ""
        return f"{base}/feeds/volunteer/{token}.ics"

    return link
