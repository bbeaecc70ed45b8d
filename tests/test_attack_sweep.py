"""Every route of the URL map, attacked as people attack it, as every role: absurd query
values, another organisation's ids, 10 KB strings, bytes that are not UTF-8, empty and
1 MB posts. Never a 5xx, never a traceback, never a word of the other organisation.

A fixed, fast sweep for every CI pass (SQLite and PostgreSQL); tests/test_fuzz.py goes
wider with generated values in the SQLite pass only. The routes come from the URL map, so
a page added tomorrow is swept the day it is added.
"""

from __future__ import annotations

import re
from urllib.parse import quote
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.devices import add_device
from scheduler.models import Beneficiary
from scheduler.models import DeviceKind
from scheduler.models import Organisation
from scheduler.models import PartnerKind
from scheduler.models import Role
from scheduler.models import Site
from scheduler.models import User
from scheduler.workshops.programmes import create_programme

from .builders import make_municipality
from .builders import make_organisation
from .builders import make_partner
from .builders import make_request
from .builders import make_user
from .builders import make_volunteer

ROLES = (None, Role.VOLUNTEER, Role.PARTNER, Role.DISPATCHER, Role.ADMIN)
#: A name only the other organisation's rows hold: no page of ours may ever show it.
FOREIGN = "Zorglub"
#: Query names the pages read (filters, weeks, days, pages, searches, return addresses).
QUERY_NAMES = (
    "week",
    "day",
    "date",
    "from",
    "to",
    "page",
    "per_page",
    "status",
    "q",
    "mode",
    "next",
    "back",
    "lang",
    "tab",
    "year",
    "month",
    "request_id",
    "volunteer_id",
    "site_id",
)
TEN_KB = "é" + "x" * 10240
#: Absurd values, a set per request: week number 0 or 60, days in year 0 and 9999, pages
#: below one and beyond any count; then 10 KB strings and several values where one is
#: expected (a page reads the first).
SETS = (
    {
        "week": "0",
        "day": "9999-12-31",
        "date": "0000-00-00",
        "from": "9999-12-31",
        "page": "-1",
        "per_page": str(10**12),
        "year": "9999",
        "month": "0",
    },
    {
        "week": "9999-W60",
        "day": "0",
        "date": "9999-12-31",
        "to": "1",
        "page": str(10**12),
        "per_page": "-1",
        "year": "0",
        "month": "13",
    },
    {
        name: [TEN_KB, "2026-W50"] if name in ("week", "day", "page", "q", "status") else ["1", "x"]
        for name in QUERY_NAMES
    },
)
#: Bytes that are not UTF-8, as a browser's address bar or a script sends them.
RAW_QUERY = "&".join(f"{name}=%FF%FE%C0" for name in QUERY_NAMES)
#: Names the staff and public forms use, for a post of bytes that are not UTF-8, each twice.
FORM_NAMES = (
    *QUERY_NAMES,
    *("email", "password", "first_name", "last_name", "phone", "address", "municipality"),
    *("needs", "availability", "languages", "site", "starts", "ends", "starts_on", "due_on"),
    *("label", "title", "note", "reason", "role", "kind", "volunteer_id", "locked", "consent"),
)
FORM = "application/x-www-form-urlencoded"
RAW_FORM = "&".join(f"{name}=%FF%FE&{name}=%C0%AF" for name in FORM_NAMES)
#: The same names in a JSON body (Flask-WTF reads one as the form), holding objects,
#: nested lists and numbers where text is expected.
JSON_FORM = {
    name: ({"a": [1]}, [[1, 2]], 10**30, None, True)[i % 5] for i, name in enumerate(FORM_NAMES)
}


@pytest.fixture
def swept(app, world):
    """The world of tests/builders.py, a request of our own, and another organisation with
    one of each object (its ids are the ones put in our URLs)."""
    with app.app_context():
        session = db.session
        org = session.get(Organisation, world.org_id)
        make_request(session, org)
        other = make_organisation(session, name=f"{FOREIGN} Numérique", slug="zorglub")
        town = make_municipality(session, other, f"{FOREIGN}ville", 45.1, -72.1)
        site = Site(
            organisation=other,
            name=f"Local {FOREIGN}",
            address=f"1, rue {FOREIGN}",
            municipality=town,
            lat=45.1,
            lon=-72.1,
            workstations=1,
        )
        session.add(site)
        user = make_user(session, other, Role.DISPATCHER, "zorg@example.org")
        user.display_name = f"{FOREIGN} Martel"
        partner = make_partner(session, other, f"Partenaire {FOREIGN}", PartnerKind.SCHOOL)
        volunteer = make_volunteer(session, other, first_name=FOREIGN, last_name=FOREIGN)
        request = make_request(
            session,
            other,
            beneficiary=Beneficiary(organisation=other, first_name=FOREIGN, phone="+18195550199"),
            address=f"2, rue {FOREIGN}",
        )
        device = add_device(session, other.id, kind=DeviceKind.LAPTOP, label=f"PC-{FOREIGN}")
        programme = create_programme(
            session, other, title=f"Atelier {FOREIGN}", sessions_count=2, capacity=4
        )
        session.commit()
        foreign_ids = {
            "volunteer_id": volunteer.id,
            "request_id": request.id,
            "other_id": request.id,
            "site_id": site.id,
            "user_id": user.id,
            "partner_id": partner.id,
            "device_id": device.id,
            "programme_id": programme.id,
            "town_id": town.id,
        }
        users = {
            role: session.scalar(sa.select(User.id).where(User.email == world.email_for(role)))
            for role in ROLES
            if role is not None
        }
    return foreign_ids, users


def _routes(app, method: str) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (rule.rule, tuple(rule.arguments))
        for rule in app.url_map.iter_rules()
        if method in rule.methods and rule.endpoint != "static"
    ]


def _fill(rule: str, values: dict[str, str]) -> str:
    return re.sub(
        r"<(?:([^:<>]+):)?([^<>]+)>",
        lambda m: quote(values.get(m.group(2), "1"), safe="%"),
        rule,
    )


def _sign_in(app, client, users, role, *, check: bool = True) -> None:
    """A fresh session as ``role``; with ``check``, whatever an earlier post did to the
    account (a new role, disabled, signed out everywhere) is undone first."""
    client.delete_cookie("session")
    if role is None:
        return
    key = ("attack-sweep", role)
    if check or key not in app.extensions:
        with app.app_context():
            user = db.session.get(User, users[role])
            if (user.role, user.active) != (role, True):
                user.role, user.active = role, True
                db.session.commit()
            version = user.session_version
        serializer = app.session_interface.get_signing_serializer(app)
        app.extensions[key] = serializer.dumps(
            {"_user_id": f"{users[role]}.{version}", "_fresh": True}
        )
    client.set_cookie("session", app.extensions[key])


#: Posts that may change the accounts the sweep signs in as.
CHANGES_PEOPLE = ("/admin/users", "/auth/", "/dispatch/volunteers", "/me/", "/dispatch/calendar")


#: Public by design: a drop-in site's opening hours, whichever organisation runs it.
PUBLIC_FEEDS = ("/feeds/site/",)


def _problem(response, where) -> str | None:
    """What is wrong with an answer to an attack, or None."""
    body = response.get_data()
    if response.status_code >= 500:
        return f"{where}: {response.status_code}"
    if b"Traceback" in body or b'File "/' in body:
        return f"{where}: a traceback"
    if FOREIGN.encode() in body and not str(where[1]).startswith(PUBLIC_FEEDS):
        return f"{where}: another organisation's data shown"
    return None


#: Text URL variables (tokens, days, weeks, formats, file names) in three absurd shapes.
PATH_TEXTS = ("9999-12-31", "%FF%FE", "x" * 2000)
TEXT_VARIABLES = ("token", "day", "code", "name", "kind", "fmt", "reference", "week", "filename")


def _attacks(rule: str, foreign_ids: dict[str, int]) -> list[str]:
    """The URLs tried on one GET route once it opens: our own ids (1) with each set of
    absurd queries and with bytes that are not UTF-8, then absurd text in the URL itself."""
    own = _fill(rule, {})
    urls = [f"{own}?{urlencode(query, doseq=True)}" for query in SETS]
    urls += [f"{own}?{RAW_QUERY}"]
    urls += [_fill(rule, dict.fromkeys(TEXT_VARIABLES, text)) for text in PATH_TEXTS]
    return [url for url in dict.fromkeys(urls) if url != own]


#: What a route refused to this role says: there is nothing behind it to attack.
CLOSED = (301, 302, 303, 401, 403, 405)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_no_absurd_query_or_foreign_id_on_any_page_makes_an_error_or_a_leak(
    app, client, world, swept, role
):
    foreign_ids, users = swept
    _sign_in(app, client, users, role)
    pages = _routes(app, "GET")
    assert len(pages) > 50
    problems: list[str | None] = []
    for rule, _ in pages:
        if "logout" in rule or "sign-out" in rule:
            continue
        own = _fill(rule, {})
        foreign = _fill(rule, {k: str(v) for k, v in foreign_ids.items()})
        first = client.get(own)
        problems.append(_problem(first, (role, own)))
        if foreign != own:
            problems.append(_problem(client.get(foreign), (role, foreign)))
        if first.status_code in CLOSED:
            continue
        for url in _attacks(rule, foreign_ids):
            problems.append(_problem(client.get(url), (role, url[:200])))
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


@pytest.mark.parametrize("role", [None, Role.VOLUNTEER, Role.DISPATCHER, Role.ADMIN])
def test_an_empty_or_a_huge_post_to_any_route_is_refused_in_words(app, client, world, swept, role):
    """An empty form, one of bytes that are not UTF-8, or 1 MB of form (beyond [FLASK]
    MAX_CONTENT_LENGTH) on every POST route: never a 500, and a refusal says something."""
    foreign_ids, users = swept
    posts = _routes(app, "POST")
    assert len(posts) > 40
    megabyte = {"first_name": "a" * 1_000_000}
    problems: list[str | None] = []
    for rule, _ in posts:
        own, foreign = _fill(rule, {}), _fill(rule, {k: str(v) for k, v in foreign_ids.items()})
        bodies = [("empty", {"data": {}}), ("%FF", {"data": RAW_FORM, "content_type": FORM})]
        bodies += [("JSON", {"json": JSON_FORM}), ("1 MB", {"data": megabyte})]
        attacks = [(own, name, body) for name, body in bodies]
        if foreign != own:
            attacks.append((foreign, "empty", {"data": {}}))
        for url, name, body in attacks:
            _sign_in(app, client, users, role, check=rule.startswith(CHANGES_PEOPLE))
            response = client.post(url, **body)
            problems.append(_problem(response, (role, url, name)))
            if response.status_code >= 400 and not response.data.strip():
                problems.append(f"{(role, url, name)}: a refusal without words")
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


def test_a_json_body_sent_to_a_page_form_gets_the_forms_messages(client, auth):
    """Flask-WTF read a JSON body as the form: an object where the e-mail is expected
    stopped the e-mail validator with a 500. A page's form reads form posts only."""
    auth.login_as(Role.DISPATCHER)
    response = client.post(
        "/dispatch/volunteers/new",
        json={"first_name": [[1, 2]], "last_name": 10**30, "email": {"a": [1]}},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="error-summary"' in page
    assert 'name="first_name"' in page
