"""Every sentence of the interface exists in French, the default language; every sentence a
person asking for help reads exists in each language of the public pages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from scheduler.core.i18n import PUBLIC_LANGUAGES

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


# --- The beneficiary's pages, in every language an organisation may offer them ----------

PUBLIC_MAPPING = ROOT / "translations/public.cfg"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def public_messages() -> set[str]:
    """Messages of the booking path, the confirmation, the request page, the privacy
    notice and the calendar file (``translations/public.cfg``); staff pages are not here."""
    with PUBLIC_MAPPING.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def enabled_public_languages() -> set[str]:
    """Every language ``config.toml`` lets an organisation offer on its public pages."""
    with (ROOT / "config.toml").open("rb") as handle:
        table = tomllib.load(handle).get("PUBLIC", {})
    languages = set(table.get("languages", PUBLIC_LANGUAGES))
    for codes in (table.get("organisation_languages") or {}).values():
        languages.update(codes)
    return languages


def test_the_public_pages_have_many_messages_and_no_staff_page():
    found = public_messages()
    assert len(found) > 150
    assert "How can we reach you?" in found  # a screen of the form
    assert "Digital help at home: %(organisation)s" in found  # the calendar file
    assert "Plan this week" not in found  # a dispatcher's page


@pytest.mark.parametrize("language", sorted(set(PUBLIC_LANGUAGES) - {"en"}))
def test_every_public_message_exists_in_each_public_language(language):
    path = ROOT / f"translations/{language}/LC_MESSAGES/messages.po"
    assert path.exists(), f"no catalogue for {language}: run `make translations`"
    found = catalogue(path)
    missing, broken = [], []
    for msgid in sorted(public_messages()):
        entry = found.get(msgid)
        strings = (
            []
            if entry is None
            else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        )
        if entry is None or not all(strings) or entry.fuzzy:
            missing.append(msgid)
            continue
        names = set(PLACEHOLDER.findall(msgid if isinstance(msgid, str) else msgid[0]))
        if any(not set(PLACEHOLDER.findall(s)) <= names for s in strings):
            broken.append(msgid)
    assert missing == [], f"{language}: untranslated (run `make translations`):\n" + "\n".join(
        missing
    )
    assert broken == [], f"{language}: unknown %(name)s placeholders in: {broken}"


def test_every_language_the_configuration_enables_has_its_catalogue():
    for language in enabled_public_languages():
        assert language in PUBLIC_LANGUAGES
        if language != "en":
            assert (ROOT / f"translations/{language}/LC_MESSAGES/messages.po").exists()
