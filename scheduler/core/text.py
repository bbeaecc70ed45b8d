"""Invisible bidirectional controls, taken out of everything people type.

Right-to-left overrides and embeddings (U+202A–U+202E), isolates (U+2066–U+2069) and the
directional marks (U+200E, U+200F, U+061C) change how the text around them is displayed:
"‮gnp.exe" shows as "exe.png", and a name can read backwards in the inbox or a calendar.
Arabic, Hebrew or Persian text needs none of them to display right; pages isolate each
piece of user text instead (``<bdi>``, ``dir="auto"``).
"""

from __future__ import annotations

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_TABLE = {ord(char): None for char in BIDI_CONTROLS}


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return text.translate(_TABLE)
