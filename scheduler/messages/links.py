"""Links written in messages: a volunteer's calendar feed.

Only a live link the volunteer already has is shown again (its sealed copy opens with
the key derived from SECRET_KEY); a message never issues a new secret by itself. A
volunteer who signs in keeps their link to themselves (no sealed copy), so their message
points to their own calendar page, behind their login, rather than to nothing.
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
        if not base:
            return ""
        if token:
            return f"{base}/feeds/volunteer/{token}.ics"
        return f"{base}/me/calendar" if volunteer.user_id is not None else ""

    return link
