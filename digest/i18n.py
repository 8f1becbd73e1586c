"""The reader's language around the stories: gettext catalogs (Babel) for the mail, the pages a
reader reaches from it and the feeds, dates and times written the way the language writes them
(Babel's CLDR data), and right to left where the language is.

Catalogs are ``digest/locale/<code>/LC_MESSAGES/messages.po``, read (and compiled in memory)
the first time a language is used; English is the source language and the fallback for any
other, and for a message a catalog lacks. ``make messages`` extracts the messages from the
templates and the code and updates every catalog (tools/messages.py).

The language is per rendering, not per process: :func:`speaking` sets it for the code that
runs inside it (a context variable: each thread, each request its own), and the templates'
``_()`` and ``ngettext()`` read it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from gettext import NullTranslations
from pathlib import Path
from zoneinfo import ZoneInfo

__all__ = ["CATALOGS", "direction", "format_day", "format_moment", "gettext", "language",
           "ngettext", "short_day", "speaking"]

LOCALE_DIR = Path(__file__).parent / "locale"
CATALOGS = ("ar", "de", "es", "fr", "ja", "ru", "zh")  # besides English, the source
_RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "ug", "dv", "sd", "ku"})
_current: ContextVar[str] = ContextVar("digest_language", default="en")


def language() -> str:
    """The language of what is being written now (ISO 639-1)."""
    return _current.get()


@contextmanager
def speaking(code: str | None) -> Iterator[str]:
    """Write in ``code`` (its first two letters; English when None or empty) inside."""
    token = _current.set(((code or "en").lower()[:2]) or "en")
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@cache
def _translations(code: str) -> NullTranslations:
    """The catalog of ``code``, compiled from its .po file; none: English, the source."""
    path = LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
    if code == "en" or not path.is_file():
        return NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as f:
        catalog = read_po(f, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def gettext(message: str) -> str:
    return _translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(language()).ngettext(singular, plural, n)


def direction(code: str | None = None) -> str:
    """``rtl`` for a language written right to left (Arabic, Persian, Hebrew, Urdu …)."""
    return "rtl" if (code or language())[:2] in _RIGHT_TO_LEFT else "ltr"


def _locale(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return "en"
    return code


def format_day(day: date, code: str | None = None) -> str:
    """The day in full, as the language writes it: "Sunday, 6 December 2026", "2026年12月6日星期日"."""
    from babel.dates import format_date

    code = _locale(code or language())
    if code == "en":
        return f"{day:%A}, {day.day} {day:%B %Y}"
    return format_date(day, "full", locale=code)


def short_day(day: date, code: str | None = None) -> str:
    """The day briefly (a subject line): "6 Dec 2026", "2026年12月6日", "6 декабря 2026 г."."""
    from babel.dates import format_date

    code = _locale(code or language())
    if code == "en":
        return f"{day.day} {day:%b %Y}"
    return format_date(day, "long", locale=code)


def format_moment(moment: datetime, timezone: str, code: str | None = None) -> str:
    """A time in ``timezone``, saying which: "Jun 8, 2026 09:00 CEST", "2026年6月8日 09:00 CEST"."""
    from babel.dates import format_date

    local = moment.astimezone(ZoneInfo(timezone))
    code = _locale(code or language())
    if code == "en":
        return f"{local:%b} {local.day}, {local:%Y %H:%M} {local.tzname() or timezone}"
    return f"{format_date(local.date(), 'long', locale=code)} {local:%H:%M} {local.tzname() or timezone}"
