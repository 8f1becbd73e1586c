"""Article extraction: trafilatura with the project's options, plus what it leaves out.

Used by the crawl pipeline and by ``digest extract`` alike. trafilatura finds the body text and
most metadata; readability (read once per page, as trafilatura's fallback too) checks the text
and, where a trained choice says so, replaces it. Around them: a source's ``content``
selector, a precise publication time (htmldate gives only the day), the page language from the
markup, opinion detection and the canonical URL. Each concept has its module in this package;
this one follows a page through them.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from htmldate import find_date

from digest.text import text_size
from scraper.extract.blocks import split_body
from scraper.extract.body import clean_body, first_reading, keep_only, merged, read_body, without_teasers
from scraper.extract.choice import ReadingChoice, supported
from scraper.extract.dates import (
    UPDATED_META,
    day_start,
    declared_day,
    on_clock,
    own_date,
    precise_published,
    precise_time,
)
from scraper.extract.jsonld import JsonLd
from scraper.extract.metadata import (
    OPINION_SECTION,
    canonical,
    detect_language,
    is_opinion_url,
    markup_language,
    meta_tags,
    page_info,
)
from scraper.extract.options import ExtractOptions
from scraper.extract.page import MAX_PAGE_BYTES, clean, looks_binary, parse, without_ruby_readings
from scraper.extract.readability import Reading
from scraper.extract.titles import best_title, site_words, visible_headline

__all__ = ["MIN_TEXT_CHARS", "ExtractOptions", "Extraction", "extract_article"]

MIN_TEXT_CHARS = 80  # less text than this is not an article


@dataclass(frozen=True, kw_only=True)
class Extraction:
    """What a page says about itself."""

    title: str
    text: str
    published: datetime | None
    updated: datetime | None
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
    options: ExtractOptions | None = None,
    timezone: str = "UTC",
) -> Extraction | None:
    """Extract one article page.

    Args:
        html: the page, bytes (charset detected) or text.
        url: where it came from; used for relative links, the date in the URL and opinion paths.
        content_selector: a source's CSS selector for the article body; when it matches, only
            that part of the page is read for the text.
        now: the latest acceptable publication time (defaults to the current time).
        options: trafilatura's options (the measured defaults serve for news and ministries).
        timezone: the zone of the page's times that carry none (the source's: a ministry's page
            says "15:30" on its capital's clock), and of a day given without a time.

    Returns:
        An :class:`Extraction`, or None when the page holds no article text (or is empty, not
        HTML, or larger than ``MAX_PAGE_BYTES``).
    """
    now = now or datetime.now(UTC)
    options = options or ExtractOptions()
    zone = ZoneInfo(timezone)
    if not html or len(html) > MAX_PAGE_BYTES or (isinstance(html, bytes) and looks_binary(html)):
        return None
    tree = without_ruby_readings(parse(html))
    if tree is None:
        return None
    meta = meta_tags(tree)
    scripts = JsonLd.read(tree)
    published = precise_published(tree, meta, scripts, now, zone)
    updated = precise_time(meta, scripts, UPDATED_META, "dateModified", now, zone)
    language = markup_language(tree, meta)
    canonical_url = canonical(tree, url)
    section = meta.get("article:section", "")
    headline = visible_headline(tree)
    og_title = meta.get("og:title")
    title_tag = clean(tree.findtext(".//title") or "")
    info = page_info(tree, scripts)
    if published is None:
        # the day the page's metadata declares; else the page's own date line (with its time of
        # day, when it gives one), which wins over dates in lists of related items, which
        # htmldate (asked for the original date) takes when they are older
        day, clock = declared_day(meta, scripts, now), None
        if day is None and (line := own_date(tree, now, language)):
            day, clock = line
        if day is not None:
            published = on_clock(day, clock, now, zone)
        else:
            found = find_date(tree, url=url, extensive_search=options.extensive_date_search,
                              original_date=True, max_date=now.date().isoformat())
            published = day_start(found, now, zone) if found else None
    # a second reader of the same page (readability, trafilatura's port), read once: it is both
    # trafilatura's fallback and the check of its text; a content selector already says where
    # the article is
    second = None if content_selector else Reading.of(deepcopy(tree)).spread(tree)
    if content_selector:
        tree = keep_only(tree, content_selector)
    ld_headline = next(iter(scripts.values("headline", limit=1)), None)
    title = best_title(ld_headline=ld_headline, og_title=og_title, headline=headline,
                        title_tag=title_tag, guessed=clean(info.title or ""),
                        site=site_words(info.sitename, url),
                        headings=[clean(h.text_content()) for h in tree.iter("h1")])
    found = read_body(tree, url, options, second)
    blocks = split_body(tree, found)
    if blocks:  # read again from the body's blocks only; its fallbacks read them all
        continued = first_reading(keep_only(tree, blocks), url, options, fast=options.fast)
        if continued is not None and continued.text:
            found = merged(found, continued.text)
    titles = {title, headline or "", clean(info.title or "")}
    text = without_teasers(clean_body(found, titles), tree)
    if second is not None:
        text = supported(text, second, title, info.description or "")
        if options.reading == "readability" or (
                options.reading == "choose" and ReadingChoice.load().prefers(text, second.text, title)):
            text = without_teasers(clean_body(second.text, titles), tree)
    if len(text) < MIN_TEXT_CHARS and text_size(text) < MIN_TEXT_CHARS:  # (wide counts more)
        return None
    if language is None:  # the markup does not say (fmprc.gov.cn's pages): the text does
        language = detect_language(f"{title}\n{text}")
    if updated is not None and (published is None or updated <= published):
        updated = None
    categories = " ".join([section, *(info.categories or []), *scripts.values("articleSection")])
    kinds = {info.pagetype or "", *scripts.values("@type", limit=10)}
    return Extraction(
        title=title or text.split("\n", 1)[0][:200],
        text=text,
        published=published,
        updated=updated,
        author=clean(info.author or "") or None,
        language=language,
        description=info.description or None,
        sitename=info.sitename or None,
        canonical_url=canonical_url,
        is_opinion=is_opinion_url(url or canonical_url or "") or bool(OPINION_SECTION.search(categories))
        or bool(kinds & {"opinion", "OpinionNewsArticle"}),
    )
