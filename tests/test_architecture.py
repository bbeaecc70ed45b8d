"""The import rules of docs/architecture.md, checked on the source itself.

Each domain package imports only the packages below it; nothing in ``scheduler`` reaches
into ``routes`` (except the app factory, which registers them); services never read the
web request; only calendars (feed texts) speak Babel; the planning engine loads no web or
database library at all.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = {"scheduler.core", "scheduler.models"}
#: Which packages of ``scheduler`` each one may import, besides itself.
ALLOWED: dict[str, set[str]] = {
    "scheduler.planning": set(),
    "scheduler.models": set(),
    "scheduler.core": {"scheduler.models"},
    "scheduler.organisation": BASE,
    "scheduler.people": BASE | {"scheduler.organisation"},
    "scheduler.requests": BASE | {"scheduler.organisation"},
    "scheduler.geo": BASE,
    "scheduler.calendars": BASE,
    "scheduler.dispatch": BASE
    | {"scheduler.organisation", "scheduler.requests", "scheduler.planning", "scheduler.tasks"},
    "scheduler.observatory": BASE,
    "scheduler.demo": BASE
    | {"scheduler.organisation", "scheduler.people", "scheduler.requests", "scheduler.workshops"},
    "scheduler.messages": BASE | {"scheduler.calendars", "scheduler.tasks"},
    "scheduler.jobs": BASE
    | {
        "scheduler.calendars",
        "scheduler.dispatch",
        "scheduler.geo",
        "scheduler.messages",
        "scheduler.partners",
        "scheduler.requests",
        "scheduler.runtime",
        "scheduler.tasks",
        "scheduler.workshops",
    },
    "scheduler.runtime": BASE
    | {
        "scheduler.calendars",
        "scheduler.dispatch",
        "scheduler.geo",
        "scheduler.maps",
        "scheduler.messages",
        "scheduler.requests",
        "scheduler.tasks",
        "scheduler.api",
        "scheduler.workshops",
    },
    "scheduler.tasks": BASE,
    "scheduler.maps": BASE | {"scheduler.geo"},
    "scheduler.sheets": BASE | {"scheduler.maps"},
    "scheduler.reports": BASE,
    "scheduler.api": BASE
    | {"scheduler.organisation", "scheduler.requests", "scheduler.dispatch", "scheduler.partners"},
    "scheduler.partners": BASE | {"scheduler.people", "scheduler.messages"},
    "scheduler.devices": BASE,
    "scheduler.proposals": BASE
    | {"scheduler.planning", "scheduler.devices", "scheduler.workshops", "scheduler.tasks"},
    "scheduler.workshops": BASE | {"scheduler.messages"},
}
#: The plumbing: the factory, the command line (``up`` too) and ``python -m scheduler.instance``.
PLUMBING = {"scheduler.app", "scheduler.cli", "scheduler.up", "scheduler.instance", "scheduler"}
#: What a service must never read: the request, the visitor's session, the running app.
REQUEST_STATE = {"request", "session", "g", "current_app", "has_request_context"}


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted((ROOT / "scheduler").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(parts).removesuffix(".__init__"), path


def package_of(module: str) -> str:
    parts = module.split(".")
    return module if parts[0] != "scheduler" or len(parts) < 2 else ".".join(parts[:2])


def imports(module: str, path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import, relative ones resolved."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            yield target, [a.name for a in node.names], node.lineno


def test_every_package_has_a_rule():
    packages = {package_of(m) for m, _ in modules()} - PLUMBING
    assert packages == set(ALLOWED), "add the new package to ALLOWED and docs/architecture.md"


def test_packages_import_only_the_packages_below_them():
    wrong = []
    for module, path in modules():
        own = package_of(module)
        if own in PLUMBING:
            continue
        for target, _names, line in imports(module, path):
            if not target.startswith("scheduler"):
                continue
            other = package_of(target)
            if other != own and other not in ALLOWED[own]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == []


def test_nothing_in_scheduler_imports_routes_but_the_app_factory():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for module, path in modules()
        if module != "scheduler.app"
        for target, _names, line in imports(module, path)
        if target == "routes" or target.startswith("routes.")
    ]
    assert wrong == []


def test_services_never_read_the_web_request():
    """flask.request, session, g, current_app and flask_login.current_user belong to routes;
    services receive the session, the acting user and ``now`` as arguments."""
    wrong = []
    for module, path in modules():
        if module in PLUMBING:
            continue
        for target, names, line in imports(module, path):
            state = set(names) & (REQUEST_STATE if target == "flask" else {"current_user"})
            if target in ("flask", "flask_login") and state:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}.{sorted(state)}")
            if target in ("flask.globals", "flask_login.utils"):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == []


def test_services_raise_codes_and_leave_words_to_the_pages():
    """Only the calendar feeds write sentences themselves (in the organisation's language);
    every other service refuses with a code that a page turns into words."""
    speaking = {
        package_of(module)
        for module, path in modules()
        if module not in PLUMBING
        for target, _names, _line in imports(module, path)
        if target.startswith("flask_babel")
    }
    assert speaking <= {"scheduler.calendars", "scheduler.core"}
    core_babel = [
        module
        for module, path in modules()
        if package_of(module) == "scheduler.core"
        for target, _names, _line in imports(module, path)
        if target.startswith("flask_babel")
    ]
    assert core_babel == ["scheduler.core.extensions"]


@pytest.mark.parametrize("package", ["scheduler.planning"])
def test_the_planning_engine_loads_no_web_database_or_translation_library(package):
    code = (
        "import json, sys\n"
        f"import {package}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'werkzeug', 'sqlalchemy', 'flask_sqlalchemy', 'babel', 'flask_babel'})))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(found.stdout) == []
