"""What demo requests say: realistic needs, in the words people use."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..core.tokens import new_token
from ..models import Beneficiary
from ..models import HelpRequest
from ..models import Mode
from ..models import Municipality
from ..models import Organisation
from ..models import Priority
from ..models import Referral
from ..models import RequestEvent
from ..models import RequestStatus
from ..models import Series
from ..models import Site
from ..models import Source
from ..requests.references import new_reference
from .territory import RURAL_FOCUS
from .territory import TIMEZONE
from .territory import near


@dataclass(frozen=True)
class RequestTemplate:
    mode: Mode
    needs: tuple[str, ...]
    details: str
    language: str = "fr"
    priority: Priority = Priority.NORMAL
    deadline_days: int | None = None
    source: Source = Source.ONLINE
    referral: Referral | None = Referral.WORD_OF_MOUTH
    referrer: str | None = None
    accessibility: str | None = None


H, P, D = Mode.HOME, Mode.PHONE, Mode.DROPIN

REQUEST_TEMPLATES = (
    RequestTemplate(
        H,
        ("public_services",),
        "Ma demande d'assurance-emploi en ligne doit être faite avant la fin du mois.",
        priority=Priority.URGENT,
        deadline_days=6,
        referral=Referral.MUNICIPALITY,
    ),
    RequestTemplate(P, ("email",), "Je ne reçois plus mes courriels sur ma tablette."),
    RequestTemplate(
        H,
        ("video_calls",),
        "Je voudrais parler en vidéo avec mes petits-enfants à Calgary.",
        accessibility="Malentendante : sonner deux fois et attendre.",
    ),
    RequestTemplate(D, ("smartphone",), "Apprendre à envoyer des photos avec mon cellulaire."),
    RequestTemplate(
        H,
        ("keyboard_mouse", "email"),
        "Mon fils m'a donné un ordinateur, je ne sais pas m'en servir.",
        source=Source.PARTNER,
        referral=Referral.SOCIAL_WORKER,
        referrer="CLSC Drummond",
    ),
    RequestTemplate(
        P,
        ("public_services",),
        "Renouveler ma carte d'assurance maladie en ligne.",
        priority=Priority.HIGH,
        deadline_days=12,
    ),
    RequestTemplate(
        H,
        ("school_portal",),
        "Voir les notes de mes enfants sur le portail de l'école.",
        language="ar",
        source=Source.PARTNER,
        referral=Referral.SCHOOL,
        referrer="École primaire Saint-Pierre",
    ),
    RequestTemplate(
        D,
        ("job_search",),
        "Mettre mon CV en ligne et postuler.",
        language="es",
        referral=Referral.FOOD_BANK,
        referrer="Comptoir alimentaire Drummond",
    ),
    RequestTemplate(
        H,
        ("public_services",),
        "Demande d'allocation famille sur le site de Retraite Québec.",
        language="es",
        priority=Priority.HIGH,
        deadline_days=10,
        source=Source.PARTNER,
        referral=Referral.SOCIAL_WORKER,
        referrer="Regroupement interculturel de Drummondville",
    ),
    RequestTemplate(
        P, ("smartphone",), "My phone keeps asking for a password I forgot.", language="en"
    ),
    RequestTemplate(
        H,
        ("email", "smartphone"),
        "Créer une adresse courriel pour recevoir les résultats de laboratoire.",
        accessibility="Se déplace en fauteuil roulant.",
    ),
    RequestTemplate(
        D,
        ("keyboard_mouse",),
        "Je n'ai jamais utilisé d'ordinateur.",
        referral=Referral.LIBRARY,
        referrer="Bibliothèque Côme-Saint-Germain",
    ),
    RequestTemplate(
        H,
        ("public_services",),
        "Faire ma déclaration de revenus en ligne pour avoir le crédit solidarité.",
        priority=Priority.HIGH,
        deadline_days=14,
    ),
    RequestTemplate(
        P,
        ("video_calls",),
        "Installer Zoom pour mon rendez-vous de télésanté.",
        priority=Priority.HIGH,
        deadline_days=4,
    ),
    RequestTemplate(
        H,
        ("smartphone",),
        "أريد تعلم استخدام الهاتف الذكي للتواصل مع عائلتي.",
        language="ar",
        source=Source.PARTNER,
        referral=Referral.HOUSING,
        referrer="Office d'habitation Drummond",
    ),
    RequestTemplate(
        H, ("other",), "Brancher mon imprimante et imprimer des formulaires.", priority=Priority.LOW
    ),
    RequestTemplate(
        P,
        ("job_search",),
        "Préparer une entrevue d'embauche par vidéo.",
        language="fr",
        deadline_days=8,
    ),
    RequestTemplate(
        H,
        ("email",),
        "I need help setting up my e-mail on a new laptop.",
        language="en",
        accessibility="Large dog, friendly; please knock.",
    ),
    RequestTemplate(
        D, ("public_services",), "Prendre rendez-vous en ligne à la SAAQ.", language="ar"
    ),
    RequestTemplate(
        H, ("keyboard_mouse",), "Apprendre les bases, à mon rythme.", priority=Priority.LOW
    ),
)

FIRST_NAMES = {
    "fr": (
        "Jeannine",
        "Roger",
        "Denise",
        "Gaétan",
        "Huguette",
        "Réjean",
        "Micheline",
        "Lise",
        "Normand",
        "Thérèse",
        "Claude",
        "Yvette",
        "Marcel",
        "Ginette",
        "Rosaire",
    ),
    "en": ("Margaret", "Robert", "Dorothy", "William", "Helen"),
    "es": ("Rosa", "Carlos", "María José", "Luis", "Gabriela"),
    "ar": ("Amina", "Youssef", "Khadija", "Karim", "Samira"),
}

STREETS = {
    "Drummondville": (
        "rue Lindsay",
        "boulevard Saint-Joseph",
        "rue Hériot",
        "rue Cockburn",
        "rue Saint-Pierre",
        "boulevard Mercure",
        "rue Celanese",
    ),
    "Wickham": ("rue Principale", "rang 10", "rue Saint-Jacques"),
    "L'Avenir": ("rue Principale", "rang de la Rivière", "route 143"),
    "Saint-Félix-de-Kingsey": ("rue de l'Église", "rang 4", "route 243"),
}
GENERIC_STREETS = ("rue Principale", "rang 2", "rang 3", "rue de l'Église", "chemin du Moulin")


def first_names(language: str) -> tuple[str, ...]:
    return FIRST_NAMES.get(language, FIRST_NAMES["fr"])


def street_for(rng: random.Random, town: str) -> str:
    return rng.choice(STREETS.get(town, GENERIC_STREETS))


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


def make_requests(
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
            lat, lon = near(rng, town, 2.5 if town.name in RURAL_FOCUS else 1.5)
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


def make_series(
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
    lat, lon = near(rng, town, 2.0)
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
