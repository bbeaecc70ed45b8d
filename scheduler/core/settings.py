"""Configuration: committed defaults, an uncommitted instance file, then the environment.

Order (later wins): ``config.toml`` at the project root, ``instance/config.toml``,
``ESCOUADE_*`` environment variables, then the test configuration. Two short
names are kept for operators: ``ESCOUADE_DATABASE_URL`` and ``ESCOUADE_SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET_KEY = "dev-secret-change-me"


class ConfigurationError(RuntimeError):
    """The configuration would run the service unsafely or not at all."""


def default_instance_path() -> Path:
    return Path(os.environ.get("ESCOUADE_INSTANCE_PATH", ROOT / "instance")).resolve()


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    app.config.from_file(str(ROOT / "config.toml"), load=tomllib.load, text=False)
    app.config.from_file(
        str(Path(app.instance_path) / "config.toml"), load=tomllib.load, text=False, silent=True
    )
    app.config.from_prefixed_env(prefix="ESCOUADE")
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.pop("DATABASE_URL")
    if test_config:
        app.config.update(test_config)
    _refuse_unsafe(app)


def _refuse_unsafe(app: Flask) -> None:
    """Refuse the committed development secret anywhere but debug and tests."""
    if app.config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        if not (app.debug or app.testing):
            raise ConfigurationError(
                "SECRET_KEY is the development value. Set ESCOUADE_SECRET_KEY, or run "
                "`python -m scheduler.instance` to write a random one into instance/config.toml."
            )


def write_instance_secret(instance_path: Path) -> bool:
    """Create ``instance/config.toml`` with a random SECRET_KEY unless it already has one.

    :return: True when a secret was written.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / "config.toml"
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing and "SECRET_KEY" in tomllib.loads(existing):
        return False
    line = f'SECRET_KEY = "{secrets.token_urlsafe(48)}"\n'
    header = "" if existing else "# Local settings for this installation. Not committed.\n"
    # A top-level key must come before any [table], so the secret goes first.
    path.write_text(header + line + existing, encoding="utf-8")
    path.chmod(0o600)
    return True
