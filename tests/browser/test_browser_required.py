"""The browser tests cannot pass, nor quietly skip, on a machine without Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_missing_chromium_fails_the_browser_tests_in_ci(tmp_path):
    env = {**os.environ, "CI": "true", "ESCOUADE_CHROMIUM": str(tmp_path / "no-chromium")}
    # The inner run must not rebuild the schema of the PostgreSQL database this run uses.
    env.pop("ESCOUADE_TEST_DATABASE_URL", None)
    test = "tests/browser/test_sign_in.py::test_wrong_password_is_announced_beside_the_field"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", test],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "no-chromium not found" in result.stdout
    assert "1 error" in result.stdout
    assert "skipped" not in result.stdout
