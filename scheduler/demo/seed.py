"""A realistic demo: a digital-help association around Drummondville (Québec).

Twelve volunteers with varied hours, cars, languages and limits; about sixty
open requests of all three modes across the MRC; a drop-in local; a few
confirmed appointments this week and next so calendars show something at once; and
twelve past weeks of requests, published plans and visits for the observatory.
Everything is made up except the municipalities (see ``drummond_municipalities.csv``).
"""

from __future__ import annotations

import random
from datetime import datetime
from datetime import time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import AvailabilityWindow
from ..models import Organisation
from ..models import Role
from ..models import Site
from ..models import SiteOpening
from ..models import User
from ..models import Volunteer
from ..models import utcnow
from .appointments import make_appointments
from .devices import make_grant_laptops
from .devices import make_refurbished
from .history import make_history
from .partners import make_partners
from .requests import make_requests
from .requests import make_series
from .requests import street_for
from .territory import TIMEZONE
from .territory import load_municipalities
from .territory import near
from .volunteers import VOLUNTEERS
from .workshops import make_nord_organisation
from .workshops import make_workshops

DEMO_PASSWORD = "demo-escouade"
DEMO_DOMAIN = "escouade.demo"


class DemoAlreadyLoaded(RuntimeError):
    """The database already holds an organisation."""


def demo_logins(session: Session) -> list[tuple[str, str, str]]:
    """The demo's logins that still exist with the demo password."""
    users = session.scalars(
        sa.select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")).order_by(User.id)
    )
    return [
        (u.role.value, u.email, DEMO_PASSWORD) for u in users if u.check_password(DEMO_PASSWORD)
    ]


def _hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def seed_demo(
    session: Session,
    *,
    force: bool = False,
    now: datetime | None = None,
    seed: int = 2026,
    nord: bool = False,
) -> list[tuple[str, str, str]]:
    """Load the demo; return the logins as (role, e-mail, password).

    ``nord`` adds the second organisation, in the Nord (``escouade seed-demo`` does):
    code and tests that expect the one Drummond organisation leave it out.
    """
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
    towns = load_municipalities(org)
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
    staff: User | None = None
    for role, local, name in (
        (Role.ADMIN, "admin", "Isabelle (admin)"),
        (Role.DISPATCHER, "repartition", "Chantal (répartition)"),
    ):
        user = User(organisation=org, email=f"{local}@{domain}", role=role, display_name=name)
        user.set_password(DEMO_PASSWORD)
        session.add(user)
        logins.append((role.value, user.email, DEMO_PASSWORD))
        staff = user

    volunteers = []
    for spec in VOLUNTEERS:
        town = towns[spec.town]
        lat, lon = near(rng, town, 1.5)
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

    requests = make_requests(session, rng, org, towns, site, now)
    logins += make_partners(session, org, requests, domain=domain, password=DEMO_PASSWORD)
    make_series(session, rng, org, towns, now)
    make_appointments(session, org, site, volunteers, requests, now)
    make_history(session, rng, org, towns, site, volunteers, now)
    assert staff is not None
    # Group workshops: Partance's programme here, and a second organisation in the Nord.
    # Both return their programmes and series (DemoWorkshops) for the demo's laptops.
    workshops = make_workshops(session, rng, org, towns, volunteers, staff, now)
    make_grant_laptops(session, rng, org, now, workshops.series)
    if nord:
        nord_made, nord_logins = make_nord_organisation(
            session, rng, now, domain=domain, password=DEMO_PASSWORD
        )
        make_refurbished(session, rng, nord_made.programmes[0].organisation, now, nord_made.series)
        logins += nord_logins
    session.commit()
    return logins


def _ascii(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "").replace("'", "")
