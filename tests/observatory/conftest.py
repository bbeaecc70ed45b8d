"""A hand-built month of requests (March 2026) whose every figure is counted by hand.

| ref | municipality | mode | languages | status | what happened |
|---|---|---|---|---|---|
| r1 | Drummondville | home | fr | done | visit 2 days after the request |
| r2 | Drummondville | phone | ar | triaged | left out: no Arabic on Tuesday |
| r3 | Wickham | home | ar, fr | triaged | left out: no Arabic on Tuesday |
| r4 | Wickham | home | fr | new | waiting |
| r5 | L'Avenir | home | fr | cancelled | |
| r6 | L'Avenir | phone | es | no-show | call 7 days after the request |
| r7 | Drummondville | drop-in | fr | done | booked 1 day after the request |
| r8 | Drummondville | home | fr | triaged | left out: beyond the km limit |
| r12 | Wickham | home | fr | triaged | left out by a draft only: waiting |

Outside the month or the organisation, and never counted: r9 (February), r10 (merged into
r1), r11 (another organisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import AppointmentStatus
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanStatus
from scheduler.models import PlanUnassigned
from scheduler.models import RequestStatus
from scheduler.observatory import Scope
from tests.builders import make_municipality
from tests.builders import make_organisation
from tests.builders import make_request

ZONE = ZoneInfo("America/Toronto")
MARCH = Scope(date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 4, 15)


def local(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=ZONE)


@dataclass
class Month:
    org_id: int
    refs: dict[str, int]


@pytest.fixture
def month(app, world) -> Month:
    with app.app_context():
        s = db.session
        org = s.get(Organisation, world.org_id)
        towns = {t.name: t for t in org.municipalities}
        towns["Drummondville"].population = 68601
        towns["Wickham"].population = 2600
        refs: dict[str, int] = {}

        def request(name: str, town: str, created: datetime, **fields):
            r = make_request(
                s,
                org,
                municipality=towns[town],
                created_at=created,
                updated_at=created,
                **fields,
            )
            refs[name] = r.id
            return r

        r1 = request("r1", "Drummondville", local(2, 10), status=RequestStatus.DONE)
        r2 = request(
            "r2",
            "Drummondville",
            local(3, 11),
            mode=Mode.PHONE,
            address=None,
            languages=["ar"],
            needs=["public_services"],
            status=RequestStatus.TRIAGED,
        )
        r3 = request(
            "r3",
            "Wickham",
            local(4, 9),
            languages=["ar", "fr"],
            needs=["email", "smartphone"],
            status=RequestStatus.TRIAGED,
        )
        request("r4", "Wickham", local(5, 9), needs=["smartphone"])
        request("r5", "L'Avenir", local(6, 9), status=RequestStatus.CANCELLED)
        r6 = request(
            "r6",
            "L'Avenir",
            local(9, 9),
            mode=Mode.PHONE,
            address=None,
            languages=["es"],
            needs=["video_calls"],
            status=RequestStatus.NO_SHOW,
        )
        r7 = request(
            "r7",
            "Drummondville",
            local(9, 9),
            mode=Mode.DROPIN,
            address=None,
            site_id=world.site_id,
            status=RequestStatus.DONE,
        )
        r8 = request(
            "r8",
            "Drummondville",
            local(12, 14),
            needs=["job_search"],
            status=RequestStatus.TRIAGED,
        )
        r12 = request("r12", "Wickham", local(20, 9), status=RequestStatus.TRIAGED)
        request("r9", "Drummondville", local(20, 9, month=2), status=RequestStatus.TRIAGED)
        request("r10", "Drummondville", local(3, 9), merged_into_id=r1.id)
        other = make_organisation(s, name="Ailleurs", slug="ailleurs")
        make_municipality(s, other, "Drummondville", 45.88, -72.48)
        elsewhere = make_request(s, other, created_at=local(3, 9), status=RequestStatus.TRIAGED)
        refs["r11"] = elsewhere.id

        def appointment(r, starts: datetime, minutes: int, **fields):
            s.add(
                Appointment(
                    organisation_id=org.id,
                    kind=fields.pop("kind", None) or r.mode,
                    request_id=r.id if r is not None else None,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=minutes),
                    **fields,
                )
            )

        sylvie, omar = world.volunteer_id, world.other_volunteer_id
        appointment(
            r1,
            local(4, 10),
            60,
            volunteer_id=sylvie,
            status=AppointmentStatus.DONE,
            travel_min_before=15,
            travel_km_before=12.5,
        )
        # Moved once: the cancelled first time does not count, the kept one does.
        appointment(r1, local(3, 10), 60, volunteer_id=sylvie, status=AppointmentStatus.CANCELLED)
        appointment(r6, local(16, 9), 30, volunteer_id=omar, status=AppointmentStatus.NO_SHOW)
        appointment(r7, local(10, 9), 60, site_id=world.site_id, status=AppointmentStatus.CONFIRMED)
        appointment(
            None,
            local(10, 9),
            60,
            kind=Mode.DROPIN,
            volunteer_id=omar,
            site_id=world.site_id,
            status=AppointmentStatus.CONFIRMED,
        )

        published = Plan(
            organisation_id=org.id,
            week_start=date(2026, 3, 9),
            status=PlanStatus.PUBLISHED,
            stats={"days": {f"{sylvie}/2026-03-04": {"km": 25.0, "road_min": 30}}},
        )
        published.unassigned = [
            PlanUnassigned(
                request_id=r2.id,
                reason="no_language_match",
                detail={"languages": ["ar"], "days": [1]},
            ),
            PlanUnassigned(
                request_id=r3.id,
                reason="no_language_match",
                detail={"languages": ["ar"], "days": [1]},
            ),
            PlanUnassigned(
                request_id=r8.id, reason="beyond_km_limit", detail={"km": 52.0, "limit_km": 40}
            ),
        ]
        draft = Plan(organisation_id=org.id, week_start=date(2026, 3, 23), status=PlanStatus.DRAFT)
        draft.unassigned = [PlanUnassigned(request_id=r12.id, reason="capacity", detail={})]
        s.add_all([published, draft])
        s.commit()
        assert s.get(Municipality, world.municipality_ids["Wickham"]).population == 2600
        return Month(org.id, refs)
