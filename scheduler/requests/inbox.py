"""The dispatcher's inbox: which requests to show, in which order, one page at a time.

Sorting by urgency needs today's date (deadlines come closer, requests grow
older), so the order is computed in Python with :func:`scheduler.requests.urgency.urgency`,
the same definition the planner uses, over a light list (a few columns per
request, no relationships); only the requests of the page shown are loaded whole.
An organisation has hundreds of requests, not millions, so this stays fast.
"""

from __future__ import annotations

import enum
import math
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from scheduler.models import Appointment
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Organisation
from scheduler.models import RequestStatus
from scheduler.models.enums import OPEN_STATUSES
from scheduler.organisation.organisations import local_today
from scheduler.requests.duplicates import LikelyDuplicate
from scheduler.requests.duplicates import fold_name
from scheduler.requests.duplicates import likely_duplicates
from scheduler.requests.references import PREFIX
from scheduler.requests.references import normalise_reference
from scheduler.requests.retention import is_erased
from scheduler.requests.urgency import Urgency
from scheduler.requests.urgency import urgency

PER_PAGE = 25
#: Fewest digits typed before the search looks at phone numbers.
PHONE_DIGITS_MIN = 4
#: Fewest characters of a reference (after ESC-) before a partial reference matches.
REFERENCE_CHARS_MIN = 3


class Sort(enum.StrEnum):
    URGENCY = "urgency"
    OLDEST = "oldest"
    NEWEST = "newest"
    DEADLINE = "deadline"


@dataclass(frozen=True)
class InboxFilters:
    """What the dispatcher asked to see. None (or empty) means "no filter"."""

    statuses: frozenset[RequestStatus] = OPEN_STATUSES
    mode: Mode | None = None
    municipality_id: int | None = None
    need: str | None = None
    language: str | None = None
    #: Referrals of one partner organisation only.
    partner_id: int | None = None
    query: str = ""
    sort: Sort = Sort.URGENCY


@dataclass(frozen=True)
class InboxRow:
    request: HelpRequest
    urgency: Urgency
    waiting_days: int
    #: Days from today to the deadline, negative once passed; None without one.
    days_left: int | None


@dataclass
class InboxPage:
    rows: list[InboxRow]
    page: int
    per_page: int
    total: int
    #: How many requests of each status match every filter except the status.
    status_counts: Counter[RequestStatus] = field(default_factory=Counter)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)

    def iter_pages(self, edge: int = 1, around: int = 2) -> Iterator[int | None]:
        """Page numbers to link to, None where a run of pages is left out."""
        previous = 0
        for number in range(1, self.pages + 1):
            if number <= edge or number > self.pages - edge or abs(number - self.page) <= around:
                if number - previous > 1:
                    yield None
                yield number
                previous = number


@dataclass(frozen=True)
class _Light:
    """The few columns the inbox filters and sorts on."""

    id: int
    status: RequestStatus
    priority: int
    deadline: date | None
    created_at: datetime
    reference: str
    needs: list[str]
    languages: list[str]
    first_name: str | None
    phone: str | None


def search_matcher(text: str) -> Callable[[_Light], bool] | None:
    """Match what a dispatcher typed against a reference, a first name or a phone number.

    'esc 7k3q', '7K3Q' and 'ESC-7K3Q' find the same reference (the start of one is
    enough); '819 555-0142' and '(819) 5550142' find +18195550142, and '06 12 34 56 78'
    finds +33612345678; first names match without case or accents.
    """
    text = text.strip()
    if not text:
        return None
    reference = normalise_reference(text)
    reference_ok = len(reference) - len(PREFIX) >= REFERENCE_CHARS_MIN
    digits = "".join(c for c in text if c.isdigit())
    if digits.startswith("00"):
        digits = digits[2:]  # international call prefix
    elif digits.startswith("0"):
        digits = digits[1:]  # national trunk prefix (France)
    phone_ok = len(digits) >= PHONE_DIGITS_MIN
    name = fold_name(text)

    def matches(row: _Light) -> bool:
        if reference_ok and row.reference.startswith(reference):
            return True
        if phone_ok and row.phone and digits in row.phone:
            return True
        return bool(name) and name in fold_name(row.first_name)

    return matches


def list_requests(
    session: Session,
    org: Organisation,
    filters: InboxFilters,
    *,
    now: datetime,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> InboxPage:
    """One page of the organisation's requests matching ``filters``, in their order.

    A page number past the end shows the last page.
    """
    stmt = (
        sa.select(
            HelpRequest.id,
            HelpRequest.status,
            HelpRequest.priority,
            HelpRequest.deadline,
            HelpRequest.created_at,
            HelpRequest.reference,
            HelpRequest.needs,
            HelpRequest.languages,
            Beneficiary.first_name,
            Beneficiary.phone,
        )
        .outerjoin(Beneficiary, HelpRequest.beneficiary_id == Beneficiary.id)
        .where(HelpRequest.organisation_id == org.id)
    )
    if filters.mode is not None:
        stmt = stmt.where(HelpRequest.mode == filters.mode)
    if filters.municipality_id is not None:
        stmt = stmt.where(HelpRequest.municipality_id == filters.municipality_id)
    if filters.partner_id is not None:
        stmt = stmt.where(HelpRequest.partner_organisation_id == filters.partner_id)
    rows = [_Light(**row._asdict()) for row in session.execute(stmt)]

    if filters.need:
        rows = [r for r in rows if filters.need in (r.needs or [])]
    if filters.language:
        rows = [r for r in rows if filters.language in (r.languages or [])]
    matcher = search_matcher(filters.query)
    if matcher is not None:
        rows = [r for r in rows if matcher(r)]
    counts = Counter(r.status for r in rows)
    rows = [r for r in rows if r.status in filters.statuses]

    today = local_today(org, now)
    zone = ZoneInfo(org.timezone)
    scored = {
        r.id: urgency(r.priority, r.deadline, r.created_at.astimezone(zone).date(), today)
        for r in rows
    }
    rows.sort(key=_sort_key(filters.sort, scored))

    total = len(rows)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    shown = rows[(page - 1) * per_page : page * per_page]
    loaded = {
        request.id: request
        for request in session.scalars(
            sa.select(HelpRequest)
            .where(HelpRequest.id.in_([r.id for r in shown]))
            .options(
                selectinload(HelpRequest.beneficiary),
                selectinload(HelpRequest.municipality),
                selectinload(HelpRequest.partner_organisation),
            )
        )
    }
    page_rows = []
    for light in shown:
        created_on = light.created_at.astimezone(zone).date()
        page_rows.append(
            InboxRow(
                request=loaded[light.id],
                urgency=scored[light.id],
                waiting_days=(today - created_on).days,
                days_left=None if light.deadline is None else (light.deadline - today).days,
            )
        )
    return InboxPage(page_rows, page, per_page, total, counts)


def _sort_key(sort: Sort, scored: dict[int, Urgency]) -> Callable[[_Light], tuple]:
    if sort is Sort.OLDEST:
        return lambda r: (r.created_at, r.id)
    if sort is Sort.NEWEST:
        return lambda r: (-r.created_at.timestamp(), -r.id)
    if sort is Sort.DEADLINE:
        return lambda r: (
            r.deadline is None,
            r.deadline or date.max,
            -scored[r.id].score,
            r.created_at,
            r.id,
        )
    return lambda r: (-scored[r.id].score, r.created_at, r.id)


def find_request(session: Session, organisation_id: int, request_id: int) -> HelpRequest | None:
    """A request of this organisation, or None (an id from elsewhere is not found)."""
    return session.scalar(
        sa.select(HelpRequest).where(
            HelpRequest.id == request_id, HelpRequest.organisation_id == organisation_id
        )
    )


@dataclass(frozen=True)
class RequestFile:
    """What the dispatcher reads beside one request: how urgent, its history, its kin."""

    row: InboxRow
    erased: bool
    appointments: list[Appointment]
    likely_duplicates: list[LikelyDuplicate]


def request_file(session: Session, request: HelpRequest, *, now: datetime) -> RequestFile:
    """One request as its page shows it, as of ``now``."""
    org = request.organisation
    today = local_today(org, now)
    created_on = request.created_at.astimezone(ZoneInfo(org.timezone)).date()
    row = InboxRow(
        request=request,
        urgency=urgency(request.priority, request.deadline, created_on, today),
        waiting_days=(today - created_on).days,
        days_left=None if request.deadline is None else (request.deadline - today).days,
    )
    appointments = session.scalars(
        sa.select(Appointment)
        .where(Appointment.request_id == request.id)
        .options(selectinload(Appointment.volunteer))
        .order_by(Appointment.starts_at)
    ).all()
    return RequestFile(
        row=row,
        erased=is_erased(session, request),
        appointments=list(appointments),
        likely_duplicates=likely_duplicates(session, request),
    )
