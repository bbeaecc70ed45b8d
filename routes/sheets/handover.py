"""Handing a volunteer their calendar and route sheet, with or without a login.

Ten of twelve volunteers of a typical association have no login, so nothing reached
them. The dispatcher makes their calendar link here and hands it over (read out,
printed, sent by the messages they already use) with the route sheet.

Whose secret it is decides who sees it. A volunteer with a login owns their link (they
see it on "My calendar"; staff only see its status and can stop it). For a volunteer
without a login, staff are the only way in, so the link stays re-viewable by staff: it
is sealed in the database (a copy of the database alone does not open it), staff
already see everything the feed shows, and a volunteer who changes phone or loses the
paper asks the coordinator again; showing it only once would force a new link, which
breaks the calendars already subscribed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask import flash
from flask import redirect
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from routes.access import staff_required
from routes.feeds import seal_key
from routes.feeds.subscribe import FeedLinks
from routes.feeds.subscribe import feed_links
from routes.sheets import bp
from scheduler.calendars import tokens
from scheduler.core.extensions import db
from scheduler.models import FeedToken
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.people.volunteers import find_volunteer


@dataclass(frozen=True)
class Handover:
    """What the dispatcher can hand over: the live link (if any) and the sheet links."""

    row: FeedToken | None
    #: The volunteer has a login: the link is theirs, shown on their own page only.
    own_login: bool
    links: FeedLinks | None
    #: The volunteer's own sheet, opened with the same secret (no login needed).
    sheet_url: str | None
    sheet_pdf_url: str | None


def handover_for(volunteer: Volunteer) -> Handover:
    row = tokens.live_volunteer_token(db.session(), volunteer)
    own_login = volunteer.user_id is not None
    token = tokens.reveal(row, seal_key()) if row is not None and not own_login else None
    if token is None:
        return Handover(row, own_login, None, None, None)
    links = feed_links(url_for("feeds.volunteer_feed", token=token))
    base = links.web.split("/feeds/", 1)[0]
    return Handover(
        row,
        own_login,
        links,
        base + url_for("sheets.by_link", token=token),
        base + url_for("sheets.by_link_pdf", token=token),
    )


@bp.post("/dispatch/volunteers/<int:volunteer_id>/calendar/create")
@staff_required
def create_link(volunteer_id: int) -> Response:
    """A new calendar link for the volunteer, login or not; an older one stops working."""
    volunteer = find_volunteer(db.session(), current_user.organisation_id, volunteer_id)
    if volunteer is None:
        abort(404)
    if volunteer.user_id is not None:
        flash(
            _(
                "%(name)s has a login: they make and see their link on their “My calendar” page.",
                name=volunteer.first_name,
            ),
            "info",
        )
        return redirect(url_for("feeds.volunteer", volunteer_id=volunteer.id))
    tokens.issue_volunteer_token(db.session(), volunteer, now=utcnow(), key=seal_key())
    flash(
        _(
            "%(name)s's calendar link is ready: hand it over with the route sheet.",
            name=volunteer.first_name,
        ),
        "success",
    )
    return redirect(url_for("feeds.volunteer", volunteer_id=volunteer.id) + "#handover")


@bp.app_context_processor
def handover_helpers() -> dict[str, object]:
    return {"volunteer_handover": handover_for}
