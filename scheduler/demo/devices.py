"""The demo's devices: the eight laptops Drummond bought with a grant, which travel with
its workshops, and the computers a Nord association refurbishes for the families that
complete their cycle.

One Drummond laptop is out with a family and overdue, so the dispatcher's planning page
shows the overdue panel at once.
"""

from __future__ import annotations

import random
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import Device
from ..models import DeviceKind
from ..models import DeviceLoan
from ..models import DeviceState
from ..models import Organisation

#: How many laptops the Drummond grant bought.
GRANT_LAPTOPS = 8
#: Computers the Nord volunteers' refurbishing sessions produced (about twenty).
REFURBISHED = 20


def _today(org: Organisation, now: datetime) -> date:
    return now.astimezone(ZoneInfo(org.timezone)).date()


def make_grant_laptops(
    session: Session, rng: random.Random, org: Organisation, now: datetime
) -> None:
    """Eight laptops in stock; the last one lent to a family and three days late."""
    today = _today(org, now)
    bought = today - timedelta(days=200)
    laptops = [
        Device(
            organisation=org,
            kind=DeviceKind.LAPTOP,
            label=f"PORT-{n:02d}",
            serial=f"5CD{rng.randrange(10**6, 10**7)}",
            state=DeviceState.IN_STOCK,
            notes="Subvention 2026 (programme Escouade numérique)",
            acquired_at=bought,
        )
        for n in range(1, GRANT_LAPTOPS + 1)
    ]
    session.add_all(laptops)
    late = laptops[-1]
    late.state = DeviceState.LOANED
    session.add(
        DeviceLoan(
            organisation=org,
            device=late,
            holder_name="Famille Lemieux",
            starts_on=today - timedelta(days=17),
            due_on=today - timedelta(days=3),
            receipt_number=f"R-{(today - timedelta(days=17)).year}-0001",
            note="Prêt entre deux ateliers pour les démarches en ligne",
            handed_over_at=now - timedelta(days=17),
        )
    )


def make_refurbished(
    session: Session, rng: random.Random, org: Organisation, now: datetime
) -> None:
    """About twenty refurbished computers: most in stock, some still on the bench."""
    today = _today(org, now)
    for n in range(1, REFURBISHED + 1):
        session.add(
            Device(
                organisation=org,
                kind=DeviceKind.LAPTOP,
                label=f"RECONDI-{n:02d}",
                serial=f"PF{rng.randrange(10**5, 10**6)}",
                state=DeviceState.REFURBISHING if n > 15 else DeviceState.IN_STOCK,
                notes="Don d'entreprise, reconditionné en atelier bénévole",
                acquired_at=today - timedelta(days=rng.randrange(30, 120)),
            )
        )
