"""One feed, ready to serve: the bytes, their ETag and a Last-Modified.

Event texts are written in the organisation's language (a beneficiary's file in
the language they booked in), whatever the language of the page or request.

The ETag is a hash of what the bytes are made of (``feed.feed_etag``), so it
changes exactly when the file does, and a 304 needs no serialisation.
Last-Modified is the latest change among the rows a feed is made of, and never
earlier than local midnight (when a feed's window moves) nor than ``floor`` (the
caller passes the process start, so that a new release's wording is fetched).
Some rows carry no time stamp (a beneficiary's phone number, a site's hours):
clients that send If-None-Match, as calendar apps do, always see such changes;
the few that only send If-Modified-Since see them within a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from sqlalchemy.orm import object_session

from ..models import Enrolment
from ..models import HelpRequest
from ..models import Organisation
from ..models import Site
from ..models import Volunteer
from .beneficiary import beneficiary_event
from .beneficiary import confirmed_appointment
from .beneficiary import file_name
from .events import FeedWindow
from .events import site_events
from .events import team_events
from .events import volunteer_events
from .feed import FeedCalendar
from .feed import FeedEvent
from .feed import build_feed
from .feed import feed_etag
from .settings import FeedSettings
from .texts import _
from .texts import in_language
from .workshops import leader_events
from .workshops import participant_events
from .workshops import site_workshop_events


@dataclass(frozen=True)
class RenderedFeed:
    """A feed ready to serve; its bytes are only built when ``body`` is read."""

    events: list[FeedEvent]
    calendar: FeedCalendar
    #: Strong entity tag, without quotes: it names exactly the bytes of ``body``.
    etag: str
    last_modified: datetime
    filename: str

    @cached_property
    def body(self) -> bytes:
        return build_feed(self.events, self.calendar)


def volunteer_feed(
    session: Session,
    volunteer: Volunteer,
    *,
    now: datetime,
    settings: FeedSettings,
    floor: datetime | None = None,
) -> RenderedFeed:
    organisation = volunteer.organisation
    window = FeedWindow.of(organisation, now, settings)
    with in_language(organisation.locale):
        events = volunteer_events(session, volunteer, window, settings)
        events += leader_events(session, volunteer, window.starts_at, window.ends_at)
        calendar = FeedCalendar(
            timezone=organisation.timezone,
            name=_(
                "%(organisation)s – %(name)s",
                organisation=organisation.name,
                name=volunteer.first_name,
            ),
            description=_("Your visits, calls and drop-ins. Keep this link to yourself."),
            refresh=settings.refresh,
            covers=window.days,
        )
    return _rendered(events, calendar, window, floor, f"escouade-{volunteer.id}.ics")


def team_feed(
    session: Session,
    organisation: Organisation,
    *,
    now: datetime,
    settings: FeedSettings,
    floor: datetime | None = None,
) -> RenderedFeed:
    window = FeedWindow.of(organisation, now, settings)
    with in_language(organisation.locale):
        events = team_events(session, organisation, window, settings)
        calendar = FeedCalendar(
            timezone=organisation.timezone,
            name=_("%(organisation)s – team", organisation=organisation.name),
            description=_("Every appointment of every volunteer. For coordinators only."),
            refresh=settings.refresh,
            covers=window.days,
        )
    return _rendered(events, calendar, window, floor, "escouade-team.ics")


def site_feed(
    site: Site, *, now: datetime, settings: FeedSettings, floor: datetime | None = None
) -> RenderedFeed:
    organisation = site.organisation
    window = FeedWindow.of(organisation, now, settings)
    with in_language(organisation.locale):
        events = site_events(site, window, settings)
        db_session = object_session(site)
        if db_session is not None:
            events += site_workshop_events(db_session, site, window.starts_at, window.ends_at)
        calendar = FeedCalendar(
            timezone=organisation.timezone,
            name=_("%(site)s – drop-in hours", site=site.name),
            description=_(
                "%(organisation)s: drop-in hours for digital help.",
                organisation=organisation.name,
            ),
            refresh=settings.refresh,
            covers=window.days,
        )
    return _rendered(events, calendar, window, floor, f"escouade-site-{site.id}.ics")


def request_file(
    session: Session,
    request: HelpRequest,
    *,
    now: datetime,
    settings: FeedSettings,
    floor: datetime | None = None,
) -> RenderedFeed | None:
    """The beneficiary's confirmed appointment as a file; None when nothing is confirmed."""
    appointment = confirmed_appointment(session, request, now=now)
    if appointment is None:
        return None
    organisation = request.organisation
    window = FeedWindow.of(organisation, now, settings)
    with in_language(request.locale or organisation.locale):
        event = beneficiary_event(request, appointment, settings)
    calendar = FeedCalendar(timezone=organisation.timezone, covers=window.days)
    return _rendered([event], calendar, window, floor, file_name(request))


def enrolment_file(
    enrolment: Enrolment,
    *,
    now: datetime,
    settings: FeedSettings,
    floor: datetime | None = None,
) -> RenderedFeed | None:
    """A participant's sessions as a file to import; None when the series is not open."""
    organisation = enrolment.organisation
    window = FeedWindow.of(organisation, now, settings)
    with in_language(enrolment.locale or organisation.locale):
        events = participant_events(enrolment)
    if not events:
        return None
    calendar = FeedCalendar(timezone=organisation.timezone, covers=window.days)
    return _rendered(events, calendar, window, floor, f"workshop-{enrolment.series_id}.ics")


def upcoming_events(
    session: Session,
    volunteer: Volunteer,
    *,
    now: datetime,
    settings: FeedSettings,
    limit: int = 40,
) -> tuple[list[FeedEvent], ZoneInfo]:
    """What the volunteer's calendar shows from now on (no travel events), in the
    organisation's language, and the zone to read its times in."""
    organisation = volunteer.organisation
    window = FeedWindow.of(organisation, now, settings)
    with in_language(organisation.locale):
        events = volunteer_events(session, volunteer, window, settings)
        events += leader_events(session, volunteer, window.starts_at, window.ends_at)
        events.sort(key=lambda e: e.starts_at)
    return [e for e in events if e.ends_at >= now and not e.free][:limit], window.zone


def _rendered(
    events: list[FeedEvent],
    calendar: FeedCalendar,
    window: FeedWindow,
    floor: datetime | None,
    filename: str,
) -> RenderedFeed:
    stamps = [e.last_modified for e in events] + [window.floor]
    if floor is not None:
        stamps.append(floor)
    last_modified = max(stamps).astimezone(UTC).replace(microsecond=0)
    return RenderedFeed(
        events=events,
        calendar=calendar,
        etag=feed_etag(events, calendar),
        last_modified=last_modified,
        filename=filename,
    )
