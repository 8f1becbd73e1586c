"""When a page was published and last updated: metadata with a time of day, the day the
metadata declares, else the page's own date line (in its language, in eras' years too), on the
source's clock."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html
from dateutil import parser as dateparser

from digest.text import MARKS
from scraper.extract.jsonld import JsonLd

__all__ = ["TIME_META", "UPDATED_META", "day_start", "declared_day", "on_clock", "own_date",
           "precise_published", "precise_time"]

UPDATED_META = ("article:modified_time", "og:updated_time", "dateModified", "last-modified",
                 "dcterms.modified")
TIME_META = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publishdate", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date",
    "parsely-pub-date",
)


def precise_published(tree: lxml.html.HtmlElement, meta: dict[str, str], scripts: JsonLd,
                        now: datetime, zone: ZoneInfo) -> datetime | None:
    """The publication time from metadata that carries a time of day, if any."""
    found = precise_time(meta, scripts, TIME_META, "datePublished", now, zone)
    if found is not None:
        return found
    for value in tree.xpath("//article//time/@datetime | //time[@pubdate]/@datetime"):
        when = _parse_time(value, zone)
        if when is not None and when <= now:
            return when
    return None


def declared_day(meta: dict[str, str], scripts: JsonLd, now: datetime) -> date | None:
    """The publication day the page's meta tags or JSON-LD give without a time of day."""
    for value in _declared(meta, scripts, TIME_META, "datePublished"):
        if _ISO_DAY.match(value.strip()):
            try:
                day = date.fromisoformat(value.strip()[:10])
            except ValueError:
                continue
            if date(1995, 1, 1) <= day <= now.date():
                return day
    return None


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")


def _declared(meta: dict[str, str], scripts: JsonLd, meta_keys: tuple[str, ...],
              jsonld_key: str) -> list[str]:
    """The values of ``meta_keys`` in the meta tags, then those of ``jsonld_key`` in the JSON-LD."""
    return [*(meta[key] for key in meta_keys if key in meta), *scripts.values(jsonld_key)]


def precise_time(meta: dict[str, str], scripts: JsonLd, meta_keys: tuple[str, ...],
                  jsonld_key: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The first time of day, not in the future, from meta tags or JSON-LD."""
    for value in _declared(meta, scripts, meta_keys, jsonld_key):
        when = _parse_time(value, zone)
        if when is not None and when <= now:
            return when
    return None


def _parse_time(value: str, zone: ZoneInfo) -> datetime | None:
    """A time with its time of day, in UTC; one written without a zone is on ``zone``'s clock."""
    value = value.strip()
    if len(value) < 10 or not value[:4].isdigit():
        return None
    try:
        when = dateparser.isoparse(value)
    except (ValueError, OverflowError):
        return None
    if len(value) <= 10:  # a bare date is no better than htmldate's
        return None
    return (when.replace(tzinfo=zone) if when.tzinfo is None else when).astimezone(UTC)


# a year of an era: Japan's ("令和6年7月15日", 元年 its first), the Republic of China's ("民國113年")
_ERA_DATE = re.compile(r"(令和|平成|昭和|民國|民国)\s*(\d{1,3}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ERA_START = {"令和": 2018, "平成": 1988, "昭和": 1925, "民國": 1911, "民国": 1911}
_NUMERIC_DATE = re.compile(r"(?<!\d)(?:(\d{4})\s*[-/.年년]\s*(\d{1,2})\s*[-/.月월]\s*(\d{1,2})\s*[日일]?"
                           r"|(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}))(?!\d)")


@cache
def _month_names() -> dict[str, dict[str, int]]:
    """Each language's month names, lower-cased, and their numbers: CLDR's names in the
    languages ministries write their date lines in (scraper/extract/month_names.json, written by
    tools/month_names.py)."""
    table = json.loads(Path(__file__).with_name("month_names.json").read_text(encoding="utf-8"))
    return {lang: {str(name): int(n) for name, n in names.items()} for lang, names in table["months"].items()}


def _month(name: str, language: str | None) -> int | None:
    """The month ``name`` means in the page's ``language``; in another language, only when
    every language that has the name means the same month ("listopad" is November in Polish
    and October in Croatian)."""
    name = name.lower()
    table = _month_names()
    if language in table and name in table[language]:
        return table[language][name]
    meanings = {names[name] for names in table.values() if name in names}
    return meanings.pop() if len(meanings) == 1 else None


# a month's name: letters with their marks ("กุมภาพันธ์"), maybe two words ("كانون الثاني")
_NAME = rf"(?:[^\W\d_][{MARKS}]*){{3,}}\.?(?:\s(?:[^\W\d_][{MARKS}]*){{3,}})?"
# a date written with the month's name: "15 July 2024", "15. Juli 2024", "15 de julio de 2024",
# "15 июля 2024 г.", "١٥ يوليو ٢٠٢٤"; "July 15, 2024"; "2024. július 15.". Digits of any script
# (``int`` reads them all); the name is looked up in the table of month names
_WORD_DATE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\.?\s+(?:de\s+)?(?P<month>{_NAME})[,،]?\s+(?:de\s+)?(?P<year>\d{{4}})(?!\d)"
    rf"|(?<!\w)(?P<month2>{_NAME})\s+(?P<day2>\d{{1,2}}),?\s+(?P<year2>\d{{4}})(?!\d)"
    rf"|(?<!\d)(?P<year3>\d{{4}})\.?\s+(?P<month3>{_NAME})\s+(?P<day3>\d{{1,2}})(?!\d)")


_NOT_OWN = {"a", "li", "option", "script", "style", "nav", "footer", "aside", "select", "time"}
_DATE_LINE_CHARS = 80  # a date line ("发布时间：2020-01-31", "31 January 2020 | Press release")


def _date_in(text: str, language: str | None = None) -> date | None:
    """The first date written in ``text``, with digits or with the month's name (in the
    page's ``language`` where names differ)."""
    found = _NUMERIC_DATE.search(text)
    era = _ERA_DATE.search(text)
    try:
        if era and (not found or era.start() < found.start()):
            year = 1 if era.group(2) == "元" else int(era.group(2))
            return date(_ERA_START[era.group(1)] + year, int(era.group(3)), int(era.group(4)))
        if found:
            if found.group(1):
                return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
            return date(int(found.group(6)), int(found.group(5)), int(found.group(4)))
        for named in _WORD_DATE.finditer(text):
            suffix = next(s for s in ("", "2", "3") if named.group("month" + s))
            name = named.group("month" + suffix).rstrip(".")
            # two words that are not a month's name: the one next to the day may be ("Monday July")
            month = _month(name, language) or _month(name.split()[-1 if suffix == "2" else 0], language)
            if month is not None:
                year = int(named.group("year" + suffix))
                # a year past 2400 is the Buddhist era's (Thailand's "15 กรกฎาคม 2567")
                return date(year - 543 if year > 2400 else year, month, int(named.group("day" + suffix)))
    except ValueError:
        return None
    return None


def own_date(tree: lxml.html.HtmlElement, now: datetime, language: str | None = None
              ) -> tuple[date, time | None] | None:
    """The date on the page's own date line, and the time of day the line gives with it: the
    first short piece of text holding a date after the headline (the ``<h1>``, else the page's
    start), not in a link, a list item or a page's navigation. Lists of related items carry
    other, older dates. A month's name is read in the page's ``language`` where languages
    differ on it."""
    headlines = tree.xpath("//h1")
    start = headlines[0] if headlines else tree.find(".//body")
    if start is None:
        return None
    seen = 0
    started = False
    excluded = 0  # elements open around this one whose text is not the page's own
    for event, element in lxml.etree.iterwalk(tree, events=("start", "end")):
        if element.tag in _NOT_OWN:
            excluded += 1 if event == "start" else -1
        if event == "end":
            continue
        started = started or element is start
        if excluded or not started or not isinstance(element.tag, str):
            continue
        for piece in (element.text, element.tail):
            piece = (piece or "").strip()
            if not piece:
                continue
            seen += 1
            if seen > 60:
                return None
            if len(piece) <= _DATE_LINE_CHARS:
                day = _date_in(piece, language)
                if day is not None and date(1995, 1, 1) <= day <= now.date():
                    return day, _time_in(piece)
    return None


# a time of day on a date line: "14:30", "15:30:00", "3:45 p.m.", "14h30"
_CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-3])(?:[:：]|h(?=\d))([0-5]\d)(?::[0-5]\d)?(?![\d:])"
                    r"(?:\s*([ap])\.?\s?m\b\.?)?", re.IGNORECASE)


def _time_in(text: str) -> time | None:
    """The first time of day written in ``text``, on a 24-hour clock."""
    found = _CLOCK.search(text)
    if not found:
        return None
    hour, minute, half = int(found.group(1)), int(found.group(2)), (found.group(3) or "").lower()
    if half and not 1 <= hour <= 12:
        return None
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    return time(hour, minute)


def on_clock(day: date, clock: time | None, now: datetime, zone: ZoneInfo) -> datetime | None:
    """``day`` at ``clock`` (its start without one) on ``zone``'s clock, in UTC; a time past
    ``now`` gives way to the day's start."""
    if clock is not None:
        when = datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
        if when <= now:
            return when
    return day_start(day.isoformat(), now, zone)


def day_start(value: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The start of a day given without a time, on ``zone``'s clock, in UTC."""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    when = datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)
    return when if when <= now else None
