"""Generated and hostile values in every form and query parameter of every route, as every
role: never a 5xx or a traceback, and every refusal a 4xx that says something.

Routes come from the URL map, as in tests/test_access.py, so a new page is fuzzed the day
it is added. Parameter names come from the pages themselves: every form and every link
each role is shown, plus the names any route reads from the query string. Values mix
hypothesis' text, numbers, dates and ISO weeks with a list of known troublemakers (weeks
in year 1 or 9999, NUL, bidi overrides, enormous numbers, markup).

Runs in the SQLite pass only (marker ``fuzz``): ``ESCOUADE_FUZZ_EXAMPLES`` sets how many
examples in all (10,500 by default, shared evenly between the routes; about three minutes on
a quiet machine).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl
from urllib.parse import quote
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from scheduler.core.extensions import db
from scheduler.models import Organisation
from scheduler.models import Role
from scheduler.models import User
from scheduler.models import Volunteer

from .builders import make_request
from .calendars.builders import team_link
from .calendars.builders import volunteer_link

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("ESCOUADE_FUZZ_EXAMPLES", "10500"))
ROLES = (None, Role.VOLUNTEER, Role.DISPATCHER, Role.ADMIN, Role.PARTNER)
#: Query names some pages read without showing them in a link.
QUERY_NAMES = ("week", "page", "action", "status", "q", "next", "back", "lang", "mode", "tab")
HOSTILE = (
    "",
    " ",
    "0",
    "-1",
    "1",
    "2",
    "999999999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "0001-W01",
    "9999-W52",
    "2026-W53",
    "2026-W00",
    "0000-W01",
    "2026-W49",
    "2027-W02",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "24:61",
    "9 h 75",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "\ud7ff\ufffe",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "' OR 1=1 --",
    "%s%s%n",
    "x" * 5000,
    "é" * 300,
    "+1 819 555 0142",
    "https://example.org/",
    "javascript:alert(1)",
    "y",
    "on",
    "true",
    "home",
    "phone",
    "dropin",
    "admin",
    "dispatcher",
    "volunteer",
)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
#: Years at the edges of what dates can hold come up often: that is where arithmetic breaks.
YEAR = st.one_of(st.sampled_from([1, 2, 1969, 1970, 2038, 9998, 9999]), st.integers(0, 9999))
WEEK = st.one_of(
    # The first and last weeks dates can hold, then any day's week, then any text like one.
    st.sampled_from(["0001-W01", "9999-W52"]),
    st.dates().map(lambda d: "{:04d}-W{:02d}".format(*d.isocalendar()[:2])),
    st.builds(lambda y, w: f"{y:04d}-W{w:02d}", YEAR, st.integers(0, 60)),
)
DATE = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-29", "1900-01-01", "10000-01-01"]),
    st.dates().map(lambda d: d.isoformat()),
)
NUMBER = st.one_of(
    st.sampled_from(["0", "-1", "2147483648", "9223372036854775808", "1e309", "-0", "1.5"]),
    st.integers(-(10**20), 10**20).map(str),
)
CLOCK = st.one_of(
    st.sampled_from(["24:00", "23:60", "-1:00", "99", "9 h 75", "00:00:60"]),
    st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(-5, 30), st.integers(0, 99)),
)
#: Values shaped for what a field's name says it holds, tried beside any value at all.
SHAPED = (
    ("week", WEEK),
    ("date", DATE),
    ("day", DATE),
    ("deadline", DATE),
    ("page", NUMBER),
    ("_id", NUMBER),
    ("min", NUMBER),
    ("max", NUMBER),
    ("km", NUMBER),
    ("lat", NUMBER),
    ("lon", NUMBER),
    ("priority", NUMBER),
    ("starts", CLOCK),
    ("ends", CLOCK),
    ("time", CLOCK),
)
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    TEXT,
    st.integers(-(10**20), 10**20).map(str),
    st.dates().map(lambda d: d.isoformat()),
    WEEK,
    st.floats().map(str),
)


def _values_for(name: str, seen: list[str]) -> st.SearchStrategy[str]:
    shaped = [strategy for part, strategy in SHAPED if part in name.lower()]
    general = st.one_of(VALUE, st.sampled_from(seen)) if seen else VALUE
    return st.one_of(*shaped, general) if shaped else general


class _Forms(HTMLParser):
    """Field names of every form on a page, by (method, action), and query keys of links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[tuple[str, str], set[str]] = {}
        self.values: set[str] = set()
        self.query: set[str] = set()
        self._current: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            key = (found.get("method", "get").upper(), urlsplit(found.get("action", "")).path)
            self._current = key
            self.forms.setdefault(key, set())
        elif tag in ("input", "select", "textarea", "button") and found.get("name"):
            if self._current is not None:
                self.forms[self._current].add(found["name"])
            if found.get("value"):
                self.values.add(found["value"])
        elif tag == "option" and found.get("value"):
            self.values.add(found["value"])
        elif tag == "a" and "?" in found.get("href", ""):
            self.query.update(k for k, _ in parse_qsl(urlsplit(found["href"]).query))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _routes(app) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, rule, variable names) of every route but static files."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule, tuple(sorted(rule.arguments))))
    return found


def _fill(rule: str, values: dict[str, str]) -> str:
    return re.sub(
        r"<(?:([^:<>]+):)?([^<>]+)>", lambda m: quote(values.get(m.group(2), "1"), safe=""), rule
    )


def _probe_routes() -> list[tuple[str, str, tuple[str, ...]]]:
    """The routes, read from an application built only for its URL map."""
    from scheduler.app import create_app

    probe = create_app(
        {"TESTING": True, "SECRET_KEY": "probe", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    return _routes(probe)


ROUTES = _probe_routes()
PER_ROUTE = max(20, -(-EXAMPLES // len(ROUTES)))


@pytest.fixture(scope="module")
def target(sqlite_template):
    """The application with an organisation, one user per role, a request, feed links;
    the names each route may read; and the ids and secrets URL variables may take.

    One application for the whole module, on a SQLite file in memory-backed storage when
    there is one (ten thousand examples write often; a disk's flushes would take most of
    the time)."""
    from scheduler.app import create_app

    from .builders import build_world

    folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else sqlite_template.parent
    path = folder / f"escouade-fuzz-{uuid.uuid4().hex}.db"
    shutil.copyfile(sqlite_template, path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "fuzz-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": None,
            "PLANNING": {"time_limit_s": 1.0, "solution_limit": 3},
        }
    )
    with app.app_context():
        world = build_world(db.session)
        org = db.session.get(Organisation, world.org_id)
        request = make_request(db.session, org)
        secrets = [
            request.token,
            volunteer_link(db.session, db.session.get(Volunteer, world.volunteer_id)),
            team_link(db.session, world.email_for(Role.DISPATCHER)),
        ]
        db.session.commit()
        users = {
            role: db.session.scalar(sa.select(User.id).where(User.email == world.email_for(role)))
            for role in ROLES
            if role is not None
        }
    tokens = [secrets[0]] + [s.rsplit("/", 1)[1].removesuffix(".ics") for s in secrets[1:]]
    names: dict[tuple[str, str], set[str]] = {}
    seen_values: set[str] = set()
    query: set[str] = set(QUERY_NAMES)
    for role in ROLES:
        client = app.test_client()
        _sign_in(app, client, users, role)
        for method, rule, _ in ROUTES:
            if method != "GET":
                continue
            page = client.get(_fill(rule, {"token": tokens[0]}))
            if not page.mimetype == "text/html":
                continue
            parser = _Forms()
            parser.feed(page.get_data(as_text=True))
            for key, fields in parser.forms.items():
                names.setdefault(key, set()).update(fields)
            seen_values.update(v for v in parser.values if len(v) < 60)
            query.update(parser.query)
    every_name = sorted(set().union(*names.values()) | query)
    yield app, users, names, sorted(query), every_name, tokens, sorted(seen_values)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    path.unlink(missing_ok=True)


#: Routes whose use can change the people the examples sign in as.
CHANGES_PEOPLE = ("/admin/users", "/auth/logout", "/dispatch/volunteers")


def _sign_in(app, client, users, role, *, reset: bool = True) -> None:
    """Open a session as ``role`` directly, whatever earlier examples did to the account
    (a new role, disabled, signed out everywhere): each example starts from the same
    people, so that every route is reached as every role."""
    client.delete_cookie("session")
    if role is None:
        return
    key = ("escouade-fuzz", role)
    cookie = app.extensions.get(key)
    if reset or cookie is None:
        with app.app_context():
            user = db.session.get(User, users[role])
            if (user.role, user.active) != (role, True):
                user.role, user.active = role, True
                db.session.commit()
            version = user.session_version
        serializer = app.session_interface.get_signing_serializer(app)
        cookie = serializer.dumps({"_user_id": f"{users[role]}.{version}", "_fresh": True})
        app.extensions[key] = cookie
    client.set_cookie("session", cookie)


def _dirty(app) -> bool:
    """Whether the last example may have changed a role user (and clears the flag)."""
    return bool(app.extensions.pop("escouade-fuzz-dirty", False))


def _path_from_rule(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "1", rule)


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {r}" for m, r, _ in ROUTES])
@settings(
    max_examples=PER_ROUTE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_input_makes_a_server_error(target, route, data):
    app, users, names, query_names, every_name, tokens, seen = target
    method, rule, variables = route
    role = data.draw(st.sampled_from(ROLES), label="role")
    ids = {
        name: data.draw(
            st.one_of(
                st.sampled_from(["1", "2", "3", "0", "999999", "2147483648"]),
                st.sampled_from(tokens),
                TEXT.filter(lambda t: t not in ("", ".", "..") and "/" not in t),
            ),
            label=name,
        )
        for name in variables
    }
    for name, value in ids.items():
        if f"int:{name}" in rule and not value.isdigit():
            ids[name] = "1"
    url = _fill(rule, ids)
    own = names.get((method, _path_from_rule(rule)), set()) | names.get((method, url), set())
    if method == "GET":
        own |= set(query_names)
    pool = sorted(own) if own and data.draw(st.booleans(), label="own fields") else every_name
    keys = data.draw(st.lists(st.sampled_from(pool), max_size=8, unique=True), label="names")
    fields = {
        key: data.draw(st.lists(_values_for(key, seen), min_size=1, max_size=3), label=key)
        for key in keys
    }
    client = app.test_client()
    _sign_in(app, client, users, role, reset=_dirty(app))
    if method == "GET":
        response = client.open(url, method=method, query_string=fields)
    else:
        extra = data.draw(
            st.dictionaries(st.sampled_from(query_names), VALUE, max_size=2), label="query"
        )
        response = client.open(url, method=method, data=fields, query_string=extra)
    if method != "GET" and rule.startswith(CHANGES_PEOPLE):
        app.extensions["escouade-fuzz-dirty"] = True
    body = response.get_data()
    assert response.status_code < 500, (role, method, url, fields, response.status_code)
    assert b"Traceback" not in body
    if response.status_code >= 400:
        assert body.strip(), (role, method, url, fields, "a refusal without a message")


def test_every_route_is_fuzzed(target):
    """Guard against fuzzing nothing: the map holds every area, and forms were found."""
    app, users, names, query_names, every_name, tokens, seen = target
    rules = {rule for _, rule, _ in ROUTES}
    for prefix in ("/dispatch/plans", "/admin/users", "/me", "/feeds/", "/auth/login", "/"):
        assert any(rule.startswith(prefix) for rule in rules), prefix
    assert len(ROUTES) > 50
    assert PER_ROUTE * len(ROUTES) >= EXAMPLES
    assert {"week", "email", "password", "first_name"} <= set(every_name)
