"""The languages stories can be told in: the ISO 639-1 codes of those the language detector
(py3langid's model, scraper/extract/metadata.py) tells apart, a macrolanguage's members under
its code as the detector reports them. A reader can ask for any of them
(``subscribers add --language``, ``subscribers[].languages``, the preferences page); the names
are Babel's (CLDR). tests/test_languages.py checks the list against the model."""

from __future__ import annotations

from functools import cache

__all__ = ["DETECTED", "country_name", "language_name"]

_CODES = """
af am an ar as az ba be bg bn br bs ca cs cy da de dz el en eo es et eu fa fi fo fr fy ga gd gl
gu ha he hi hr ht hu hy id ig is it ja jv ka kk km kn ko ku ky la lb lg ln lo lt lv mg mk ml mn
mr ms mt my ne nl no oc om or pa pl ps pt qu ro ru rw sa se si sk sl sn so sq sr st sv sw ta te
tg th tk tl tr tt ug uk ur uz vi vo wa xh yo zh zu
"""
DETECTED = frozenset(_CODES.split())


@cache
def language_name(code: str, locale: str = "en") -> str:
    """``code``'s name in ``locale`` ("Chinese", "中文"), or the code when CLDR has none."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(locale).languages
    except (UnknownLocaleError, ValueError):
        names = Locale("en").languages
    return str(names.get(code, code))


@cache
def country_name(code: str, language: str) -> str | None:
    """The name of the country or territory ``code`` (ISO 3166, "FR") in ``language`` ("France",
    "Francia"), or None when CLDR has none."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(language).territories.get(code.upper()) or "") or None
    except (ValueError, UnknownLocaleError):
        return None
