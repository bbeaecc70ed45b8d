"""Help requests come in: from the public form, from a partner, or by phone to a dispatcher.

:func:`create_request` is the one way a help request is made from validated answers:
the public step-by-step form, its one-page post, the dispatchers' phone intake and a
partner organisation's referral all call it, so every path obeys the same rules. It
turns the answers into a beneficiary, a request with its reference and private-link
secret, and a "created" event, in one commit.
What the person's private link does afterwards lives in :mod:`.private_link`. The
service takes the session and the current instant explicitly and never looks at the
web request, so jobs, commands and tests can call it unchanged.

The form checks the answers first; the rules that protect the data (the place
belongs to the organisation's territory, an address only for a home visit, no
deadline in the past) are checked here again, and a breach raises a
:class:`BookingRefused` naming the field, which the page shows beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduler.core.tokens import hash_token
from scheduler.core.tokens import new_token
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import Need
from scheduler.models import Organisation
from scheduler.models import PartnerKind
from scheduler.models import PartnerOrganisation
from scheduler.models import Referral
from scheduler.models import RequestEvent
from scheduler.models import RequestStatus
from scheduler.models import Site
from scheduler.models import Source
from scheduler.models import User
from scheduler.organisation.organisations import local_today
from scheduler.requests.booking_options import BookingOptions
from scheduler.requests.callers import organisation_beneficiary
from scheduler.requests.references import new_reference

#: Column sizes the answers must fit (see models.requests and models.people).
FIRST_NAME_MAX = 80
ADDRESS_MAX = 200
EMAIL_MAX = 254
REFERRER_MAX = 120
INTERNAL_NOTE_MAX = 4000

#: How consent was given, kept in the "created" event.
CONSENT_ONLINE = "online"
CONSENT_READ_TO_CALLER = "read_to_caller"
CONSENT_TO_PARTNER = "given_to_partner"

#: How people heard of the service, read from the kind of partner that referred them.
REFERRAL_OF_PARTNER = {
    PartnerKind.SOCIAL_SERVICES: Referral.SOCIAL_WORKER,
    PartnerKind.SCHOOL: Referral.SCHOOL,
    PartnerKind.SOCIAL_LANDLORD: Referral.HOUSING,
    PartnerKind.FOOD_BANK: Referral.FOOD_BANK,
    PartnerKind.LIBRARY: Referral.LIBRARY,
    PartnerKind.MUNICIPALITY: Referral.MUNICIPALITY,
    PartnerKind.OTHER: Referral.OTHER,
}


class BookingRefused(Exception):
    """An answer breaks a rule; ``field`` names the form field to show the message beside."""

    field: str = ""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.__class__.__name__)


class OutsideTerritory(BookingRefused):
    """The municipality is not an active one of the organisation."""

    field = "municipality"


class AddressRequired(BookingRefused):
    """A home visit needs a street address."""

    field = "address"


class SiteRequired(BookingRefused):
    """A drop-in needs one of the organisation's active sites."""

    field = "site"


class DeadlineInPast(BookingRefused):
    field = "deadline"


class DeadlineTooFar(BookingRefused):
    field = "deadline"


class NoAvailability(BookingRefused):
    """Neither a time on the grid nor "any time"."""

    field = "availability"


class UnknownChoice(BookingRefused):
    """A need, language or time code the form does not offer."""

    def __init__(self, field_name: str, value: str) -> None:
        super().__init__(f"{field_name}: {value}")
        self.field = field_name


class PartnerNotActive(BookingRefused):
    """The referring partner organisation is not an active one of the organisation."""

    field = "partner"


class UnknownBeneficiary(BookingRefused):
    """A dispatcher chose a beneficiary record that is not the organisation's."""

    field = "beneficiary_id"


@dataclass(frozen=True)
class BookingAnswers:
    """What a person (or someone for them) answered, already read and tidied by the form.

    ``phone`` is E.164. Text is plain text: it is stored as typed and escaped when shown.
    """

    mode: Mode
    needs: list[str]
    municipality_id: int
    first_name: str
    phone: str
    languages: list[str]
    need_details: str | None = None
    address: str | None = None
    site_id: int | None = None
    availability: list[str] = field(default_factory=list)
    any_time: bool = False
    deadline: date | None = None
    email: str | None = None
    accessibility_notes: str | None = None
    referral: Referral | None = None
    referral_name: str | None = None
    for_someone_else: bool = False
    partner_name: str | None = None


@dataclass(frozen=True)
class NewRequest:
    """A stored request and the secret of its private link, which is never stored."""

    request: HelpRequest
    token: str


def create_request(
    session: Session,
    org: Organisation,
    answers: BookingAnswers,
    *,
    options: BookingOptions,
    now: datetime,
    locale: str,
    source: Source = Source.ONLINE,
    created_by: User | None = None,
    internal_note: str | None = None,
    beneficiary_id: int | None = None,
    partner: PartnerOrganisation | None = None,
    token: str | None = None,
) -> NewRequest:
    """Store a new help request and return it with its private-link secret (shown once).

    :param source: ``ONLINE`` for the public form (``PARTNER`` is chosen here when
        the answers say so), ``PHONE`` for a dispatcher's intake; a ``partner`` makes
        it ``PARTNER`` whatever is given.
    :param created_by: the dispatcher taking the call, or the partner's staff member.
    :param internal_note: for the dispatchers only (a partner's note for them goes here).
    :param beneficiary_id: an existing record of the organisation to reuse (phone
        intake only); its details are updated with these answers.
    :param partner: the partner organisation referring the person, who gave it their
        consent: the request is linked to it and it follows the request's status.
    :param token: the private-link secret to use, when the caller derives it (the public
        form's, from its draft; see :func:`scheduler.requests.drafts.request_token`);
        a fresh random one otherwise.
    :raises BookingRefused: an answer breaks a rule; nothing is stored.
    """
    if partner is not None and (partner.organisation_id != org.id or not partner.active):
        raise PartnerNotActive(str(partner.id))
    municipality = _territory_municipality(session, org, answers.municipality_id)
    _check_choices(answers, options)
    address = clean_text(answers.address, ADDRESS_MAX)
    site = None
    if answers.mode is Mode.HOME and not address:
        raise AddressRequired()
    if answers.mode is not Mode.HOME:
        address = None  # never kept when nobody comes to the door
    if answers.mode is Mode.DROPIN:
        site = _active_site(session, org, answers.site_id)
    _check_deadline(answers.deadline, org, now, options)
    availability = [] if answers.any_time else _ordered_slots(answers.availability, options)
    if not answers.any_time and not availability:
        raise NoAvailability()

    beneficiary = _beneficiary_for(session, org, answers, beneficiary_id, now)
    if source is Source.ONLINE and answers.for_someone_else:
        source = Source.PARTNER
    referral = answers.referral
    if partner is not None:
        source = Source.PARTNER
        referral = referral or REFERRAL_OF_PARTNER[partner.kind]
    if token:
        token_hash = hash_token(token)
    else:
        token, token_hash = new_token()
    request = HelpRequest(
        organisation=org,
        reference=new_reference(session),
        access_token_hash=token_hash,
        beneficiary=beneficiary,
        mode=answers.mode,
        needs=[n.value for n in Need if n.value in set(answers.needs)],
        need_details=clean_text(answers.need_details, options.max_text),
        municipality=municipality,
        address=address,
        # Until a geocoder places the address, the town centre stands in for it.
        lat=municipality.lat,
        lon=municipality.lon,
        location_approximate=True,
        site=site,
        availability=availability,
        any_time=answers.any_time,
        deadline=answers.deadline,
        languages=[code for code in options.languages if code in set(answers.languages)],
        locale=locale,
        duration_min=options.duration_for(answers.mode),
        status=RequestStatus.NEW,
        source=source,
        referral=referral,
        referrer_name=partner.name[:REFERRER_MAX] if partner else _referrer_name(answers),
        partner_organisation=partner,
        consent_to_partner_at=now if partner is not None else None,
        consent_at=now,
        created_by=created_by,
        internal_notes=clean_text(internal_note, INTERNAL_NOTE_MAX),
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.add(
        RequestEvent(
            request=request,
            at=now,
            user=created_by,
            kind="created",
            detail={
                "source": source.value,
                "consent": _consent_kind(source, partner),
                "reused_beneficiary": beneficiary_id is not None,
                **({"partner_organisation_id": partner.id} if partner is not None else {}),
            },
        )
    )
    session.commit()
    return NewRequest(request=request, token=token)


def active_municipalities(session: Session, org: Organisation) -> list[Municipality]:
    return list(
        session.scalars(
            sa.select(Municipality)
            .where(Municipality.organisation_id == org.id, Municipality.active.is_(True))
            .order_by(Municipality.name)
        )
    )


def active_sites(session: Session, org: Organisation) -> list[Site]:
    return list(
        session.scalars(
            sa.select(Site)
            .where(Site.organisation_id == org.id, Site.active.is_(True))
            .order_by(Site.name)
        )
    )


# --- rules -------------------------------------------------------------------------------


def _territory_municipality(
    session: Session, org: Organisation, municipality_id: int
) -> Municipality:
    town = session.get(Municipality, municipality_id) if municipality_id else None
    if town is None or town.organisation_id != org.id or not town.active:
        raise OutsideTerritory(str(municipality_id))
    return town


def _active_site(session: Session, org: Organisation, site_id: int | None) -> Site:
    site = session.get(Site, site_id) if site_id else None
    if site is None or site.organisation_id != org.id or not site.active:
        raise SiteRequired(str(site_id))
    return site


def _check_choices(answers: BookingAnswers, options: BookingOptions) -> None:
    needs = {n.value for n in Need}
    for value in answers.needs:
        if value not in needs:
            raise UnknownChoice("needs", value)
    for value in answers.languages:
        if value not in options.languages:
            raise UnknownChoice("languages", value)
    if not answers.any_time:
        slots = set(options.slot_codes())
        for value in answers.availability:
            if value not in slots:
                raise UnknownChoice("availability", value)


def _check_deadline(
    deadline: date | None, org: Organisation, now: datetime, options: BookingOptions
) -> None:
    if deadline is None:
        return
    today = local_today(org, now)
    if deadline < today:
        raise DeadlineInPast(deadline.isoformat())
    if deadline > today + timedelta(days=options.deadline_max_days):
        raise DeadlineTooFar(deadline.isoformat())


def _ordered_slots(codes: list[str], options: BookingOptions) -> list[str]:
    chosen = set(codes)
    return [code for code in options.slot_codes() if code in chosen]


def _beneficiary_for(
    session: Session,
    org: Organisation,
    answers: BookingAnswers,
    beneficiary_id: int | None,
    now: datetime,
) -> Beneficiary:
    if beneficiary_id is not None:
        person = organisation_beneficiary(session, org, beneficiary_id)
        if person is None:
            raise UnknownBeneficiary(str(beneficiary_id))
    else:
        person = Beneficiary(organisation=org, created_at=now)
        session.add(person)
    person.first_name = clean_text(answers.first_name, FIRST_NAME_MAX) or ""
    person.phone = answers.phone
    person.email = clean_text(answers.email, EMAIL_MAX)
    person.accessibility_notes = clean_text(answers.accessibility_notes, 1000)
    return person


def _consent_kind(source: Source, partner: PartnerOrganisation | None) -> str:
    if partner is not None:
        return CONSENT_TO_PARTNER
    return CONSENT_READ_TO_CALLER if source is Source.PHONE else CONSENT_ONLINE


def _referrer_name(answers: BookingAnswers) -> str | None:
    """Who filled in the form for the person and who sent them, in the one column there is."""
    names = []
    if answers.for_someone_else and answers.partner_name:
        names.append(answers.partner_name.strip())
    if answers.referral_name and answers.referral_name.strip() not in names:
        names.append(answers.referral_name.strip())
    joined = " · ".join(n for n in names if n)
    if len(joined) > REFERRER_MAX:
        joined = joined[: REFERRER_MAX - 1].rstrip() + "…"
    return joined or None


def clean_text(text: str | None, limit: int) -> str | None:
    """Trimmed text, None when empty; never longer than its column."""
    if text is None:
        return None
    text = text.strip()
    return text[:limit] if text else None
