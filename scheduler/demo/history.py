"""The demo's past twelve weeks, so that the observatory has something to show: requests
received week by week, published plans with the requests they left out and why, visits,
calls and drop-ins held, a few cancellations and no-shows."""

from __future__ import annotations

import random
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import Appointment
from ..models import AppointmentStatus
from ..models import Beneficiary
from ..models import HelpRequest
from ..models import Mode
from ..models import Municipality
from ..models import Organisation
from ..models import Plan
from ..models import PlanStatus
from ..models import PlanUnassigned
from ..models import Referral
from ..models import RequestStatus
from ..models import Site
from ..models import Source
from ..models import Volunteer
from .appointments import monday_of
from .requests import _new_request
from .requests import first_names
from .territory import TIMEZONE
from .territory import near

#: Weeks of history, the last one ending a week ago (this week's plan is the dispatcher's).
WEEKS = 12
UTC = ZoneInfo("UTC")
#: Where the requests come from: the town, and the rural focus more than its size says.
TOWN_WEIGHTS = {
    "Drummondville": 10,
    "Saint-Cyrille-de-Wendover": 2,
    "Wickham": 3,
    "L'Avenir": 2,
    "Saint-Majorique-de-Grantham": 2,
    "Saint-Félix-de-Kingsey": 2,
    "Saint-Germain-de-Grantham": 2,
}
LANGUAGES = (("fr",), ("fr",), ("fr",), ("fr",), ("ar", "fr"), ("ar",), ("es",), ("es", "fr"))
NEEDS = (
    ["email"],
    ["public_services"],
    ["public_services", "email"],
    ["smartphone"],
    ["video_calls"],
    ["school_portal"],
    ["job_search"],
    ["keyboard_mouse"],
)
#: Reasons a published plan left requests out, as the engine words them.
LEFT_OUT: tuple[tuple[str, dict[str, object]], ...] = (
    ("no_language_match", {"languages": ["ar"], "days": [1, 3]}),
    ("no_language_match", {"languages": ["ar"], "days": [1, 3]}),
    ("no_language_match", {"languages": ["es"], "days": [0]}),
    ("beyond_km_limit", {"km": 58.0, "limit_km": 40}),
    ("needs_car", {"km_from_home": 9.5, "walking_limit_km": 2.0}),
    ("capacity", {"bound": "visits_per_week"}),
    ("no_availability", {}),
)


def make_history(
    session: Session,
    rng: random.Random,
    org: Organisation,
    towns: dict[str, Municipality],
    site: Site,
    volunteers: list[Volunteer],
    now: datetime,
) -> None:
    """Twelve past weeks: each week's requests, the next week's published plan, and what
    became of each request."""
    zone = ZoneInfo(TIMEZONE)
    this_monday = monday_of(now.astimezone(zone).date())
    drivers = [v for v in volunteers if v.has_car]
    callers = volunteers
    on_duty = [v for v in volunteers if v.first_name in ("Fatima", "Ana Sofia")] or volunteers[:2]
    town_names = [t for t in TOWN_WEIGHTS if t in towns]
    weights = [TOWN_WEIGHTS[t] for t in town_names]
    for back in range(WEEKS + 1, 1, -1):
        monday = this_monday - timedelta(days=7 * back)
        plan_week = monday + timedelta(days=7)
        plan = Plan(
            organisation_id=org.id,
            week_start=plan_week,
            status=PlanStatus.PUBLISHED,
            created_at=_at(monday, 4, 15, zone),
            published_at=_at(monday, 4, 16, zone),
            stats={},
        )
        session.add(plan)
        days: dict[str, dict[str, float]] = {}
        for _ in range(rng.randrange(9, 15)):
            town = towns[rng.choices(town_names, weights)[0]]
            mode = rng.choices((Mode.HOME, Mode.PHONE, Mode.DROPIN), (5, 3, 2))[0]
            languages = rng.choice(LANGUAGES)
            created = _at(monday, rng.randrange(0, 5), rng.randrange(8, 18), zone)
            lat, lon = near(rng, town, 1.5)
            request = _new_request(
                session,
                org,
                beneficiary=Beneficiary(
                    organisation=org,
                    first_name=rng.choice(first_names(languages[0])),
                    phone=f"+1819555{rng.randrange(1000, 9999):04d}",
                ),
                mode=mode,
                needs=list(rng.choice(NEEDS)),
                municipality=town,
                address=f"{rng.randrange(10, 900)}, rue Principale" if mode is Mode.HOME else None,
                lat=lat if mode is Mode.HOME else None,
                lon=lon if mode is Mode.HOME else None,
                site=site if mode is Mode.DROPIN else None,
                availability=["tue-am", "thu-pm"],
                languages=list(languages),
                locale="fr_CA",
                duration_min=30 if mode is Mode.PHONE else 60,
                source=rng.choice((Source.ONLINE, Source.PHONE, Source.PARTNER)),
                referral=rng.choice(list(Referral)),
                consent_at=created,
                created_at=created,
                updated_at=created,
                status=RequestStatus.TRIAGED,
            )
            fate = rng.random()
            if "ar" in languages and "fr" not in languages and fate < 0.8:
                fate = 0.0  # nobody speaks Arabic on the days asked: the recruiting need
            if fate < 0.2:
                reason, detail = (
                    LEFT_OUT[0] if "ar" in languages else LEFT_OUT[rng.randrange(2, len(LEFT_OUT))]
                )
                plan.unassigned.append(
                    PlanUnassigned(request_id=request.id, reason=reason, detail=dict(detail))
                )
                if back > 4 and rng.random() < 0.5:
                    _close(request, RequestStatus.CANCELLED, created + timedelta(days=20))
                continue
            if fate < 0.27:
                _close(request, RequestStatus.CANCELLED, created + timedelta(days=2))
                continue
            day = plan_week + timedelta(days=rng.choice((1, 3)))
            if mode is Mode.DROPIN:
                starts = _at(
                    day, 0, 9 if day.weekday() == 1 else 13, zone, 30 * (day.weekday() == 3)
                )
                volunteer = None
            else:
                starts = _at(day, 0, rng.choice((9, 10, 13, 14)), zone)
                volunteer = rng.choice(drivers if mode is Mode.HOME else callers)
            no_show = rng.random() < 0.08
            km = round(rng.uniform(4, 28), 1) if mode is Mode.HOME else None
            session.add(
                Appointment(
                    organisation=org,
                    kind=mode,
                    request=request,
                    volunteer=volunteer,
                    site=site if mode is Mode.DROPIN else None,
                    plan_id=None,
                    starts_at=starts.astimezone(UTC),
                    ends_at=(starts + timedelta(minutes=request.duration_min)).astimezone(UTC),
                    status=AppointmentStatus.NO_SHOW if no_show else AppointmentStatus.DONE,
                    travel_min_before=int(km * 1.4) if km else None,
                    travel_km_before=km,
                )
            )
            _close(
                request,
                RequestStatus.NO_SHOW if no_show else RequestStatus.DONE,
                starts.astimezone(UTC) + timedelta(hours=2),
            )
            if volunteer is not None and km is not None:
                session.flush()
                key = f"{volunteer.id}/{day.isoformat()}"
                total = days.setdefault(key, {"km": 0.0, "road_min": 0})
                total["km"] = round(total["km"] + 2 * km, 1)
                total["road_min"] += int(2 * km * 1.4)
        for volunteer in on_duty:
            start = _at(plan_week, 1, 9, zone)
            session.add(
                Appointment(
                    organisation=org,
                    kind=Mode.DROPIN,
                    site=site,
                    volunteer=volunteer,
                    starts_at=start.astimezone(UTC),
                    ends_at=(start + timedelta(hours=1)).astimezone(UTC),
                    status=AppointmentStatus.DONE,
                )
            )
        plan.stats = {"days": days, "solver": "demo"}


def _at(monday: date, weekday: int, hour: int, zone: ZoneInfo, minute: int = 0) -> datetime:
    return datetime.combine(monday + timedelta(days=weekday), time(hour, minute), tzinfo=zone)


def _close(request: HelpRequest, status: RequestStatus, when: datetime) -> None:
    request.status = status
    request.closed_at = when
    request.updated_at = when
