"""The OpenAPI document: served at a stable URL, valid OpenAPI 3, and true to the API.

The property-based run (marker ``fuzz``, SQLite pass only) lets schemathesis generate
calls to every operation from the document, with a staff token and with a partner's,
against the application served for real; it fails on any 5xx and on any response whose
status, content type, headers or body the document does not describe.
``ESCOUADE_API_FUZZ_EXAMPLES`` sets the examples per operation and token (110 by
default: 5 operations × 2 tokens × 110 = 1,100 calls, about a minute on a quiet machine).
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance
from schemathesis.specs.openapi.checks import response_headers_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.checks import status_code_conformance
from werkzeug.serving import make_server

from scheduler.core.extensions import db

from ..builders import build_world
from .builders import referral_body
from .builders import token_for

EXAMPLES = int(os.environ.get("ESCOUADE_API_FUZZ_EXAMPLES", "110"))
OPERATIONS = {
    ("post", "/api/v1/requests"),
    ("get", "/api/v1/requests"),
    ("get", "/api/v1/requests/{reference}"),
    ("get", "/api/v1/referrals"),
    ("get", "/api/v1/appointments"),
    ("get", "/api/v1/plans/{week}"),
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_openapi_document_is_valid_and_lists_every_operation(live_server):
    response = requests.get(f"{live_server}/api/v1/openapi.json", timeout=10)
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    found = {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert found == OPERATIONS
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    problem = document["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
    assert "application/problem+json" in problem


@pytest.fixture(scope="module")
def served(sqlite_template):
    """One application for the module, served on a free port, with a staff token and a
    partner's token, and one referral so that some references exist."""
    from scheduler.app import create_app

    folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else sqlite_template.parent
    path = folder / f"escouade-api-fuzz-{uuid.uuid4().hex}.db"
    shutil.copyfile(sqlite_template, path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "api-fuzz-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": None,
            "QUEUE": {"backend": "immediate"},
        }
    )
    with app.app_context():
        world = build_world(db.session)
    tokens = {
        "staff": token_for(app, world),
        "partner": token_for(app, world, partner_id=world.partner_id),
    }
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    created = requests.post(
        f"{base}/api/v1/requests",
        json=referral_body(world),
        headers={"Authorization": f"Bearer {tokens['partner']}"},
        timeout=10,
    )
    assert created.status_code == 201
    try:
        yield base, tokens, world
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()
        path.unlink(missing_ok=True)


def _document() -> dict:
    """The document as the application generates it; read once, at collection, from an
    application that needs no database to describe itself."""
    from scheduler.app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.test_client().get("/api/v1/openapi.json").get_json()


schema = schemathesis.openapi.from_dict(_document())


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


#: Calls made, by token, operation and status: the run proves its own size.
CALLS: Counter[tuple[str, str, int]] = Counter()


def _call(case, served, who: str) -> None:
    base, tokens, world = served
    if case.method == "POST" and isinstance(case.body, dict) and sum(CALLS.values()) % 2:
        # Every other generated body gets the organisation's own choices (ids, languages,
        # times), which no document can list, so that creations succeed too and their
        # answers are checked against the document; the texts stay as generated.
        case.body.update(
            municipality_id=world.municipality_ids["Wickham"],
            mode="phone",
            needs=["email"],
            languages=["fr"],
            availability=["tue-am"],
            any_time=False,
            deadline=None,
            phone="819 555 0142",
            consent=True,
        )
    response = case.call_and_validate(
        base_url=base,
        headers={"Authorization": f"Bearer {tokens[who]}"},
        checks=CHECKS,
    )
    CALLS[(who, f"{case.method} {case.path}", response.status_code)] += 1


@pytest.mark.fuzz
@schema.parametrize()
@FUZZ_SETTINGS
def test_staff_token_calls_get_no_server_error_and_match_the_document(case, served):
    _call(case, served, "staff")


@pytest.mark.fuzz
@schema.parametrize()
@FUZZ_SETTINGS
def test_partner_token_calls_get_no_server_error_and_match_the_document(case, served):
    _call(case, served, "partner")


@pytest.mark.fuzz
def test_the_generated_run_called_every_operation_enough():
    """Runs after the two above (same module): over 1,000 calls with the default
    settings, each operation called with each token, and both successes and refusals."""
    if not CALLS:
        pytest.skip("the generated runs did not run in this session")
    total = sum(CALLS.values())
    print("generated API calls:", total, dict(sorted(CALLS.items())))
    called = {(who, operation) for who, operation, _status in CALLS}
    for method, path in OPERATIONS:
        for who in ("staff", "partner"):
            assert (who, f"{method.upper()} {path}") in called
    statuses = {status for _who, _operation, status in CALLS}
    assert {200, 201, 401, 403, 404, 422} <= statuses or EXAMPLES < 110, statuses
    if EXAMPLES >= 110:
        assert total >= 1000
