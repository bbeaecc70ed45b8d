"""Every sentence of the interface exists in French, the default language."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [
    ("scheduler/**.py", "python"),
    ("routes/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "_n": (1, 2)}


def interface_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_interface_has_messages():
    assert len(interface_messages()) > 20


def test_every_interface_message_has_a_french_translation():
    french = catalogue(ROOT / "translations/fr/LC_MESSAGES/messages.po")
    missing = []
    for msgid in sorted(interface_messages()):
        entry = french.get(msgid)
        strings = (
            []
            if entry is None
            else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        )
        if entry is None or not all(strings) or entry.fuzzy:
            missing.append(msgid)
    assert missing == [], "untranslated (run `make translations`, then translate):\n" + "\n".join(
        missing
    )


def test_regional_catalogues_only_override_known_messages():
    known = interface_messages()
    for path in (ROOT / "translations/regional").glob("*/LC_MESSAGES/messages.po"):
        ids = [m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(path) if m.id]
        extra = [msgid for msgid in ids if msgid not in known]
        assert extra == [], f"{path}: overrides for messages that no longer exist: {extra}"
