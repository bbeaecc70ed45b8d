"""What demo requests say: realistic needs, in the words people use."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..models import Mode
from ..models import Priority
from ..models import Referral
from ..models import Source


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
