"""Shared fixtures of the planning tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.planning.builders import SOLOMON


@pytest.fixture(scope="session")
def solomon_dir() -> Path:
    """The Solomon instances kept in ``bench/data/solomon`` (part of the repository)."""
    assert (SOLOMON / "C101.txt").exists(), f"Solomon data missing from {SOLOMON}"
    return SOLOMON
