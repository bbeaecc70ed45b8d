"""A realistic demo: a digital-help association around Drummondville (Québec).

Twelve volunteers with varied hours, cars, languages and limits; about sixty
open requests of all three modes across the MRC; a drop-in local; a few
confirmed appointments this week and next so calendars show something at once.
Everything is made up except the municipalities (see ``drummond_municipalities.csv``).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.tokens import new_token
from scheduler.requests.references import new_reference

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import AvailabilityWindow
from ..models import Beneficiary
from ..models import HelpRequest
from ..models import Mode
from ..models import Municipality
from ..models import Organisation
from ..models import Priority
from ..models import Referral
from ..models import RequestEvent
from ..models import RequestStatus
from ..models import Role
from ..models import Series
from ..models import Site
from ..models import SiteOpening
from ..models import Source
from ..models import User
from ..models import Volunteer
from ..models import utcnow
from .requests import REQUEST_TEMPLATES
from .requests import first_names
from .requests import street_for

DEMO_PASSWORD = "demo-escouade"
DEMO_DOMAIN = "escouade.demo"
TIMEZONE = "America/Toronto"
MUNICIPALITIES_CSV = Path(__file__).with_name("drummond_municipalities.csv")


class DemoAlreadyLoaded(RuntimeError):
    """The database already holds an organisation."""


@dataclass(frozen=True)
class VolunteerSpec:
    first: str
    last: str
    town: str
    languages: tuple[str, ...]
    skills: tuple[str, ...]
    car: bool
    windows: tuple[tuple[int, str, str], ...]
    max_km: int | None = None
    max_road_min: int | None = None
    max_day: int | None = None
    max_week: int | None = None
    max_week_hours: int | None = None
    login: bool = False


ALL_SKILLS = (
    "email",
    "public_services",
    "video_calls",
    "school_portal",
    "smartphone",
    "keyboard_mouse",
    "job_search",
)

VOLUNTEERS = (
    VolunteerSpec(
        "Sylvie",
        "Tremblay",
        "Drummondville",
        ("fr", "en"),
        ("email", "public_services", "smartphone", "video_calls"),
        True,
        (
            (0, "09:00", "12:00"),
            (0, "13:00", "16:00"),
            (2, "09:00", "12:00"),
            (2, "13:00", "16:00"),
        ),
        60,
        120,
        4,
        10,
        16,
        login=True,
    ),
    VolunteerSpec(
        "Marc",
        "Gagnon",
        "Saint-Cyrille-de-Wendover",
        ("fr",),
        ("email", "keyboard_mouse", "smartphone"),
        True,
        ((1, "09:00", "16:00"), (3, "09:00", "16:00")),
        80,
        150,
        4,
        8,
    ),
    VolunteerSpec(
        "Fatima",
        "Benali",
        "Drummondville",
        ("fr", "ar"),
        ("email", "public_services", "school_portal", "smartphone"),
        False,
        ((1, "09:00", "12:00"), (3, "13:00", "17:00")),
        None,
        None,
        5,
        10,
        8,
        login=True,
    ),
    VolunteerSpec(
        "Lucía",
        "Hernández",
        "Drummondville",
        ("es", "fr", "en"),
        ("email", "public_services", "job_search", "video_calls"),
        True,
        ((2, "13:00", "17:00"), (4, "13:00", "17:00")),
        50,
        90,
        3,
        6,
    ),
    VolunteerSpec(
        "Jean-Guy",
        "Lemieux",
        "Wickham",
        ("fr",),
        ("keyboard_mouse", "email", "smartphone"),
        True,
        (
            (0, "09:00", "12:00"),
            (1, "09:00", "12:00"),
            (3, "09:00", "12:00"),
            (4, "09:00", "12:00"),
        ),
        50,
        90,
        2,
        6,
    ),
    VolunteerSpec(
        "Nathalie",
        "Roy",
        "L'Avenir",
        ("fr",),
        ("email", "public_services", "video_calls", "smartphone"),
        True,
        ((1, "13:00", "17:00"), (3, "13:00", "17:00")),
        70,
        120,
        3,
        6,
    ),
    VolunteerSpec(
        "Karine",
        "Bergeron",
        "Saint-Félix-de-Kingsey",
        ("fr", "en"),
        ("school_portal", "email", "keyboard_mouse"),
        True,
        ((0, "13:00", "16:00"), (2, "13:00", "16:00")),
        60,
        100,
        3,
        5,
    ),
    VolunteerSpec(
        "Omar",
        "Haddad",
        "Drummondville",
        ("ar", "fr", "en"),
        ("smartphone", "video_calls", "job_search", "email"),
        False,
        ((2, "17:00", "20:00"), (5, "09:00", "12:00")),
        None,
        None,
        3,
        5,
        6,
    ),
    VolunteerSpec(
        "Émilie",
        "Côté",
        "Saint-Majorique-de-Grantham",
        ("fr",),
        ("public_services", "email", "school_portal"),
        True,
        ((4, "09:00", "16:00"),),
        60,
        120,
        4,
        4,
    ),
    VolunteerSpec(
        "David",
        "Morrison",
        "Kingsey Falls",
        ("en", "fr"),
        ("keyboard_mouse", "email", "video_calls"),
        True,
        ((0, "09:00", "15:00"), (3, "09:00", "15:00")),
        90,
        150,
        4,
        8,
    ),
    VolunteerSpec(
        "Ana Sofia",
        "Pereira",
        "Drummondville",
        ("es", "pt", "fr"),
        ("smartphone", "email", "job_search"),
        False,
        ((1, "09:00", "12:00"), (3, "17:00", "20:00")),
        None,
        None,
        3,
        5,
        6,
    ),
    VolunteerSpec(
        "Gilles",
        "Pelletier",
        "Saint-Germain-de-Grantham",
        ("fr",),
        ("keyboard_mouse", "smartphone"),
        True,
        ((0, "10:00", "12:00"), (2, "10:00", "12:00"), (4, "10:00", "12:00")),
        45,
        60,
        3,
        6,
        6,
    ),
)

RURAL_FOCUS = ("Wickham", "L'Avenir", "Saint-Majorique-de-Grantham", "Saint-Félix-de-Kingsey")


def _load_municipalities(org: Organisation) -> dict[str, Municipality]:
    lines = [
        line
        for line in MUNICIPALITIES_CSV.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    towns = {}
    for row in csv.DictReader(lines):
        towns[row["name"]] = Municipality(
            organisation=org,
            name=row["name"],
            region=row["province"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
    return towns


def demo_logins(session: Session) -> list[tuple[str, str, str]]:
    """The demo's logins that still exist with the demo password."""
    users = session.scalars(
        sa.select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")).order_by(User.id)
    )
    return [
        (u.role.value, u.email, DEMO_PASSWORD) for u in users if u.check_password(DEMO_PASSWORD)
    ]


def _near(rng: random.Random, town: Municipality, km: float) -> tuple[float, float]:
    """A point within about ``km`` of the town centre."""
    return (
        round(town.lat + rng.uniform(-km, km) / 111.0, 5),
        round(town.lon + rng.uniform(-km, km) / 78.0, 5),
    )


def _hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def seed_demo(
    session: Session, *, force: bool = False, now: datetime | None = None, seed: int = 2026
) -> list[tuple[str, str, str]]:
    """Load the demo; return the logins as (role, e-mail, password)."""
    if not force and session.scalar(sa.select(sa.func.count(Organisation.id))):
        raise DemoAlreadyLoaded()
    now = now or utcnow()
    rng = random.Random(seed)
    org = Organisation(
        name="Aide numérique Drummond",
        slug=f"drummond-{rng.randrange(10**6):06d}" if force else "drummond",
        timezone=TIMEZONE,
        locale="fr_CA",
        country="CA",
        contact_email="bonjour@aide-numerique.example",
        contact_phone="+18195550100",
        retention_days=365,
    )
    session.add(org)
    towns = _load_municipalities(org)
    session.add_all(towns.values())

    site = Site(
        organisation=org,
        name="Local de la Maison des familles",
        address="255, rue Brock, Drummondville",
        municipality=towns["Drummondville"],
        lat=45.8802,
        lon=-72.4871,
        workstations=2,
        access_notes="Entrée de plain-pied par la rue Brock; stationnement à l'arrière.",
    )
    site.openings = [
        SiteOpening(
            weekday=1, starts=time(9), ends=time(10), volunteers_needed=2, visitors_per_hour=3
        ),
        SiteOpening(
            weekday=3,
            starts=time(13, 30),
            ends=time(15, 30),
            volunteers_needed=2,
            visitors_per_hour=3,
        ),
    ]
    session.add(site)

    domain = DEMO_DOMAIN
    logins: list[tuple[str, str, str]] = []
    for role, local, name in (
        (Role.ADMIN, "admin", "Isabelle (admin)"),
        (Role.DISPATCHER, "repartition", "Chantal (répartition)"),
    ):
        user = User(organisation=org, email=f"{local}@{domain}", role=role, display_name=name)
        user.set_password(DEMO_PASSWORD)
        session.add(user)
        logins.append((role.value, user.email, DEMO_PASSWORD))

    volunteers = []
    for spec in VOLUNTEERS:
        town = towns[spec.town]
        lat, lon = _near(rng, town, 1.5)
        volunteer = Volunteer(
            organisation=org,
            first_name=spec.first,
            last_name=spec.last,
            phone=f"+1819555{rng.randrange(200, 999):04d}",
            email=f"{_ascii(spec.first)}.{_ascii(spec.last)}@{domain}",
            home_address=f"{rng.randrange(10, 900)}, {street_for(rng, town.name)}, {town.name}",
            home_municipality=town,
            home_lat=lat,
            home_lon=lon,
            home_approximate=False,
            languages=list(spec.languages),
            skills=list(spec.skills),
            has_car=spec.car,
            walking_km=2.0,
            max_km_per_day=spec.max_km,
            max_road_min_per_day=spec.max_road_min,
            max_visits_per_day=spec.max_day,
            max_visits_per_week=spec.max_week,
            max_work_min_per_week=spec.max_week_hours * 60 if spec.max_week_hours else None,
            availability=[
                AvailabilityWindow(weekday=d, starts=_hm(a), ends=_hm(b))
                for d, a, b in spec.windows
            ],
        )
        if spec.login:
            user = User(
                organisation=org,
                email=f"{_ascii(spec.first)}@{domain}",
                role=Role.VOLUNTEER,
                display_name=spec.first,
            )
            user.set_password(DEMO_PASSWORD)
            volunteer.user = user
            logins.append((Role.VOLUNTEER.value, user.email, DEMO_PASSWORD))
        volunteers.append(volunteer)
    session.add_all(volunteers)
    session.flush()

    requests = _make_requests(session, rng, org, towns, site, now)
    _make_series(session, rng, org, towns, now)
    _make_appointments(session, org, site, volunteers, requests, now)
    session.commit()
    return logins


def _ascii(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "").replace("'", "")


def _new_request(session: Session, org: Organisation, **fields: object) -> HelpRequest:
    _, token_hash = new_token()
    request = HelpRequest(
        organisation=org,
        reference=new_reference(session),
        access_token_hash=token_hash,
        **fields,
    )
    session.add(request)
    session.flush()
    session.add(
        RequestEvent(
            request=request,
            at=request.created_at,
            kind="created",
            detail={"source": request.source.value},
        )
    )
    return request


def _make_requests(
    session: Session,
    rng: random.Random,
    org: Organisation,
    towns: dict[str, Municipality],
    site: Site,
    now: datetime,
) -> list[HelpRequest]:
    town_names = list(towns)
    weights = [
        6.0 if name == "Drummondville" else 2.5 if name in RURAL_FOCUS else 1.0
        for name in town_names
    ]
    local_today = now.astimezone(ZoneInfo(TIMEZONE)).date()
    periods = ("am", "pm", "eve")
    days = ("mon", "tue", "wed", "thu", "fri", "sat")
    made = []
    for i in range(60):
        template = REQUEST_TEMPLATES[i % len(REQUEST_TEMPLATES)]
        mode = template.mode
        town = towns[rng.choices(town_names, weights)[0]]
        language = template.language
        names = first_names(language)
        beneficiary = Beneficiary(
            organisation=org,
            first_name=rng.choice(names),
            phone=f"+1819555{rng.randrange(1000, 9999):04d}",
            email=None if rng.random() < 0.6 else f"demo{i}@courriel.example",
            accessibility_notes=template.accessibility,
        )
        session.add(beneficiary)
        if rng.random() < 0.2:
            availability, any_time = [], True
        else:
            picks = rng.sample([f"{d}-{p}" for d in days for p in periods if p != "eve"], 4)
            if rng.random() < 0.2:
                picks.append(f"{rng.choice(days[:5])}-eve")
            availability, any_time = sorted(picks), False
        created = now - timedelta(days=rng.randrange(0, 28), hours=rng.randrange(0, 10))
        lat = lon = None
        address = None
        if mode is Mode.HOME:
            lat, lon = _near(rng, town, 2.5 if town.name in RURAL_FOCUS else 1.5)
            address = f"{rng.randrange(10, 2000)}, {street_for(rng, town.name)}"
        status = RequestStatus.TRIAGED if rng.random() < 0.35 else RequestStatus.NEW
        deadline = None
        if template.deadline_days is not None:
            deadline = local_today + timedelta(days=template.deadline_days + rng.randrange(0, 5))
        request = _new_request(
            session,
            org,
            beneficiary=beneficiary,
            mode=mode,
            needs=list(template.needs),
            need_details=template.details,
            municipality=town,
            address=address,
            lat=lat,
            lon=lon,
            location_approximate=mode is not Mode.HOME,
            site=site if mode is Mode.DROPIN else None,
            availability=availability,
            any_time=any_time,
            deadline=deadline,
            languages=[language] if language == "fr" else [language, "fr"][: rng.choice((1, 2))],
            locale="fr_CA" if language == "fr" else ("en_CA" if language == "en" else "fr_CA"),
            duration_min={Mode.HOME: 90, Mode.PHONE: 30, Mode.DROPIN: 60}[mode],
            priority=int(template.priority),
            status=status,
            source=template.source,
            referral=template.referral,
            referrer_name=template.referrer,
            consent_at=created,
            created_at=created,
            updated_at=created,
        )
        made.append(request)
    return made


def _make_series(
    session: Session,
    rng: random.Random,
    org: Organisation,
    towns: dict[str, Municipality],
    now: datetime,
) -> None:
    town = towns["Saint-Majorique-de-Grantham"]
    series = Series(
        organisation=org, title="Cycle « Un ordinateur pour la famille »", sessions_total=8
    )
    session.add(series)
    beneficiary = Beneficiary(organisation=org, first_name="Grace", phone="+18195550177")
    session.add(beneficiary)
    lat, lon = _near(rng, town, 2.0)
    created = now - timedelta(days=9)
    for number in (1, 2):
        _new_request(
            session,
            org,
            beneficiary=beneficiary,
            mode=Mode.HOME,
            needs=["keyboard_mouse", "school_portal"],
            need_details=(
                "Famille orientée par le CIUSSS : 8 séances avant la remise d'un ordinateur "
                f"reconditionné. Séance {number} sur 8."
            ),
            municipality=town,
            address="88, rang Saint-Jean-Baptiste",
            lat=lat,
            lon=lon,
            location_approximate=False,
            availability=["tue-pm", "thu-pm", "sat-am"],
            deadline=None,
            languages=["fr", "en"],
            locale="fr_CA",
            duration_min=90,
            priority=int(Priority.NORMAL),
            status=RequestStatus.TRIAGED,
            source=Source.PARTNER,
            referral=Referral.SOCIAL_WORKER,
            referrer_name="CIUSSS MCQ, travailleuse sociale",
            consent_at=created,
            created_at=created,
            updated_at=created,
            series=series,
            session_number=number,
        )


def _make_appointments(
    session: Session,
    org: Organisation,
    site: Site,
    volunteers: list[Volunteer],
    requests: list[HelpRequest],
    now: datetime,
) -> None:
    """A few confirmed appointments this week and next, so every feed shows something."""
    zone = ZoneInfo(TIMEZONE)
    this_monday = _monday(now.astimezone(zone).date())
    by_name = {v.first_name: v for v in volunteers}
    homes = [r for r in requests if r.mode is Mode.HOME]
    phones = [r for r in requests if r.mode is Mode.PHONE]

    def at(week: int, weekday: int, hh: int, mm: int = 0) -> datetime:
        day = this_monday + timedelta(days=7 * week + weekday)
        return datetime.combine(day, time(hh, mm), tzinfo=zone)

    plan = [
        (by_name["Sylvie"], homes[0], at(0, 2, 10), 90, 18, 14.2),
        (by_name["Sylvie"], phones[0], at(0, 2, 13, 30), 30, None, None),
        (by_name["Sylvie"], homes[1], at(1, 0, 9, 30), 90, 22, 19.5),
        (by_name["Sylvie"], phones[1], at(1, 0, 14), 30, None, None),
        (by_name["Fatima"], phones[2], at(1, 3, 14), 30, None, None),
        (by_name["Marc"], homes[2], at(1, 1, 10), 90, 25, 21.0),
    ]
    for volunteer, request, start, minutes, travel_min, travel_km in plan:
        request.status = RequestStatus.CONFIRMED
        session.add(
            Appointment(
                organisation=org,
                kind=request.mode,
                request=request,
                volunteer=volunteer,
                starts_at=start.astimezone(ZoneInfo("UTC")),
                ends_at=(start + timedelta(minutes=minutes)).astimezone(ZoneInfo("UTC")),
                status=AppointmentStatus.CONFIRMED,
                travel_min_before=travel_min,
                travel_km_before=travel_km,
            )
        )
    for week in (0, 1):
        for volunteer in (by_name["Fatima"], by_name["Ana Sofia"]):
            start = at(week, 1, 9)
            session.add(
                Appointment(
                    organisation=org,
                    kind=Mode.DROPIN,
                    site=site,
                    volunteer=volunteer,
                    starts_at=start.astimezone(ZoneInfo("UTC")),
                    ends_at=(start + timedelta(hours=1)).astimezone(ZoneInfo("UTC")),
                    status=AppointmentStatus.CONFIRMED,
                )
            )
