"""Cells a spreadsheet program would run as a formula, made plain text.

Excel, LibreOffice and Google Sheets start a formula on ``=``, ``+``, ``-`` or ``@``,
and also on their full-width forms (``＝``, ``＋``, ``－``, ``＠``, typed by a Japanese
or Chinese input method, or pasted), after leading spaces or line breaks, which they
skip. A cell that opens with a tab or a carriage return is also read as the start of a
formula by some of them (the OWASP guidance on CSV injection lists both). Any such text
gets a leading apostrophe, which every one of them shows as text and never runs.
"""

from __future__ import annotations

from typing import Any

#: What starts a formula, in ASCII and in full width (U+FF1D, U+FF0B, U+FF0D, U+FF20).
TRIGGERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
#: Skipped before a trigger: a formula typed after them still runs.
LEADING_BLANKS = " \t\r\n\u00a0\u3000"
#: Dangerous as the first character on their own.
BARE = frozenset("\t\r")


def defuse(value: Any) -> Any:
    """``value`` with a leading apostrophe if a spreadsheet would run it; numbers, dates
    and empty cells pass as they are."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in BARE or value.lstrip(LEADING_BLANKS)[:1] in TRIGGERS:
        return "'" + value
    return value
