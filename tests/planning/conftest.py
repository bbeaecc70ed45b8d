"""Shared fixtures of the planning tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.planning.builders import SOLOMON


@pytest.fixture(scope="session")
def solomon_dir() -> Path:
    """The shared Solomon instances, beside the repository."""
    if not (SOLOMON / "C101.txt").exists():
        pytest.skip("shared Solomon data not found beside the repository")
    return SOLOMON
