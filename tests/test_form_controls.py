"""Every hand-written drop-down list takes the form style (large, readable on a phone):
a bare ``<select>`` is drawn by the browser at its tiny default size."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_select_in_the_templates_has_the_input_style():
    bare = []
    for path in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<select\b[^>]*>", path.read_text(encoding="utf-8")):
            classes = re.search(r'class="([^"]*)"', tag)
            if classes is None or "input" not in classes.group(1).split():
                bare.append((path.relative_to(TEMPLATES).as_posix(), tag))
    assert not bare, bare
