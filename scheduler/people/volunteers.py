"""Volunteers' profiles: who they are, where their day starts, what they can do, their limits.

Dispatchers edit whole profiles; volunteers edit their own limits and languages
(their week and days off live in :mod:`scheduler.people.availability`). Every lookup is
scoped to one organisation: an id from another one is simply not found.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from scheduler.core.phones import InvalidPhone
from scheduler.core.phones import parse_phone
from scheduler.core.validation import InputRefused
from scheduler.core.validation import is_latitude
from scheduler.core.validation import is_longitude
from scheduler.models import Municipality
from scheduler.models import Need
from scheduler.models import Organisation
from scheduler.models import Site
from scheduler.models import User
from scheduler.models import Volunteer

# Bounds of the limits a volunteer may set; beyond them a value is a typing mistake.
WALKING_KM_MAX = 30
KM_PER_DAY_MAX = 1000
ROAD_MIN_PER_DAY_MAX = 24 * 60
VISITS_PER_DAY_MAX = 30
VISITS_PER_WEEK_MAX = 150
WORK_HOURS_PER_WEEK_MAX = 80

NAME_MAX = 80
ADDRESS_MAX = 200
NOTES_MAX = 2000
#: Skills a volunteer can have: every need but "other".
SKILLS = tuple(n.value for n in Need if n is not Need.OTHER)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a volunteer gives; None means no limit of that kind."""

    has_car: bool
    walking_km: float
    max_km_per_day: int | None = None
    max_road_min_per_day: int | None = None
    max_visits_per_day: int | None = None
    max_visits_per_week: int | None = None
    max_work_min_per_week: int | None = None

    @classmethod
    def of(cls, volunteer: Volunteer) -> Limits:
        return cls(
            has_car=volunteer.has_car,
            walking_km=volunteer.walking_km,
            max_km_per_day=volunteer.max_km_per_day,
            max_road_min_per_day=volunteer.max_road_min_per_day,
            max_visits_per_day=volunteer.max_visits_per_day,
            max_visits_per_week=volunteer.max_visits_per_week,
            max_work_min_per_week=volunteer.max_work_min_per_week,
        )


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything a dispatcher types about a volunteer."""

    first_name: str
    last_name: str
    limits: Limits
    phone: str | None = None
    email: str | None = None
    home_address: str | None = None
    home_municipality_id: int | None = None
    home_lat: float | None = None
    home_lon: float | None = None
    starts_from_site_id: int | None = None
    languages: Sequence[str] = ()
    skills: Sequence[str] = ()
    notes: str | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class VolunteerFilter:
    """The list's filters; None means "any"."""

    active: bool | None = True
    language: str | None = None
    has_car: bool | None = None
    municipality_id: int | None = None
    skill: str | None = None
    name: str | None = None


def _within(value: float | None, high: float, field: str) -> None:
    if value is not None and not 0 <= value <= high:
        raise InputRefused(field, "out_of_range", high=high)


def check_limits(limits: Limits) -> None:
    """:raises InputRefused: a limit is out of bounds or contradicts another."""
    _within(limits.walking_km, WALKING_KM_MAX, "walking_km")
    _within(limits.max_km_per_day, KM_PER_DAY_MAX, "max_km_per_day")
    _within(limits.max_road_min_per_day, ROAD_MIN_PER_DAY_MAX, "max_road_min_per_day")
    _within(limits.max_visits_per_day, VISITS_PER_DAY_MAX, "max_visits_per_day")
    _within(limits.max_visits_per_week, VISITS_PER_WEEK_MAX, "max_visits_per_week")
    _within(limits.max_work_min_per_week, WORK_HOURS_PER_WEEK_MAX * 60, "max_work_hours_per_week")
    day, week = limits.max_visits_per_day, limits.max_visits_per_week
    if day is not None and week is not None and day > week:
        raise InputRefused("max_visits_per_week", "week_below_day")


def _apply_limits(volunteer: Volunteer, limits: Limits) -> None:
    check_limits(limits)
    volunteer.has_car = limits.has_car
    volunteer.walking_km = float(limits.walking_km)
    volunteer.max_km_per_day = limits.max_km_per_day
    volunteer.max_road_min_per_day = limits.max_road_min_per_day
    volunteer.max_visits_per_day = limits.max_visits_per_day
    volunteer.max_visits_per_week = limits.max_visits_per_week
    volunteer.max_work_min_per_week = limits.max_work_min_per_week


def _codes(values: Sequence[str], allowed: Sequence[str] | None, field: str) -> list[str]:
    """Distinct codes in the order given; refuses any outside ``allowed``."""
    seen: list[str] = []
    for value in values:
        if allowed is not None and value not in allowed:
            raise InputRefused(field, "not_a_choice")
        if value not in seen:
            seen.append(value)
    return seen


def _text(value: str | None, limit: int, field: str) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise InputRefused(field, "too_long", limit=limit)
    return value or None


def _municipality(
    session: Session, organisation: Organisation, municipality_id: int | None, current: int | None
) -> Municipality | None:
    if municipality_id is None:
        return None
    town = session.get(Municipality, municipality_id)
    if town is None or town.organisation_id != organisation.id:
        raise InputRefused("home_municipality_id", "not_in_territory")
    if not town.active and town.id != current:
        raise InputRefused("home_municipality_id", "municipality_closed")
    return town


def _site(
    session: Session, organisation: Organisation, site_id: int | None, current: int | None
) -> Site | None:
    if site_id is None:
        return None
    site = session.get(Site, site_id)
    if site is None or site.organisation_id != organisation.id:
        raise InputRefused("starts_from_site_id", "not_a_site")
    if not site.active and site.id != current:
        raise InputRefused("starts_from_site_id", "site_closed")
    return site


def _apply_profile(
    session: Session, volunteer: Volunteer, profile: Profile, languages: Sequence[str] | None
) -> None:
    org = volunteer.organisation
    first_name = _text(profile.first_name, NAME_MAX, "first_name")
    if first_name is None:
        raise InputRefused("first_name", "first_name_missing")
    volunteer.first_name = first_name
    volunteer.last_name = _text(profile.last_name, NAME_MAX, "last_name") or ""
    phone = (profile.phone or "").strip()
    try:
        volunteer.phone = parse_phone(phone, org.country) if phone else None
    except InvalidPhone:
        raise InputRefused("phone", "phone") from None
    volunteer.email = _text(profile.email, 254, "email")
    volunteer.home_address = _text(profile.home_address, ADDRESS_MAX, "home_address")
    volunteer.notes = _text(profile.notes, NOTES_MAX, "notes")
    volunteer.languages = _codes(profile.languages, languages, "languages")
    volunteer.skills = _codes(profile.skills, SKILLS, "skills")
    volunteer.active = profile.active

    town = _municipality(session, org, profile.home_municipality_id, volunteer.home_municipality_id)
    volunteer.home_municipality = town
    lat, lon = profile.home_lat, profile.home_lon
    if (lat is None) != (lon is None):
        missing = "home_lon" if lon is None else "home_lat"
        raise InputRefused(missing, "coordinates_pair")
    if lat is not None and lon is not None:
        if not is_latitude(lat):
            raise InputRefused("home_lat", "latitude")
        if not is_longitude(lon):
            raise InputRefused("home_lon", "longitude")
        volunteer.home_lat, volunteer.home_lon, volunteer.home_approximate = lat, lon, False
    elif town is not None:
        # Only the municipality is known: its centre stands in for the home.
        volunteer.home_lat, volunteer.home_lon, volunteer.home_approximate = (
            town.lat,
            town.lon,
            True,
        )
    else:
        volunteer.home_lat = volunteer.home_lon = None
        volunteer.home_approximate = True
    site = _site(session, org, profile.starts_from_site_id, volunteer.starts_from_site_id)
    volunteer.starts_from_site = site
    _apply_limits(volunteer, profile.limits)


def create_volunteer(
    session: Session,
    organisation: Organisation,
    profile: Profile,
    now: datetime,
    *,
    languages: Sequence[str] | None = None,
) -> Volunteer:
    """Add a volunteer (no login yet, no availability yet).

    :param languages: the language codes offered; None accepts any.
    :raises InputRefused: a value cannot be saved; nothing is saved.
    """
    volunteer = Volunteer(organisation=organisation, created_at=now, updated_at=now)
    # Checked before it joins the session, so a refusal leaves nothing behind.
    _apply_profile(session, volunteer, profile, languages)
    session.add(volunteer)
    session.commit()
    return volunteer


def update_volunteer(
    session: Session,
    volunteer: Volunteer,
    profile: Profile,
    now: datetime,
    *,
    languages: Sequence[str] | None = None,
) -> Volunteer:
    """Replace a volunteer's profile.

    :raises InputRefused: a value cannot be saved; the change is rolled back.
    """
    try:
        _apply_profile(session, volunteer, profile, languages)
    except InputRefused:
        session.rollback()
        raise
    volunteer.updated_at = now
    session.commit()
    return volunteer


def update_own_limits(
    session: Session,
    volunteer: Volunteer,
    limits: Limits,
    languages: Sequence[str],
    now: datetime,
    *,
    offered_languages: Sequence[str] | None = None,
) -> Volunteer:
    """What a volunteer may change about themselves: limits, car, languages.

    :raises InputRefused: a value cannot be saved; the change is rolled back.
    """
    try:
        chosen = _codes(languages, offered_languages, "languages")
        _apply_limits(volunteer, limits)
    except InputRefused:
        session.rollback()
        raise
    volunteer.languages = chosen
    volunteer.updated_at = now
    session.commit()
    return volunteer


def find_volunteer(session: Session, organisation_id: int, volunteer_id: int) -> Volunteer | None:
    """The volunteer with this id in this organisation, or None."""
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.organisation_id != organisation_id:
        return None
    return volunteer


def volunteer_for_user(session: Session, user: User) -> Volunteer | None:
    """The profile linked to a login, if any."""
    return session.scalars(
        sa.select(Volunteer).where(
            Volunteer.user_id == user.id, Volunteer.organisation_id == user.organisation_id
        )
    ).first()


def find_volunteer_by_email(session: Session, email: str) -> Volunteer | None:
    """The volunteer who signs in with ``email``, or whose profile has it."""
    address = email.strip().lower()
    user = session.scalars(sa.select(User).where(sa.func.lower(User.email) == address)).first()
    if user is not None and user.volunteer is not None:
        return user.volunteer
    return session.scalars(
        sa.select(Volunteer).where(sa.func.lower(Volunteer.email) == address).order_by(Volunteer.id)
    ).first()


def _sort_key(volunteer: Volunteer) -> tuple[str, str]:
    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    return plain(volunteer.last_name), plain(volunteer.first_name)


def list_volunteers(
    session: Session, organisation_id: int, filters: VolunteerFilter
) -> list[Volunteer]:
    """The organisation's volunteers matching every filter, by last name then first name."""
    query = (
        sa.select(Volunteer)
        .where(Volunteer.organisation_id == organisation_id)
        .options(
            selectinload(Volunteer.availability),
            selectinload(Volunteer.home_municipality),
            selectinload(Volunteer.user),
        )
    )
    if filters.active is not None:
        query = query.where(Volunteer.active.is_(filters.active))
    if filters.has_car is not None:
        query = query.where(Volunteer.has_car.is_(filters.has_car))
    if filters.municipality_id is not None:
        query = query.where(Volunteer.home_municipality_id == filters.municipality_id)
    found = list(session.scalars(query))
    # Languages and skills are short JSON lists; filtering them here keeps SQLite and
    # PostgreSQL identical, and an association has dozens of volunteers, not thousands.
    if filters.language:
        found = [v for v in found if filters.language in (v.languages or [])]
    if filters.skill:
        found = [v for v in found if filters.skill in (v.skills or [])]
    if filters.name:
        needle = filters.name.strip().casefold()
        found = [v for v in found if needle in v.full_name.casefold()]
    return sorted(found, key=_sort_key)
