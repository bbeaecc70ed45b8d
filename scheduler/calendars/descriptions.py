"""Words of one appointment's event: its title, where, the map link and the lines of text.

What each audience may read is decided here; see ``events`` for the audiences.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from dataclasses import field
from zoneinfo import ZoneInfo

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import Mode
from ..models import Organisation
from ..models import Site
from .settings import FeedSettings
from .texts import _
from .texts import languages_text
from .texts import map_link
from .texts import needs_text
from .texts import phone_display
from .texts import phone_uri
from .texts import short_name


class Audience(enum.Enum):
    VOLUNTEER = "volunteer"
    TEAM = "team"


@dataclass
class Context:
    """What describing an appointment needs besides the appointment."""

    organisation: Organisation
    zone: ZoneInfo
    settings: FeedSettings
    locale: str
    #: Drop-in appointments by site, to tell who else is on duty and who is expected.
    dropins: dict[int, list[Appointment]] = field(default_factory=dict)

    @property
    def country(self) -> str:
        return self.organisation.country


@dataclass(frozen=True, slots=True)
class Text:
    summary: str
    #: Where the volunteer goes, for "Travel to …".
    place: str
    lines: list[str]
    location: str | None = None
    geo: tuple[float, float] | None = None
    url: str | None = None


def describe(
    appointment: Appointment, context: Context, audience: Audience, related: list[Appointment]
) -> Text:
    if appointment.kind is Mode.DROPIN and appointment.request is None:
        return _describe_duty(appointment, context, audience, related)
    return _describe_help(appointment, context)


def _describe_help(appointment: Appointment, context: Context) -> Text:
    """A home visit, a call, or a beneficiary's drop-in visit: one person helped."""
    request = appointment.request
    beneficiary = request.beneficiary if request is not None else None
    name = beneficiary.first_name if beneficiary is not None else _("the person")
    phone = beneficiary.phone if beneficiary is not None else None
    shown_phone = phone_display(phone, context.country)
    lines: list[str] = []
    location = geo = url = None
    town = request.municipality.name if request is not None else ""

    if appointment.kind is Mode.PHONE:
        summary = _("Phone call: %(name)s", name=name)
        place = name
        url = phone_uri(phone, context.country)
        if shown_phone:
            lines.append(_("Call %(name)s at %(phone)s.", name=name, phone=shown_phone))
            location = shown_phone
        if url:
            lines.append(url)
    elif appointment.kind is Mode.DROPIN:
        site = appointment.site
        site_name = site.name if site is not None else ""
        summary = _("Drop-in visit: %(name)s at %(site)s", name=name, site=site_name)
        place = site_name
        if site is not None:
            location = site_location(site)
            geo = (site.lat, site.lon)
            url = map_link(
                context.settings.map_url,
                context.settings.map_search_url,
                lat=site.lat,
                lon=site.lon,
                address=location,
            )
        if shown_phone:
            lines.append(_("Phone: %(phone)s", phone=shown_phone))
    else:
        summary = _("Home visit: %(name)s (%(town)s)", name=name, town=town)
        place = f"{name} ({town})"
        address = request.address if request is not None else None
        location = ", ".join(part for part in (address, town) if part)
        exact = request is not None and not request.location_approximate
        lat = request.lat if request is not None and exact else None
        lon = request.lon if request is not None and exact else None
        if lat is not None and lon is not None:
            geo = (lat, lon)
        url = map_link(
            context.settings.map_url,
            context.settings.map_search_url,
            lat=lat,
            lon=lon,
            address=location,
        )
        if shown_phone:
            lines.append(_("Phone: %(phone)s", phone=shown_phone))

    if request is not None:
        if request.needs:
            lines.append(_("Need: %(needs)s", needs=needs_text(request.needs)))
        if request.need_details:
            lines.append(_("In their words: %(text)s", text=request.need_details))
        if request.languages:
            lines.append(
                _(
                    "Speaks: %(languages)s",
                    languages=languages_text(request.languages, context.locale),
                )
            )
        if beneficiary is not None and beneficiary.accessibility_notes:
            lines.append(_("Accessibility: %(notes)s", notes=beneficiary.accessibility_notes))
        if request.series is not None and request.session_number:
            lines.append(
                _(
                    "Session %(number)d of %(total)d",
                    number=request.session_number,
                    total=request.series.sessions_total,
                )
            )
    if location and appointment.kind is not Mode.PHONE:
        lines.append(_("Address: %(address)s", address=location))
    if url and appointment.kind is not Mode.PHONE:
        lines.append(_("Map: %(url)s", url=url))
    if request is not None:
        lines.append(_("Reference: %(reference)s", reference=request.reference))
    return Text(summary, place, lines, location, geo, url)


def _describe_duty(
    appointment: Appointment, context: Context, audience: Audience, related: list[Appointment]
) -> Text:
    """A volunteer's turn at a drop-in: the site, who else is there, who is expected."""
    site = appointment.site
    site_name = site.name if site is not None else ""
    lines: list[str] = []
    live = [a for a in related if a.status is not AppointmentStatus.CANCELLED]
    others = [a.volunteer for a in live if a.volunteer is not None and a.request is None]
    names = sorted({short_name(v.first_name, v.last_name) for v in others})
    if audience is Audience.VOLUNTEER:
        if names:
            lines.append(_("Also on duty: %(names)s", names=", ".join(names)))
        else:
            lines.append(_("You are the only volunteer on duty."))
    elif names:
        lines.append(_("Also on duty: %(names)s", names=", ".join(names)))
    visitors = [a.request for a in live if a.request is not None]
    if visitors:
        lines.append(_("Visitors booked: %(count)d", count=len(visitors)))
        spoken = sorted({code for r in visitors for code in r.languages or []})
        if spoken:
            lines.append(
                _(
                    "Their languages: %(languages)s",
                    languages=languages_text(spoken, context.locale),
                )
            )
    location = url = None
    geo = None
    if site is not None:
        location = site_location(site)
        geo = (site.lat, site.lon)
        url = map_link(
            context.settings.map_url,
            context.settings.map_search_url,
            lat=site.lat,
            lon=site.lon,
            address=location,
        )
        if site.workstations:
            lines.append(_("Computers available: %(count)d", count=site.workstations))
        if site.access_notes:
            lines.append(_("Access: %(notes)s", notes=site.access_notes))
        lines.append(_("Address: %(address)s", address=location))
    if url:
        lines.append(_("Map: %(url)s", url=url))
    summary = _("Drop-in: %(site)s", site=site_name)
    return Text(summary, site_name, lines, location, geo, url)


def site_location(site: Site) -> str:
    parts = [site.name, site.address]
    town = site.municipality.name if site.municipality is not None else None
    if town and town not in site.address:
        parts.append(town)
    return ", ".join(p for p in parts if p)
