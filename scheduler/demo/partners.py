"""The demo's partner organisations: who refers people to the association, and one login.

The CLSC (social services) has a staff login and asks for an e-mail when one of its
referrals changes status; the school and the housing office refer without a login yet.
The demo's requests that name one of them as their referrer become its referrals, with
the person's consent given to the partner on the day they were sent.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import HelpRequest
from ..models import Organisation
from ..models import PartnerKind
from ..models import PartnerOrganisation
from ..models import Role
from ..models import User

PARTNERS = (
    ("CLSC Drummond", PartnerKind.SOCIAL_SERVICES, "suivi@clsc-drummond.example", True),
    ("École primaire Saint-Pierre", PartnerKind.SCHOOL, None, False),
    ("Office d'habitation Drummond", PartnerKind.SOCIAL_LANDLORD, None, False),
)


def make_partners(
    session: Session,
    org: Organisation,
    requests: list[HelpRequest],
    *,
    domain: str,
    password: str,
) -> list[tuple[str, str, str]]:
    """Add the partners, link their referrals, and return the partner login as
    (role, e-mail, password)."""
    partners = {}
    for name, kind, email, notify in PARTNERS:
        partner = PartnerOrganisation(
            organisation=org,
            name=name,
            kind=kind,
            contact_email=email,
            notify_on_status=notify,
            active=True,
        )
        session.add(partner)
        partners[name] = partner
    session.flush()
    for request in requests:
        referrer = partners.get(request.referrer_name or "")
        if referrer is not None:
            request.partner_organisation = referrer
            request.consent_to_partner_at = request.consent_at
    user = User(
        organisation=org,
        email=f"clsc@{domain}",
        role=Role.PARTNER,
        display_name="Marie (CLSC Drummond)",
        partner_organisation=partners["CLSC Drummond"],
    )
    user.set_password(password)
    session.add(user)
    return [(Role.PARTNER.value, user.email, password)]
