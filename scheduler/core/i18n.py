"""Languages and regional wording, without reference to any page or request.

People choose a language (French or English); the organisation decides the
regional variant: a Québec association reads fr_CA wording ("courriel"), a French
one fr_FR ("e-mail"). Catalogues: ``translations/`` holds the shared French,
``translations/regional/`` only the phrases that differ by region. Which language a
page is shown in is decided by ``routes.context``.
"""

from __future__ import annotations

from datetime import time

from babel import Locale
from babel import UnknownLocaleError
from babel.dates import format_time

FALLBACK_LANGUAGE = "fr"

#: Languages the beneficiary's pages are written in (the booking path, the confirmation,
#: the request page, the privacy notice, the calendar file). English is the source text;
#: the others have a catalogue under ``translations/``. An organisation offers some or
#: all of them (``[PUBLIC] languages``).
PUBLIC_LANGUAGES = ("fr", "en", "ar", "es", "pt")

#: Languages written from right to left: their pages get ``dir="rtl"``.
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi"})


def text_direction(language: str) -> str:
    """``rtl`` or ``ltr`` for a language code or a locale (``ar``, ``ar_MA``)."""
    return "rtl" if language.split("_")[0].split("-")[0] in RIGHT_TO_LEFT else "ltr"


def locale_for(language: str, org_locale: str | None, country: str | None) -> str:
    """The full locale for a language, following the organisation's region."""
    if org_locale and org_locale.split("_")[0] == language:
        return org_locale
    region = (country or "CA").upper()
    candidate = f"{language}_{region}"
    try:
        Locale.parse(candidate)
    except (ValueError, LookupError, UnknownLocaleError):
        return language
    return candidate


def language_name(code: str, in_locale: str) -> str:
    """A language's own name in the page's language: 'arabe' in French, 'Arabic' in English."""
    try:
        name = Locale.parse(in_locale).languages.get(code)
    except (ValueError, LookupError, UnknownLocaleError):
        name = None
    return name.capitalize() if name else code


def native_language_name(code: str) -> str:
    """A language's name in itself ('العربية', 'Español'), for the language switch and lists."""
    try:
        return str(Locale.parse(code).get_display_name(code)).capitalize()
    except (ValueError, LookupError, UnknownLocaleError):
        return code


def clock_text(value: time, locale: str | Locale | None) -> str:
    """A time as people write it, the same on pages and in calendars: "9 h", "13 h 30"
    in French (Babel's fr_CA says "09 h 00", France's "09:00"), "9h", "13h30" in
    Portuguese, in Brazil as in Portugal (Babel says "09:00", which reads like a
    timetable), "1:30 p.m." in English.

    Non-breaking spaces: "13 h 30" never splits across lines.
    """
    language = str(locale or FALLBACK_LANGUAGE).replace("-", "_").split("_")[0]
    if language == "fr":
        if value.minute == 0:
            return f"{value.hour}\u00a0h"
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    if language == "pt":
        if value.minute == 0:
            return f"{value.hour}h"
        return f"{value.hour}h{value.minute:02d}"
    return str(format_time(value, "short", locale=locale or FALLBACK_LANGUAGE))


#: Commas a language may write between the items of a list (Latin, Arabic, ideographic).
_COMMAS = (",", "\u060c", "\u3001")


def list_separator(locale: str | Locale | None) -> str:
    """What separates the items of a list, and a weekday from its hours: ", " in French,
    English, Spanish and Portuguese, "، " (U+060C) in Arabic.

    Read from Babel's list patterns (CLDR): Arabic's plain pattern joins with "و" ("and")
    and has no comma, so the unit patterns, which do, are read as well.
    """
    try:
        patterns = Locale.parse(str(locale or FALLBACK_LANGUAGE).replace("-", "_")).list_patterns
    except (ValueError, LookupError, UnknownLocaleError):
        return ", "
    for style in ("standard", "unit-short", "unit"):
        middle = patterns.get(style, {}).get("middle") or ""
        between = middle.replace("{0}", "").replace("{1}", "")
        for comma in _COMMAS:
            if comma in between:
                return comma if comma == "\u3001" else f"{comma} "
    return ", "


#: Quotation marks around someone's own words, by language: French guillemets hold their
#: words at a no-break space, so a mark never starts or ends a line alone; Spanish and
#: Arabic write the guillemets close; English and Portuguese write curly quotes.
_QUOTES = {
    "fr": ("\u00ab\u00a0", "\u00a0\u00bb"),
    "es": ("\u00ab", "\u00bb"),
    "ar": ("\u00ab", "\u00bb"),
}
_CURLY = ("\u201c", "\u201d")


def quoted(text: str, locale: str | Locale | None) -> str:
    """``text`` between the quotation marks of the language: « mots » in French,
    “words” in English."""
    language = str(locale or FALLBACK_LANGUAGE).replace("-", "_").split("_")[0]
    opening, closing = _QUOTES.get(language, _CURLY)
    return f"{opening}{text}{closing}"
