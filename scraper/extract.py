"""Article extraction: trafilatura with the project's options, plus what it leaves out.

Used by the crawl pipeline and by ``digest extract`` alike. trafilatura finds the body text and
most metadata; this module adds a source's ``content`` selector, a precise publication time
(htmldate gives only the day), the page language from the markup, opinion detection and the
canonical URL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from urllib.parse import urljoin, urlsplit

import lxml.html
from dateutil import parser as dateparser
from trafilatura import bare_extraction
from trafilatura.settings import Document
from trafilatura.utils import load_html

__all__ = ["Extraction", "extract_article", "is_opinion_url"]

_MIN_TEXT_CHARS = 80
_OPINION_PATH = re.compile(
    r"/(opinion|opinions|commentary|comment|editorials?|op-?ed|columnists?|columns?|viewpoints?|"
    r"perspectives?|meinung|kommentar|tribune|opinion-[a-z-]+)(/|$)",
    re.IGNORECASE,
)
_OPINION_SECTION = re.compile(r"\b(opinion|commentary|editorial|op-?ed|column|meinung|kommentar)",
                              re.IGNORECASE)
_BOILERPLATE_LINE = re.compile(
    r"^(?:(?:additional |further )?(?:reporting|writing|editing|compiled|translated) by\b"
    r"|(?:photo|image|picture|video|graphic)s?(?: credit)?\s*:"
    r"|by [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}(?:,? [\w ]{0,40})?$"
    r"|read (?:more|also|next)\b|related:|see also:|share (?:this|on)\b|follow us\b"
    r"|sign up\b|subscribe\b|advertisement$|(?:©|copyright\b)|all rights reserved"
    r"|we use cookies|this (?:site|website) uses cookies)",
    re.IGNORECASE,
)
_TIME_META = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publishdate", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date",
    "parsely-pub-date",
)


@dataclass(frozen=True, kw_only=True)
class Extraction:
    """What a page says about itself."""

    title: str
    text: str
    published: datetime | None
    author: str | None
    language: str | None
    description: str | None
    sitename: str | None
    canonical_url: str | None
    is_opinion: bool


def extract_article(
    html: bytes | str,
    *,
    url: str | None = None,
    content_selector: str | None = None,
    now: datetime | None = None,
) -> Extraction | None:
    """Extract one article page.

    Args:
        html: the page, bytes (charset detected) or text.
        url: where it came from; used for relative links, the date in the URL and opinion paths.
        content_selector: a source's CSS selector for the article body; when it matches, only
            that part of the page is read for the text.
        now: the latest acceptable publication time (defaults to the current time).

    Returns:
        An :class:`Extraction`, or None when the page holds no article text.
    """
    now = now or datetime.now(UTC)
    tree = load_html(html)
    if tree is None:
        return None
    published = _precise_published(tree, now)
    language = _markup_language(tree)
    canonical = _canonical(tree, url)
    section = _meta(tree, "article:section") or ""
    if content_selector:
        tree = _keep_only(tree, content_selector)
    doc = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={
            "extensive_search": True,
            "original_date": True,
            "max_date": now.date().isoformat(),
        },
    )
    if not isinstance(doc, Document):
        return None
    title = _clean(doc.title or "")
    text = _clean_body(doc.text or "", title)
    if len(text) < _MIN_TEXT_CHARS:
        return None
    if published is None and doc.date:
        published = _day_start(doc.date, now)
    categories = " ".join([section, *(doc.categories or []), *(doc.tags or [])])
    return Extraction(
        title=title or text.split("\n", 1)[0][:200],
        text=text,
        published=published,
        author=_clean(doc.author or "") or None,
        language=(doc.language or language or None),
        description=doc.description or None,
        sitename=doc.sitename or None,
        canonical_url=canonical,
        is_opinion=is_opinion_url(url or canonical or "") or bool(_OPINION_SECTION.search(categories))
        or (doc.pagetype or "") in ("opinion", "OpinionNewsArticle"),
    )


def is_opinion_url(url: str) -> bool:
    """True when the URL's path is an opinion section's (``/opinion/…``, ``/commentary/…``)."""
    return bool(_OPINION_PATH.search(urlsplit(url).path))


def _keep_only(tree: lxml.html.HtmlElement, selector: str) -> lxml.html.HtmlElement:
    """The page with its body replaced by the elements that ``selector`` matches (if any)."""
    try:
        matches = tree.cssselect(selector)
    except Exception:  # the selector was validated with the config; a page may still trip lxml
        return tree
    body = tree.find("body")
    if not matches or body is None:
        return tree
    kept = [m for m in matches if not any(m is not o and o in m.iterancestors() for o in matches)]
    for child in list(body):
        body.remove(child)
    for element in kept:
        body.append(element)
    return tree


def _meta(tree: lxml.html.HtmlElement, key: str) -> str | None:
    for attr in ("property", "name", "itemprop"):
        for el in tree.xpath(f'//meta[@{attr}=$k]', k=key):
            value = (el.get("content") or "").strip()
            if value:
                return value
    return None


def _precise_published(tree: lxml.html.HtmlElement, now: datetime) -> datetime | None:
    """The publication time from metadata that carries a time of day, if any."""
    candidates: list[str] = []
    for key in _TIME_META:
        value = _meta(tree, key)
        if value:
            candidates.append(value)
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        candidates.extend(_jsonld_dates(script))
    candidates.extend(tree.xpath("//article//time/@datetime | //time[@pubdate]/@datetime"))
    for value in candidates:
        when = _parse_time(value)
        if when is not None and when <= now:
            return when
    return None


def _jsonld_dates(script: str) -> list[str]:
    try:
        data = json.loads(script)
    except (ValueError, RecursionError):
        return []
    found: list[str] = []
    stack = [data]
    while stack and len(found) < 5:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("datePublished"), str):
                found.append(node["datePublished"])
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _parse_time(value: str) -> datetime | None:
    value = value.strip()
    if len(value) < 10 or not value[:4].isdigit():
        return None
    try:
        when = dateparser.isoparse(value)
    except (ValueError, OverflowError):
        return None
    if len(value) <= 10:  # a bare date is no better than htmldate's
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _day_start(value: str, now: datetime) -> datetime | None:
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    when = datetime.combine(day, time(0, 0), tzinfo=UTC)
    return when if when <= now else None


def _markup_language(tree: lxml.html.HtmlElement) -> str | None:
    lang = tree.get("lang") or tree.get("xml:lang") or _meta(tree, "og:locale") or ""
    for el in tree.xpath('//meta[@http-equiv="content-language" or @http-equiv="Content-Language"]'):
        lang = lang or el.get("content") or ""
    lang = lang.strip().replace("_", "-").split("-")[0].lower()
    return lang if re.fullmatch(r"[a-z]{2,3}", lang) else None


def _canonical(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        href = href.strip()
        if not href:
            continue
        absolute = urljoin(url or "", href)
        if url is None or urlsplit(absolute).hostname == urlsplit(url).hostname:
            return absolute
    return None


def _clean(value: str) -> str:
    return " ".join(value.split())


def _clean_body(text: str, title: str) -> str:
    """The body without the headline (trafilatura keeps it as the first line; the title is
    stored apart) and without short boilerplate lines it let through: credits, bylines,
    share, cookie and read-more lines."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    if lines and title and _clean(lines[0]).lower() == title.lower():
        lines = lines[1:]
    return "\n".join(
        line for line in lines if len(line.split()) > 25 or not _BOILERPLATE_LINE.match(line)
    )
