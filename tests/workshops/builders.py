"""A programme and a published series on the test world, for the workshop tests."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy.orm import Session

from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import SeriesStatus
from scheduler.models import User
from scheduler.models import WorkshopSeries
from scheduler.workshops.programmes import SessionPlan
from scheduler.workshops.programmes import create_programme
from scheduler.workshops.programmes import create_series

KEY = b"k" * 32
#: A Monday; the series' first session is a week later.
NOW = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


def make_series(
    session: Session,
    world,
    *,
    capacity: int = 2,
    sessions: int = 4,
    share: float = 0.75,
    town: str = "Wickham",
    first: datetime | None = None,
    gives_device: bool = False,
    title: str = "Escouade numérique",
) -> WorkshopSeries:
    org = session.get(Organisation, world.org_id)
    programme = create_programme(
        session,
        org,
        title=title,
        sessions_count=sessions,
        capacity=capacity,
        audience="Women with travel constraints",
        session_topics=[f"Topic {n}" for n in range(1, sessions + 1)],
        laptops_per_session=capacity,
        completion_share=share,
        gives_device=gives_device,
    )
    start = first or NOW + timedelta(days=7, hours=2)
    plans = [
        SessionPlan(
            start + timedelta(days=7 * n),
            start + timedelta(days=7 * n, hours=2),
            [world.volunteer_id],
        )
        for n in range(sessions)
    ]
    series = create_series(
        session,
        programme,
        sessions=plans,
        created_by=session.query(User).filter_by(email=world.users["dispatcher"]).one(),
        now=NOW,
        municipality=session.get(Municipality, world.municipality_ids[town]),
        hall_name="Salle communautaire",
        hall_address="893, rue Principale",
        status=SeriesStatus.PUBLISHED,
    )
    series.published_at = NOW
    session.commit()
    return series
