"""The words of calendar events, in the language chosen by the caller.

Callers wrap their work in ``in_language(locale)``: Flask-Babel's ``force_locale``, with
the catalogue looked up once for the whole feed instead of once per phrase (a feed has
thousands of them). The small formats take the locale explicitly so that they do not
depend on a request. :func:`describe` writes one appointment's event (title, place, map
link, lines of text) and decides what each audience may read; see ``events`` for the
audiences.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import get_translations
from flask_babel import gettext as _flask_gettext
from flask_babel import pgettext as _flask_pgettext

from scheduler.core.i18n import clock_text
from scheduler.core.i18n import language_name
from scheduler.core.phones import display_phone
from scheduler.core.phones import phone_uri
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import Site

from .settings import FeedSettings

_catalogue: ContextVar[Any] = ContextVar("escouade_feed_catalogue", default=None)


@contextmanager
def in_language(locale: str) -> Iterator[None]:
    """Event texts in ``locale`` for the duration of the block."""
    with force_locale(locale):
        token = _catalogue.set(get_translations())
        try:
            yield
        finally:
            _catalogue.reset(token)


def _(message: str, /, **variables: object) -> str:
    """gettext, typed: the message in the chosen language, with %(name)s filled in."""
    catalogue = _catalogue.get()
    text = str(catalogue.ugettext(message) if catalogue else _flask_gettext(message))
    return text % variables if variables else text


def pgettext(context: str, message: str, /) -> str:
    catalogue = _catalogue.get()
    if catalogue:
        return str(catalogue.upgettext(context, message))
    return str(_flask_pgettext(context, message))


NEED_LABELS: dict[str, Callable[[], str]] = {
    "email": lambda: pgettext("need", "E-mail"),
    "public_services": lambda: pgettext("need", "Online public services"),
    "video_calls": lambda: pgettext("need", "Video calls"),
    "school_portal": lambda: pgettext("need", "School portal"),
    "smartphone": lambda: pgettext("need", "Smartphone"),
    "keyboard_mouse": lambda: pgettext("need", "Keyboard and mouse"),
    "job_search": lambda: pgettext("need", "Job search"),
    "other": lambda: pgettext("need", "Other"),
}


def need_label(code: str) -> str:
    label = NEED_LABELS.get(code)
    return label() if label is not None else code


def needs_text(codes: list[str] | None) -> str:
    return ", ".join(need_label(c) for c in codes or [])


def languages_text(codes: list[str] | None, locale: str) -> str:
    return _languages_text(tuple(codes or ()), locale)


@lru_cache(maxsize=1024)
def _languages_text(codes: tuple[str, ...], locale: str) -> str:
    return ", ".join(language_name(c, locale) for c in codes)


def short_name(first_name: str, last_name: str | None) -> str:
    """First name and initial: "Fatima B."."""
    last = (last_name or "").strip()
    return f"{first_name} {last[0]}." if last else first_name


def local_time(moment: datetime, zone: ZoneInfo, locale: str) -> str:
    """The local time as the pages write it ("8 h 53", not Babel's "08 h 53")."""
    return clock_text(moment.astimezone(zone).time(), locale)


def km_text(km: float, locale: str) -> str:
    return str(format_decimal(round(km, 1), "#,##0.#", locale=locale))


def map_link(
    template: str,
    search_template: str,
    *,
    lat: float | None,
    lon: float | None,
    address: str | None,
) -> str | None:
    """A web map of the place: at its coordinates when known, else a search for its address."""
    if lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon):
        return template.format(lat=f"{lat:.6f}", lon=f"{lon:.6f}")
    if address:
        return search_template.format(query=quote(address, safe=""))
    return None


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
    shown_phone = display_phone(phone, context.country)
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
            location, geo, url = site_place(site, context.settings)
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
        location, geo, url = site_place(site, context.settings)
        if site.workstations:
            lines.append(_("Computers available: %(count)d", count=site.workstations))
        if site.access_notes:
            lines.append(_("Access: %(notes)s", notes=site.access_notes))
        lines.append(_("Address: %(address)s", address=location))
    if url:
        lines.append(_("Map: %(url)s", url=url))
    summary = _("Drop-in: %(site)s", site=site_name)
    return Text(summary, site_name, lines, location, geo, url)


def site_place(site: Site, settings: FeedSettings) -> tuple[str, tuple[float, float], str | None]:
    """A site's address line, its coordinates and its map link."""
    location = site_location(site)
    url = map_link(
        settings.map_url, settings.map_search_url, lat=site.lat, lon=site.lon, address=location
    )
    return location, (site.lat, site.lon), url


def site_location(site: Site) -> str:
    parts = [site.name, site.address]
    town = site.municipality.name if site.municipality is not None else None
    if town and town not in site.address:
        parts.append(town)
    return ", ".join(p for p in parts if p)
