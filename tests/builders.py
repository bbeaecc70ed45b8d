"""Builders for test data: sensible defaults, overridable by keyword."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import time
from typing import Any

from sqlalchemy.orm import Session

from scheduler.core.extensions import db
from scheduler.core.tokens import new_token
from scheduler.models import AvailabilityWindow
from scheduler.models import Beneficiary
from scheduler.models import HelpRequest
from scheduler.models import Mode
from scheduler.models import Municipality
from scheduler.models import Organisation
from scheduler.models import PartnerKind
from scheduler.models import PartnerOrganisation
from scheduler.models import Role
from scheduler.models import Site
from scheduler.models import SiteOpening
from scheduler.models import User
from scheduler.models import Volunteer
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from scheduler.requests.references import new_reference

PASSWORD = "correct horse battery"


@dataclass
class World:
    org_id: int
    municipality_ids: dict[str, int]
    site_id: int
    users: dict[Role, str]
    volunteer_id: int
    other_volunteer_id: int
    other_volunteer_email: str
    partner_id: int = 0
    other_partner_id: int = 0
    other_partner_email: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def email_for(self, role: Role) -> str:
        return self.users[role]


def org_today(app: Any, org_id: int) -> date:
    """The organisation's own date, by which its pages count days. From 19:00 or 20:00 in
    Québec the machine's UTC date is already tomorrow, so ``date.today()`` is a day ahead."""
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        assert org is not None
        return local_today(org, utcnow())


def make_organisation(session: Session, **fields: Any) -> Organisation:
    fields.setdefault("name", "Aide numérique Test")
    fields.setdefault("slug", "test")
    fields.setdefault("timezone", "America/Toronto")
    fields.setdefault("locale", "fr_CA")
    fields.setdefault("country", "CA")
    org = Organisation(**fields)
    session.add(org)
    session.flush()
    return org


def make_municipality(session: Session, org: Organisation, name: str, lat: float, lon: float):
    town = Municipality(organisation=org, name=name, region="QC", lat=lat, lon=lon)
    session.add(town)
    session.flush()
    return town


def make_user(
    session: Session,
    org: Organisation,
    role: Role,
    email: str,
    password: str = PASSWORD,
    *,
    partner: PartnerOrganisation | None = None,
) -> User:
    user = User(
        organisation=org,
        email=email,
        role=role,
        display_name=email.split("@")[0],
        partner_organisation=partner,
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def make_partner(
    session: Session, org: Organisation, name: str, kind: PartnerKind, **fields: Any
) -> PartnerOrganisation:
    partner = PartnerOrganisation(organisation=org, name=name, kind=kind, **fields)
    session.add(partner)
    session.flush()
    return partner


def make_volunteer(session: Session, org: Organisation, **fields: Any) -> Volunteer:
    fields.setdefault("first_name", "Sylvie")
    fields.setdefault("last_name", "Tremblay")
    fields.setdefault("languages", ["fr"])
    fields.setdefault("skills", ["email"])
    fields.setdefault("has_car", True)
    fields.setdefault("home_lat", 45.8833)
    fields.setdefault("home_lon", -72.4833)
    fields.setdefault(
        "availability", [AvailabilityWindow(weekday=1, starts=time(9), ends=time(12))]
    )
    volunteer = Volunteer(organisation=org, **fields)
    session.add(volunteer)
    session.flush()
    return volunteer


def make_request(session: Session, org: Organisation, **fields: Any) -> HelpRequest:
    """A new home-visit request; returns it with ``.token`` set to its private link secret."""
    token, token_hash = new_token()
    beneficiary = fields.pop("beneficiary", None) or Beneficiary(
        organisation=org, first_name="Jeannine", phone="+18195550142"
    )
    if "municipality" not in fields and "municipality_id" not in fields:
        fields["municipality"] = org.municipalities[0]
    fields.setdefault("mode", Mode.HOME)
    fields.setdefault("needs", ["email"])
    fields.setdefault("address", "12, rue Principale")
    fields.setdefault("availability", ["tue-am"])
    fields.setdefault("languages", ["fr"])
    fields.setdefault("consent_at", utcnow())
    request = HelpRequest(
        organisation=org,
        reference=new_reference(session),
        access_token_hash=token_hash,
        beneficiary=beneficiary,
        **fields,
    )
    session.add(request)
    session.flush()
    request.token = token  # type: ignore[attr-defined]
    return request


def build_world(session: Session) -> World:
    org = make_organisation(session)
    towns = {
        name: make_municipality(session, org, name, lat, lon)
        for name, lat, lon in (
            ("Drummondville", 45.8833, -72.4833),
            ("Wickham", 45.75, -72.5),
            ("L'Avenir", 45.7667, -72.3),
        )
    }
    site = Site(
        organisation=org,
        name="Local Brock",
        address="255, rue Brock, Drummondville",
        municipality=towns["Drummondville"],
        lat=45.8802,
        lon=-72.4871,
        workstations=2,
        openings=[SiteOpening(weekday=1, starts=time(9), ends=time(10), volunteers_needed=2)],
    )
    session.add(site)
    users = {
        Role.ADMIN: make_user(session, org, Role.ADMIN, "admin@example.org"),
        Role.DISPATCHER: make_user(session, org, Role.DISPATCHER, "dispatch@example.org"),
        Role.VOLUNTEER: make_user(session, org, Role.VOLUNTEER, "sylvie@example.org"),
    }
    volunteer = make_volunteer(session, org, user=users[Role.VOLUNTEER])
    # Two partner organisations that refer people, each with one staff login: the first
    # is the partner role's user; the second is there to be kept out of the first's sight.
    partner = make_partner(session, org, "CCAS de Test", PartnerKind.SOCIAL_SERVICES)
    other_partner = make_partner(session, org, "École des Tilleuls", PartnerKind.SCHOOL)
    users[Role.PARTNER] = make_user(
        session, org, Role.PARTNER, "partner@example.org", partner=partner
    )
    other_partner_user = make_user(
        session, org, Role.PARTNER, "ecole@example.org", partner=other_partner
    )
    other_user = make_user(session, org, Role.VOLUNTEER, "omar@example.org")
    other = make_volunteer(
        session,
        org,
        first_name="Omar",
        last_name="Haddad",
        languages=["ar", "fr"],
        has_car=False,
        user=other_user,
    )
    session.commit()
    return World(
        org_id=org.id,
        municipality_ids={name: t.id for name, t in towns.items()},
        site_id=site.id,
        users={role: u.email for role, u in users.items()},
        volunteer_id=volunteer.id,
        other_volunteer_id=other.id,
        other_volunteer_email=other_user.email,
        partner_id=partner.id,
        other_partner_id=other_partner.id,
        other_partner_email=other_partner_user.email,
    )
