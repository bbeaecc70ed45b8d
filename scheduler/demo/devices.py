"""The demo's devices: the eight laptops Drummond bought with a grant, which travel with
its workshops (reserved for the leaders of every coming session), and, in the Nord, the
workshop laptops and the computers the volunteers refurbish for the families that
complete their cycle (those who completed it already have theirs, with a receipt).

A tablet is out with a Drummond family and overdue, so the dispatcher's pages show the
overdue panel at once.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from datetime import datetime
from datetime import timedelta
from itertools import count
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import Device
from ..models import DeviceKind
from ..models import DeviceLoan
from ..models import DeviceState
from ..models import EnrolmentStatus
from ..models import Organisation
from ..models import WorkshopSeries

#: How many laptops the Drummond grant bought.
GRANT_LAPTOPS = 8
#: Computers the Nord volunteers' refurbishing sessions produced (about twenty).
REFURBISHED = 20


def _today(org: Organisation, now: datetime) -> date:
    return now.astimezone(ZoneInfo(org.timezone)).date()


def _receipts(year: int) -> Iterator[str]:
    return (f"R-{year}-{n:04d}" for n in count(1))


def _laptops(
    rng: random.Random, org: Organisation, prefix: str, n: int, **fields: object
) -> list[Device]:
    return [
        Device(
            organisation=org,
            kind=DeviceKind.LAPTOP,
            label=f"{prefix}-{k:02d}",
            serial=f"5CD{rng.randrange(10**6, 10**7)}",
            state=DeviceState.IN_STOCK,
            **fields,
        )
        for k in range(1, n + 1)
    ]


def _reserve(
    session: Session,
    org: Organisation,
    laptops: list[Device],
    series: list[WorkshopSeries],
    now: datetime,
    receipts: Iterator[str],
) -> None:
    """Lend each coming session's laptops to its leaders for its day, as publishing does."""
    zone = ZoneInfo(org.timezone)
    for one in series:
        for wsession in one.sessions:
            if wsession.starts_at <= now or not wsession.laptops_needed:
                continue
            day = wsession.starts_at.astimezone(zone).date()
            leaders = wsession.leaders
            for k, device in enumerate(laptops[: wsession.laptops_needed]):
                session.add(
                    DeviceLoan(
                        organisation=org,
                        device=device,
                        volunteer=leaders[k % len(leaders)] if leaders else None,
                        starts_on=day,
                        due_on=day,
                        receipt_number=next(receipts),
                        session_id=wsession.id,
                        handed_over_at=now,
                    )
                )


def make_grant_laptops(
    session: Session,
    rng: random.Random,
    org: Organisation,
    now: datetime,
    series: list[WorkshopSeries],
) -> None:
    """Eight laptops reserved for the coming sessions; a tablet three days late."""
    today = _today(org, now)
    receipts = _receipts(today.year)
    tablet = Device(
        organisation=org,
        kind=DeviceKind.TABLET,
        label="TAB-01",
        serial=f"DMP{rng.randrange(10**6, 10**7)}",
        state=DeviceState.LOANED,
        acquired_at=today - timedelta(days=400),
    )
    session.add(tablet)
    session.add(
        DeviceLoan(
            organisation=org,
            device=tablet,
            holder_name="Famille Lemieux",
            starts_on=today - timedelta(days=17),
            due_on=today - timedelta(days=3),
            receipt_number=next(receipts),
            note="Prêt entre deux ateliers pour les démarches en ligne",
            handed_over_at=now - timedelta(days=17),
        )
    )
    laptops = _laptops(
        rng,
        org,
        "PORT",
        GRANT_LAPTOPS,
        notes="Subvention 2026 (programme Escouade numérique)",
        acquired_at=today - timedelta(days=200),
    )
    session.add_all(laptops)
    session.flush()
    _reserve(session, org, laptops, series, now, receipts)


def make_refurbished(
    session: Session,
    rng: random.Random,
    org: Organisation,
    now: datetime,
    series: list[WorkshopSeries],
) -> None:
    """Workshop laptops for the sessions, twenty refurbished computers (five still on the
    bench), and one handed to each family that completed its cycle, with a receipt."""
    today = _today(org, now)
    receipts = _receipts(today.year)
    workshop = _laptops(rng, org, "ATELIER", 8, notes="Ordinateurs de l'atelier")
    refurbished = [
        Device(
            organisation=org,
            kind=DeviceKind.LAPTOP,
            label=f"RECONDI-{k:02d}",
            serial=f"PF{rng.randrange(10**5, 10**6)}",
            state=DeviceState.REFURBISHING if k > REFURBISHED - 5 else DeviceState.IN_STOCK,
            notes="Don d'entreprise, reconditionné en atelier bénévole",
            acquired_at=today - timedelta(days=rng.randrange(30, 120)),
        )
        for k in range(1, REFURBISHED + 1)
    ]
    session.add_all(workshop + refurbished)
    session.flush()
    _reserve(session, org, workshop, series, now, receipts)
    in_stock = [d for d in refurbished if d.state is DeviceState.IN_STOCK]
    completed = [
        e for one in series for e in one.enrolments if e.status is EnrolmentStatus.COMPLETED
    ]
    for device, enrolment in zip(in_stock, completed, strict=False):
        device.state = DeviceState.GIVEN
        session.add(
            DeviceLoan(
                organisation=org,
                device=device,
                holder_name=enrolment.beneficiary.first_name if enrolment.beneficiary else "",
                gift=True,
                starts_on=(enrolment.completed_at or now).astimezone(ZoneInfo(org.timezone)).date(),
                receipt_number=next(receipts),
                enrolment_id=enrolment.id,
                note="Solidaires et Connectés",
                handed_over_at=enrolment.completed_at or now,
            )
        )
