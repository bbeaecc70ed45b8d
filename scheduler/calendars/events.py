"""What each audience's calendar shows: appointments turned into feed events.

Audiences and what they may see:

- a **volunteer** sees their own appointments with what the visit needs: the
  person's first name, the need in their words, the address with a map link
  and coordinates, the phone number, languages and accessibility notes, when to
  leave (and a free "travel" event before it), and for a drop-in who else is on
  duty and how many visitors are booked. Never an e-mail address, a surname,
  internal notes or who referred the person.
- the **team** (dispatchers) sees every appointment of the organisation, with
  the volunteer's name in front, without reminders or travel events.
- a **site**'s public feed shows its drop-in hours only: no volunteer, no visitor.
- a **beneficiary** gets their own confirmed appointment, in the language they
  booked in (see ``beneficiary``).

Callers force the language (``flask_babel.force_locale``) around these functions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from scheduler.core.phones import display_phone

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import HelpRequest
from ..models import Mode
from ..models import Organisation
from ..models import Site
from ..models import Volunteer
from .feed import EventStatus
from .feed import FeedEvent
from .feed import Reminder
from .settings import FeedSettings
from .texts import Audience
from .texts import Context
from .texts import _
from .texts import describe
from .texts import km_text
from .texts import local_time
from .texts import map_link
from .texts import short_name
from .texts import site_location

STATUS = {
    AppointmentStatus.SCHEDULED: EventStatus.TENTATIVE,
    AppointmentStatus.CONFIRMED: EventStatus.CONFIRMED,
    AppointmentStatus.DONE: EventStatus.CONFIRMED,
    AppointmentStatus.NO_SHOW: EventStatus.CONFIRMED,
    AppointmentStatus.CANCELLED: EventStatus.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class FeedWindow:
    """Which days a feed covers, in the organisation's zone, as of one day.

    Everything is cut at local midnight, so a feed only changes with the data
    or once a day (when past days and old cancellations drop out).
    """

    zone: ZoneInfo
    today: date
    #: Appointments starting in [starts_at, ends_at) are shown.
    starts_at: datetime
    ends_at: datetime
    #: Cancelled appointments stay while cancelled at or after this instant.
    cancelled_since: datetime
    #: Local midnight today: the earliest Last-Modified a feed can have.
    floor: datetime

    @classmethod
    def of(cls, organisation: Organisation, now: datetime, settings: FeedSettings) -> FeedWindow:
        zone = ZoneInfo(organisation.timezone)
        today = now.astimezone(zone).date()

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)

        return cls(
            zone=zone,
            today=today,
            starts_at=midnight(today - timedelta(days=settings.past_days)),
            ends_at=midnight(today + timedelta(days=settings.future_days + 1)),
            cancelled_since=midnight(today - timedelta(days=settings.cancelled_days)),
            floor=midnight(today),
        )

    @property
    def days(self) -> tuple[date, date]:
        return (
            self.starts_at.astimezone(self.zone).date(),
            self.ends_at.astimezone(self.zone).date(),
        )


def volunteer_events(
    session: Session, volunteer: Volunteer, window: FeedWindow, settings: FeedSettings
) -> list[FeedEvent]:
    """A volunteer's own appointments, with travel events and reminders."""
    organisation = volunteer.organisation
    appointments = _appointments(
        session, organisation, window, Appointment.volunteer_id == volunteer.id
    )
    context = _context(session, organisation, window, settings, appointments)
    events: list[FeedEvent] = []
    for appointment in appointments:
        events.extend(_appointment_events(appointment, context, Audience.VOLUNTEER))
    return events


def team_events(
    session: Session, organisation: Organisation, window: FeedWindow, settings: FeedSettings
) -> list[FeedEvent]:
    """Every appointment of the organisation, for dispatchers."""
    appointments = _appointments(session, organisation, window, sa.true())
    context = _context(session, organisation, window, settings, appointments)
    events: list[FeedEvent] = []
    for appointment in appointments:
        events.extend(_appointment_events(appointment, context, Audience.TEAM))
    return events


def site_events(site: Site, window: FeedWindow, settings: FeedSettings) -> list[FeedEvent]:
    """A site's weekly drop-in hours, from this week's Monday for ``site_weeks`` weeks."""
    monday = window.today - timedelta(days=window.today.weekday())
    location = site_location(site)
    url = map_link(
        settings.map_url, settings.map_search_url, lat=site.lat, lon=site.lon, address=location
    )
    lines = [_("Drop-in hours for digital help: computers, phones, e-mail and online services.")]
    if site.workstations:
        lines.append(_("Computers available: %(count)d", count=site.workstations))
    if site.access_notes:
        lines.append(_("Access: %(notes)s", notes=site.access_notes))
    organisation = site.organisation
    if organisation.contact_phone:
        shown = display_phone(organisation.contact_phone, organisation.country)
        if shown:
            lines.append(_("Questions: %(phone)s", phone=shown))
    if url:
        lines.append(_("Map: %(url)s", url=url))
    summary = _("Drop-in: %(site)s", site=site.name)
    events = []
    for week in range(settings.site_weeks):
        for opening in site.openings:
            day = monday + timedelta(days=7 * week + opening.weekday)
            starts = datetime.combine(day, opening.starts, tzinfo=window.zone)
            ends = datetime.combine(day, opening.ends, tzinfo=window.zone)
            events.append(
                FeedEvent(
                    uid=f"site-{site.id}-opening-{opening.id}-{day:%Y%m%d}@escouade",
                    starts_at=starts,
                    ends_at=ends,
                    summary=summary,
                    last_modified=window.floor,
                    location=location,
                    geo=(site.lat, site.lon),
                    description="\n".join(lines),
                    url=url,
                    private=False,
                )
            )
    return events


# --- appointments ------------------------------------------------------------------------


def _appointments(
    session: Session,
    organisation: Organisation,
    window: FeedWindow,
    condition: sa.ColumnElement[bool],
) -> Sequence[Appointment]:
    cancelled_at = sa.func.coalesce(Appointment.cancelled_at, Appointment.updated_at)
    return session.scalars(
        sa.select(Appointment)
        .where(
            Appointment.organisation_id == organisation.id,
            condition,
            Appointment.starts_at >= window.starts_at,
            Appointment.starts_at < window.ends_at,
            sa.or_(
                Appointment.status != AppointmentStatus.CANCELLED,
                cancelled_at >= window.cancelled_since,
            ),
        )
        .options(
            selectinload(Appointment.request).selectinload(HelpRequest.beneficiary),
            selectinload(Appointment.request).selectinload(HelpRequest.municipality),
            selectinload(Appointment.request).selectinload(HelpRequest.series),
            selectinload(Appointment.site),
            selectinload(Appointment.volunteer),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()


def _context(
    session: Session,
    organisation: Organisation,
    window: FeedWindow,
    settings: FeedSettings,
    appointments: Sequence[Appointment],
) -> Context:
    """Context for a list of appointments, with every drop-in appointment at their sites."""
    context = Context(organisation, window.zone, settings, locale=organisation.locale)
    duties = [a for a in appointments if a.kind is Mode.DROPIN and a.site_id is not None]
    if duties:
        rows = session.scalars(
            sa.select(Appointment)
            .where(
                Appointment.kind == Mode.DROPIN,
                Appointment.site_id.in_({a.site_id for a in duties}),
                Appointment.starts_at < max(a.ends_at for a in duties),
                Appointment.ends_at > min(a.starts_at for a in duties),
            )
            .options(
                selectinload(Appointment.volunteer),
                selectinload(Appointment.request),
            )
            .order_by(Appointment.starts_at, Appointment.id)
        ).all()
        by_site: dict[int, list[Appointment]] = defaultdict(list)
        for row in rows:
            if row.site_id is not None:
                by_site[row.site_id].append(row)
        context.dropins = dict(by_site)
    return context


def _overlapping(appointment: Appointment, context: Context) -> list[Appointment]:
    if appointment.site_id is None:
        return []
    return [
        other
        for other in context.dropins.get(appointment.site_id, [])
        if other.id != appointment.id
        and other.starts_at < appointment.ends_at
        and other.ends_at > appointment.starts_at
    ]


def _last_modified(appointment: Appointment, related: list[Appointment]) -> datetime:
    stamps = [appointment.created_at, appointment.updated_at]
    if appointment.cancelled_at is not None:
        stamps.append(appointment.cancelled_at)
    if appointment.request is not None:
        stamps.append(appointment.request.updated_at)
    stamps.extend(other.updated_at for other in related)
    return max(s for s in stamps if s is not None)


def _appointment_events(
    appointment: Appointment, context: Context, audience: Audience
) -> list[FeedEvent]:
    related = _overlapping(appointment, context) if appointment.kind is Mode.DROPIN else []
    last_modified = _last_modified(appointment, related)
    status = STATUS[appointment.status]
    cancelled = status is EventStatus.CANCELLED
    text = describe(appointment, context, audience, related)
    travel_min = appointment.travel_min_before or 0
    if appointment.kind is Mode.PHONE:
        travel_min = 0
    leave_at = appointment.starts_at - timedelta(minutes=travel_min)

    lines = []
    if cancelled:
        lines.append(_("This appointment is cancelled."))
    if audience is Audience.TEAM:
        lines.append(_volunteer_line(appointment, context))
    if travel_min:
        lines.append(_leave_line(appointment, leave_at, travel_min, context))
    lines.extend(text.lines)

    summary = text.summary
    if audience is Audience.TEAM:
        summary = f"{_volunteer_label(appointment)} – {summary}"
    if cancelled:
        summary = _("Cancelled: %(summary)s", summary=summary)

    reminders: tuple[Reminder, ...] = ()
    if audience is Audience.VOLUNTEER:
        reminder_text = text.summary
        if travel_min:
            reminder_text = _(
                "Leave at %(time)s: %(summary)s",
                time=local_time(leave_at, context.zone, context.locale),
                summary=text.summary,
            )
        reminders = (Reminder(context.settings.reminder_min + travel_min, reminder_text),)

    uid = appointment.uid if audience is Audience.VOLUNTEER else f"team-{appointment.uid}"
    events = [
        FeedEvent(
            uid=uid,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            summary=summary,
            last_modified=last_modified,
            sequence=appointment.sequence,
            status=status,
            created_at=appointment.created_at,
            location=text.location,
            geo=text.geo,
            description="\n".join(lines),
            url=text.url,
            reminders=reminders,
        )
    ]
    if audience is Audience.VOLUNTEER and travel_min and context.settings.travel_events:
        travel_summary = _("Travel to %(place)s", place=text.place)
        if cancelled:
            travel_summary = _("Cancelled: %(summary)s", summary=travel_summary)
        events.append(
            FeedEvent(
                uid=f"travel-{appointment.uid}",
                starts_at=leave_at,
                ends_at=appointment.starts_at,
                summary=travel_summary,
                last_modified=last_modified,
                sequence=appointment.sequence,
                status=status,
                created_at=appointment.created_at,
                location=text.location,
                description=_leave_line(appointment, leave_at, travel_min, context),
                free=True,
            )
        )
    return events


def _leave_line(
    appointment: Appointment, leave_at: datetime, travel_min: int, context: Context
) -> str:
    when = local_time(leave_at, context.zone, context.locale)
    arrive = local_time(appointment.starts_at, context.zone, context.locale)
    if appointment.travel_km_before:
        return _(
            "Leave at %(time)s: %(minutes)d min on the road (%(km)s km) to arrive at %(arrive)s.",
            time=when,
            minutes=travel_min,
            km=km_text(appointment.travel_km_before, context.locale),
            arrive=arrive,
        )
    return _(
        "Leave at %(time)s: %(minutes)d min on the road to arrive at %(arrive)s.",
        time=when,
        minutes=travel_min,
        arrive=arrive,
    )


def _volunteer_label(appointment: Appointment) -> str:
    volunteer = appointment.volunteer
    if volunteer is None:
        return _("No volunteer yet")
    return short_name(volunteer.first_name, volunteer.last_name)


def _volunteer_line(appointment: Appointment, context: Context) -> str:
    volunteer = appointment.volunteer
    if volunteer is None:
        return _("No volunteer yet")
    phone = display_phone(volunteer.phone, context.country)
    if phone:
        return _("Volunteer: %(name)s, %(phone)s", name=volunteer.full_name, phone=phone)
    return _("Volunteer: %(name)s", name=volunteer.full_name)
