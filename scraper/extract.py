"""Article extraction: trafilatura with the project's options, plus what it leaves out.

Used by the crawl pipeline and by ``digest extract`` alike. trafilatura finds the body text and
most metadata; readability (read once per page, as trafilatura's fallback too) checks the text
and, where a trained choice says so, replaces it. This module adds a source's ``content``
selector, a precise publication time (htmldate gives only the day), the page language from the
markup, opinion detection and the canonical URL.
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterator
from contextvars import ContextVar
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from html import unescape as html_unescape
from itertools import islice
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html
import trafilatura.external
from dateutil import parser as dateparser
from htmldate import find_date
from trafilatura import bare_extraction
from trafilatura.json_metadata import (
    HTML_STRIP_TAGS,
    extract_json,
    extract_json_parse_error,
    normalize_authors,
    normalize_json,
)
from trafilatura.metadata import JSON_MINIFY, examine_meta, extract_sitename, extract_title
from trafilatura.settings import Document
from trafilatura.utils import decode_file, is_dubious_html, repair_faulty_html, trim

from scraper.urls import is_web_url, site_of

__all__ = ["ExtractOptions", "Extraction", "ReadingChoice", "detect_language", "extract_article",
           "is_opinion_url", "not_a_page", "readability_text"]

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 80  # less text than this is not an article
MAX_PAGE_BYTES = 10 * 1024 * 1024  # larger pages are not articles worth parsing
_OPINION_PATH = re.compile(
    r"/(opinion|opinions|commentary|comment|editorials?|op-?ed|columnists?|columns?|viewpoints?|"
    r"perspectives?|meinung|kommentar|tribune|opinion-[a-z-]+)(/|$)",
    re.IGNORECASE,
)
_OPINION_SECTION = re.compile(r"\b(opinion|commentary|editorial|op-?ed|column|meinung|kommentar)",
                              re.IGNORECASE)
_BOILERPLATE_CHARS = 300
_BOILERPLATE_LINE = re.compile(
    r"^(?:(?:additional |further )?(?:reporting|writing|editing|compiled|translated) by\b"
    r"|(?:photo|image|picture|video|graphic)s?(?: credit)?\s*:"
    r"|by [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}(?:,? [\w ]{0,40})?$"
    r"|read (?:more|also|next)\b|related:|see also\b|see more:$|don'?t miss\b"
    r"|share (?:this|on)\b|follow us\b|sign up\b|subscribe\b|advertisement$"
    r"|(?:©|copyright\b)|all rights reserved|we use cookies|this (?:site|website) uses cookies"
    r"|thanks? (?:you )?for (?:signing up|subscribing)|keep an eye on your inbox|sorry!?$"
    r"|[-–•]?\s*(?:order reprints|print article|print this)|this copy is for your personal"
    r"|write to .{2,60} at \S+@\S+$|an error has occurred|updated(?: at| on)? \d"
    r"|[\w' ]{0,30}newsletter$"
    r"|.*\[(?:insight|video|pictures?|reaction|revealed|poll|latest|analysis|comment|news|warning)\]\W*$"
    r"|like this story\b|also on \S+\.\w+\b|see more:|\[related:|related posts?:|more:$|comments?$"
    r"|thank you$|this article has been sent|there was an error processing|tell us what you think"
    r"|follow [\w' ]{1,30} on (?:twitter|facebook|instagram|x|youtube)\b|listen to [\w' ]{1,30} live\b"
    r"|.{0,200}\bcontributed to this (?:report|story)\.?$|reach the (?:reporter|writer|author)s? (?:at|on)\b"
    r"|source: [\w ]{1,30}$|\S+@\S+\.\w+$|(?:https?://)?(?:www\.)?twitter\.com/\S+$"
    r"|\[\w+ [^\]]*\].*\[/\w+\]$)",
    re.IGNORECASE,
)
_UPDATED_META = ("article:modified_time", "og:updated_time", "dateModified", "last-modified",
                 "dcterms.modified")
_TIME_META = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publishdate", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date",
    "parsely-pub-date",
)


@dataclass(frozen=True, kw_only=True)
class ExtractOptions:
    """trafilatura's knobs, chosen by measurement (bench/extraction.py)."""

    favor_precision: bool = False
    favor_recall: bool = False
    fast: bool = False  # trafilatura without its fallback extractors (readability, jusText)
    extensive_date_search: bool = True  # off loses dates on ministry pages that state them only in text
    # whose reading of the body to keep: "choose" takes readability's instead of trafilatura's
    # where the trained choice says the page's signals favour it (scraper/reading_choice.json,
    # bench/train_reading_choice.py); "trafilatura" or "readability" always takes that one
    reading: Literal["choose", "trafilatura", "readability"] = "choose"


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
    options: ExtractOptions = ExtractOptions(),
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
    zone = ZoneInfo(timezone)
    if not html or len(html) > MAX_PAGE_BYTES or (isinstance(html, bytes) and _looks_binary(html)):
        return None
    tree = _without_ruby_readings(_parse(html))
    if tree is None:
        return None
    meta = _metadata(tree)
    scripts = _JsonLd.read(tree)
    published = _precise_published(tree, meta, scripts, now, zone)
    updated = _precise_time(meta, scripts, _UPDATED_META, "dateModified", now, zone)
    language = _markup_language(tree, meta)
    canonical = _canonical(tree, url)
    section = meta.get("article:section", "")
    headline = _visible_headline(tree)
    og_title = meta.get("og:title")
    title_tag = _clean(tree.findtext(".//title") or "")
    info = _page_info(tree, scripts)
    if published is None:
        # the day the page's metadata declares; else the page's own date line (with its time of
        # day, when it gives one), which wins over dates in lists of related items, which
        # htmldate (asked for the original date) takes when they are older
        day, clock = _declared_day(meta, scripts, now), None
        if day is None and (line := _own_date(tree, now, language)):
            day, clock = line
        if day is not None:
            published = _on_clock(day, clock, now, zone)
        else:
            found = find_date(tree, url=url, extensive_search=options.extensive_date_search,
                              original_date=True, max_date=now.date().isoformat())
            published = _day_start(found, now, zone) if found else None
    # a second reader of the same page (readability, trafilatura's port), read once: it is both
    # trafilatura's fallback and the check of its text; a content selector already says where
    # the article is
    second = None if content_selector else _Reading.of(deepcopy(tree)).spread(tree)
    if content_selector:
        tree = _keep_only(tree, content_selector)
    ld_headline = next(iter(scripts.values("headline", limit=1)), None)
    title = _best_title(ld_headline=ld_headline, og_title=og_title, headline=headline,
                        title_tag=title_tag, guessed=_clean(info.title or ""),
                        site=_site_words(info.sitename, url),
                        headings=[_clean(h.text_content()) for h in tree.iter("h1")])
    found = _read_body(tree, url, options, second)
    blocks = _split_body(tree, found)
    if blocks:  # read again from the body's blocks only; its fallbacks read them all
        continued = _first_reading(_keep_only(tree, blocks), url, options, fast=options.fast)
        if continued is not None and continued.text:
            found = _merged(found, continued.text)
    titles = {title, headline or "", _clean(info.title or "")}
    text = _without_teasers(_clean_body(found, titles), tree)
    if second is not None:
        text = _supported(text, second, title, info.description or "")
        if options.reading == "readability" or (
                options.reading == "choose" and ReadingChoice.load().prefers(text, second.text, title)):
            text = _without_teasers(_clean_body(second.text, titles), tree)
    if len(text) < MIN_TEXT_CHARS and _text_size(text) < MIN_TEXT_CHARS:  # (wide counts more)
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
        author=_clean(info.author or "") or None,
        language=language,
        description=info.description or None,
        sitename=info.sitename or None,
        canonical_url=canonical,
        is_opinion=is_opinion_url(url or canonical or "") or bool(_OPINION_SECTION.search(categories))
        or bool(kinds & {"opinion", "OpinionNewsArticle"}),
    )


def _read_body(tree: lxml.html.HtmlElement, url: str | None, options: ExtractOptions,
               second: _Reading | None) -> str:
    """The article's text as trafilatura reads it, with its fallbacks; readability, the first of
    them, is given the page's reading already made (``second``)."""
    token = _SHARED_READING.set(second)
    try:
        doc = _first_reading(tree, url, options, fast=options.fast)
    finally:
        _SHARED_READING.reset(token)
    return doc.text or "" if doc else ""


def _first_reading(tree: lxml.html.HtmlElement, url: str | None, options: ExtractOptions, *,
                   fast: bool) -> Document | None:
    """trafilatura's reading of the page's text (its metadata is read apart)."""
    doc = bare_extraction(
        tree,
        url=url,
        with_metadata=False,  # read apart, with the date search only where metadata has no time
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        fast=fast,
        include_comments=False,
        include_tables=True,
    )
    return doc if isinstance(doc, Document) else None


def readability_text(html: bytes | str) -> str:
    """The text readability (trafilatura's port) reads from a page, as ``extract_article`` has
    it read: a line per block. For training the reading choice."""
    tree = _without_ruby_readings(_parse(html))
    return _Reading.of(tree).text if tree is not None else ""


# trafilatura's parser (``trafilatura.utils.HTML_PARSER``), with each element's class found in C:
# lxml.html's parser asks Python for the class of every element the code touches (to give form
# fields classes of their own, which nothing here uses), about 4% of a page's time
_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                               remove_comments=True, remove_pis=True)
_PARSER.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


def _parse(html: bytes | str) -> lxml.html.HtmlElement | None:
    """The page's tree, as trafilatura's ``load_html`` makes it (the encoding guessed, faults
    libxml2 trips on repaired), with ``_PARSER``; None when it is not HTML."""
    text = decode_file(html)
    beginning = text[:50].lower()
    text = repair_faulty_html(text, beginning)
    tree = None
    try:
        tree = lxml.html.fromstring(text, parser=_PARSER)
    except ValueError:  # a string that declares its encoding: parsed as bytes below
        pass
    except lxml.etree.ParserError as e:
        log.debug("page not parsed: %s", e)
    if tree is None or len(tree) < 1:
        try:
            tree = lxml.html.fromstring(text.encode("utf8", "surrogatepass"), parser=_PARSER)
        except (ValueError, lxml.etree.ParserError) as e:
            log.debug("page not parsed: %s", e)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None  # not a page (trafilatura's check)
    return tree


def _without_ruby_readings(tree: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    """The page as a browser without ruby shows it: the readings printed over Japanese
    characters (子<rt>こ</rt>ども) would run into the text and go, unless the page gives them in
    brackets for such a browser (<rp>（</rp>)."""
    if tree is not None:
        for annotation in tree.xpath("//ruby[not(rp)]/rt"):
            annotation.drop_tree()
    return tree


def _supported(text: str, other: _Reading, title: str = "", description: str = "") -> str:
    """The lines of ``text`` that a second, independent reader of the page (readability, as
    trafilatura ships it: the densest block of text and its siblings, on a copy of the parsed
    page, at a tenth of a second reading's cost) also takes for the article: most of a line's
    words (``SUPPORT``) are in its text. Two readers agreeing is the page's own evidence;
    what only one of them takes is most often a list of links, a teaser or a caption. Only
    when the second reader found a good part of what the first did (``MINIMUM`` of its
    words) and the page's headline is in its text: otherwise it is the one that failed, or
    took another block, and the text is kept whole. A paragraph of prose before a line it took
    is kept as well (an article set in several blocks, an introduction above the body). When
    agreeing would drop most of it, the text is kept whole too, unless what the second reader
    does not take is mostly lines of a few words (a page read whole, menus and all, around a
    short article): then the second reader's text is the article.
    Chosen on the tune halves of CleanEval, Dragnet and L3S-GN1, checked on those of every set
    (bench/extraction.py)."""
    found = other.words
    words = _support_words(text)
    if not words or not other.holds(title):
        return text  # the second reader's text is not about the page's headline: another block
    lines = [line for line in text.split("\n") if line.strip()]
    # a line of a few words (a list item, a subheading) is too short to judge alone: it goes
    # with the nearest longer line before it (or after it, at the top)
    # the page's own summary of the article (its description) is the article's, wherever it sits
    summary = Counter(w.lower() for w in _support_words(description))
    verdicts: list[bool | None] = []
    for line in lines:
        line_words = _support_words(line)
        if _word_count(line) < _JUDGED_WORDS:
            verdicts.append(None)
        elif summary and sum(1 for w in line_words if summary[w.lower()]) >= _SUPPORT * len(line_words):
            verdicts.append(True)
        else:
            verdicts.append(sum(1 for w in line_words if found[w.lower()]) >= _SUPPORT * len(line_words))
    last = next((v for v in verdicts if v is not None), True)
    keep: list[bool] = []
    for verdict in verdicts:
        last = last if verdict is None else verdict
        keep.append(last)
    unsupported = [line for line, k in zip(lines, keep, strict=True) if not k]
    # a paragraph of prose the second reader left before a line it took is the article's too
    # (readability reads one block, and a page may set its article, or its introduction, in
    # several); after the last line it took, it is as often what follows the article
    for start, end in _runs(keep, False):
        if end < len(lines) and any(map(_is_prose, lines[start:end])):
            keep[start:end] = [True] * (end - start)
    kept = [line for line, k in zip(lines, keep, strict=True) if k]
    if (sum(found.values()) >= _MINIMUM * len(words)
            and sum(map(_word_count, kept)) >= (1 - _MOST_DROPPED) * _word_count(text)):
        return "\n".join(kept)
    # the two readers took different parts of the page for the article. The second's, when it
    # holds the headline and what the first read besides is mostly lines of a few words (the
    # menus and link lists of a page read whole around a short article); else the first's
    short = sum(n for n in map(_word_count, unsupported) if n < _JUDGED_WORDS)
    if (_support_words(title) and len(other.text) >= _MIN_EXTRACTED
            and short >= _SHORT_SHARE * sum(map(_word_count, unsupported))):
        return other.text
    return text


def _runs(flags: list[bool], value: bool) -> Iterator[tuple[int, int]]:
    """The (start, end) of each run of ``value`` in ``flags``."""
    start = None
    for i, flag in enumerate([*flags, not value]):
        if flag == value and start is None:
            start = i
        elif flag != value and start is not None:
            yield start, i
            start = None


def _is_prose(line: str) -> bool:
    """Whether ``line`` reads as a paragraph of prose: long, and ending as a sentence does."""
    return _word_count(line) >= _PROSE_WORDS and bool(_SENTENCE_END.search(line))


def _holds(words: Counter[str], title: str) -> bool:
    """Whether half of a headline's words are among ``words`` (or there is no headline)."""
    headline = [w.lower() for w in _support_words(title)]
    return sum(1 for w in headline if words[w]) >= 0.5 * len(headline)


class _Reading:
    """readability's reading of a page (trafilatura's port of readability-lxml): the element it
    takes for the article, its text (a line per block) and that text's words."""

    _BREAKS = frozenset({"address", "article", "blockquote", "br", "dd", "div", "dl", "dt",
                         "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
                         "pre", "section", "table", "td", "th", "tr", "ul"})

    def __init__(self, body: lxml.html.HtmlElement) -> None:
        self.body = body
        self.text = "\n".join(self._lines(body))
        self.words = Counter(w.lower() for w in _support_words(self.text))

    @classmethod
    def of(cls, tree: lxml.html.HtmlElement) -> _Reading:
        from trafilatura.htmlprocessing import prune_unwanted_nodes
        from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

        # the page as trafilatura gives it to readability: without the elements it never
        # reads (hidden parts, appended articles) nor comments
        tree = prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)
        return cls(_READABILITY(prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)))

    @classmethod
    def _lines(cls, body: lxml.html.HtmlElement) -> Iterator[str]:
        """All the text, a line per block (text outside any paragraph too: pages set in
        ``<pre>`` or bare ``<div>`` text), a list item on one line after "- " as trafilatura
        writes them."""
        parts: list[str] = []
        in_item = 0  # list items open around the element
        for event, el in lxml.etree.iterwalk(body, events=("start", "end")):
            if not isinstance(el.tag, str):
                continue
            if el.tag == "li":
                in_item += 1 if event == "start" else -1
                parts.append("\n- " if event == "start" and in_item == 1 else " ")
            elif el.tag in cls._BREAKS:
                parts.append(" " if in_item else "\n")
            if event == "start":
                parts.append(el.text or "")
            else:
                if el.tag == "li" and not in_item:
                    parts.append("\n")
                parts.append(el.tail or "")
        for line in "".join(parts).split("\n"):
            if (line := _clean(line)) and line != "-":
                yield line

    def holds(self, title: str) -> bool:
        return _holds(self.words, title)

    def spread(self, tree: lxml.html.HtmlElement) -> _Reading:
        """This reading, its words widened to the blocks of the page (``tree``) of the same
        kind as the one it ends in when the page splits its article into several (readability
        takes one block and its siblings; a page may put each part of the article in a block
        of its own, with advertisements between them)."""
        for block in _split_body(tree, self.text):
            self.words.update(w.lower() for w in _support_words(block.text_content()))
        return self


class ReadingChoice:
    """Which of the page's two readings to keep: trafilatura's (checked against readability's)
    or readability's own. A small gradient-boosted ensemble of depth-2 trees over what the two
    texts say of each other (their lengths, how much of each the other holds, word by word and
    line by line, whether each holds the headline, their share of short lines and of lines that
    end as sentences do, their line lengths and counts), trained on the tune halves of
    CleanEval, Dragnet, L3S-GN1, the Zyte benchmark and fundus by ``bench/train_reading_choice.py``
    and shipped as ``scraper/reading_choice.json``. Nothing about a site or a language."""

    NAMES = ("length_ratio", "first_in_second", "second_in_first", "headline_in_second",
             "headline_in_first", "short_lines_first", "short_lines_second", "line_length_first",
             "line_length_second", "second_too_short", "length_first", "length_second",
             "ended_lines_first", "ended_lines_second", "lines_first_in_second",
             "lines_second_in_first", "lines_first", "lines_second")

    def __init__(self, data: dict[str, Any]) -> None:
        if tuple(data["features"]) != self.NAMES:
            raise ValueError("reading_choice.json is for other features")
        self.base = float(data["base"])
        self.rate = float(data["rate"])
        self.trees = data["trees"]
        self.threshold = float(data["threshold"])

    @classmethod
    @cache
    def load(cls) -> ReadingChoice:
        path = Path(__file__).with_name("reading_choice.json")
        return cls(json.loads(path.read_text(encoding="utf-8")))

    @staticmethod
    def features(first: str, second: str, title: str) -> list[float]:
        def words(text: str) -> Counter[str]:
            return Counter(w.lower() for w in _support_words(text))

        def within(a: Counter[str], b: Counter[str]) -> float:
            return sum(min(n, b[w]) for w, n in a.items()) / (sum(a.values()) or 1)

        def short_share(text: str) -> float:
            counts = [_word_count(line) for line in text.split("\n") if line.strip()]
            return sum(n for n in counts if n < _JUDGED_WORDS) / (sum(counts) or 1)

        def line_length(text: str) -> float:
            counts = [_word_count(line) for line in text.split("\n") if line.strip()]
            return math.log1p(sum(counts) / len(counts)) if counts else 0.0

        def ended(lines: list[str]) -> float:  # lines that end as a sentence does: prose
            return sum(1 for line in lines if _SENTENCE_END.search(line)) / (len(lines) or 1)

        a, b = words(first), words(second)
        headline = [w.lower() for w in _support_words(title)]
        lines_a = [line for line in first.split("\n") if line.strip()]
        lines_b = [line for line in second.split("\n") if line.strip()]
        shared = len(set(lines_a) & set(lines_b))

        def holds(found: Counter[str]) -> float:
            return sum(1 for w in headline if found[w]) / len(headline) if headline else 0.5

        return [math.log((len(second) + 50) / (len(first) + 50)), within(a, b), within(b, a),
                holds(b), holds(a), short_share(first), short_share(second), line_length(first),
                line_length(second), float(len(second) < _MIN_EXTRACTED), math.log1p(len(first)),
                math.log1p(len(second)), ended(lines_a), ended(lines_b),
                shared / (len(set(lines_a)) or 1), shared / (len(set(lines_b)) or 1),
                math.log1p(len(lines_a)), math.log1p(len(lines_b))]

    def probability(self, features: list[float]) -> float:
        """The chance that readability's text is the better one (trees: nested
        ``[feature, threshold, left, right]`` lists, a leaf a number)."""
        score = self.base
        for tree in self.trees:
            node = tree
            while isinstance(node, list):
                node = node[2] if features[node[0]] <= node[1] else node[3]
            score += self.rate * node
        return 1.0 / (1.0 + math.exp(-score))

    def prefers(self, first: str, second: str, title: str) -> bool:
        """Whether readability's text (``second``) should replace ``first``."""
        return bool(second) and self.probability(self.features(first, second, title)) > self.threshold


_MIN_EXTRACTED = 250  # trafilatura's MIN_EXTRACTED_SIZE
_SENTENCE_END = re.compile(r"[.!?。！？\"”']\s*$")
_READABILITY = trafilatura.external.try_readability  # its port of readability; empty on failure
_SHARED_READING: ContextVar[_Reading | None] = ContextVar("_SHARED_READING", default=None)


def _share_readings() -> None:
    """Have trafilatura's readability fallback (``try_readability``, which it runs on every
    page, once more on a page it reads again for recall) take the reading ``extract_article``
    has already made of the page: one readability run per page instead of two or three.
    Outside ``extract_article`` (no shared reading) trafilatura runs its own."""

    def try_readability(htmlinput: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
        shared = _SHARED_READING.get()
        if shared is None:
            return _READABILITY(htmlinput)
        # a copy: trafilatura cleans the reading it takes in place
        return deepcopy(shared.body)

    trafilatura.external.try_readability = try_readability


_share_readings()
# what says something: a word of four letters or more (not "the", "of", "a"), and in the scripts
# written without spaces between words each pair of characters in a run of them: Chinese and
# Japanese, and Thai, Lao, Burmese and Khmer (whose vowel signs and tone marks are not letters
# to a regular expression, so their words would break up)
_WIDE = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
_SYLLABIC = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
# the vowel signs and marks of other scripts (Hindi's matras and viramas, Arabic's shadda and
# vowels) are not letters to a regular expression either: a word goes on through them
_MARKS = "".join(re.escape(chr(c)) for c in range(0x300, 0x2000) if unicodedata.category(chr(c))[0] == "M")
_MARK = re.compile(f"[{_MARKS}]")
_SUPPORT_WORD = re.compile(rf"[{_WIDE}{_SYLLABIC}]{{2}}|[^\W{_WIDE}{_SYLLABIC}]{{4,}}")
_SUPPORT_WORD_MARKED = re.compile(rf"[{_WIDE}{_SYLLABIC}]{{2}}|(?:[^\W{_WIDE}{_SYLLABIC}][{_MARKS}]*){{4,}}")
_UNSPACED_CHAR = re.compile(f"[{_WIDE}{_SYLLABIC}]")


def _support_words(text: str) -> list[str]:
    """The words of ``text`` that say something (see above); a text without marks is read the
    quicker way."""
    return (_SUPPORT_WORD_MARKED if _MARK.search(text) else _SUPPORT_WORD).findall(text)


def _word_count(text: str) -> int:
    """Words in ``text``; in a run of characters written without spaces, a word per two
    Chinese or Japanese characters, per four of the Thai, Lao, Burmese or Khmer ones (a
    word's letters with its vowel signs and tone marks)."""
    unspaced = _UNSPACED_CHAR.findall(text)
    if not unspaced:
        return len(text.split())
    syllabic = sum(1 for ch in unspaced if ch < "\u3000")  # the Thai to Khmer blocks come first
    return len(text.split()) + (len(unspaced) - syllabic) // 2 + syllabic // 4


_SUPPORT, _MINIMUM, _JUDGED_WORDS, _MOST_DROPPED, _SHORT_SHARE = 0.5, 0.3, 6, 0.7, 0.5
_PROSE_WORDS = 15

_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32)])


def _looks_binary(body: bytes) -> bool:
    """Whether a body served as HTML is binary (an image, an archive, random bytes): more than
    1% of its first 4 KB are control bytes that text never holds. UTF-16 and UTF-32 pages, whose
    characters hold zero bytes, are recognised by their byte-order mark."""
    head = body[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) // 100


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "an image (PNG)"), (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF87a", "an image (GIF)"), (b"GIF89a", "an image (GIF)"), (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"), (b"\x1f\x8b", "gzip data"),
)
_XML_ROOT = re.compile(rb"<(rss|feed|urlset|sitemapindex|rdf:RDF)\b")
_TAG = re.compile(rb"<[A-Za-z!/?]")


def not_a_page(raw: bytes) -> str | None:
    """What ``raw`` is when it is not an HTML page ("JSON", "an image (PNG)", "plain text"),
    or None when it may be one. For ``digest extract``: a file that is not a page is bad
    input, said as such, not an article nobody can find."""
    head = raw[:65536].lstrip(b"\xef\xbb\xbf")
    if not head.strip():
        return "an empty file"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[4:12] in (b"ftypavif", b"ftypheic") or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return "an image"
    if _looks_binary(raw):
        return "binary data"
    stripped = head.lstrip()
    if stripped[:1] in (b"{", b"["):
        try:
            json.loads(raw)
        except ValueError:
            pass
        else:
            return "JSON (a JSON feed or API answer?)"
    found = _XML_ROOT.match(_prolog_skipped(head))
    if found:
        kind = found.group(1).decode()
        return f"XML ({'a feed' if kind in ('rss', 'feed', 'rdf:RDF') else 'a sitemap'}), not HTML"
    if not _TAG.search(head):
        return "plain text, without HTML markup"
    return None


def _prolog_skipped(head: bytes) -> bytes:
    """``head`` from its first element on: past an XML declaration, comments and a doctype."""
    rest = head.lstrip()
    for _ in range(50):
        if rest.startswith(b"<?"):
            end, skip = rest.find(b"?>"), 2
        elif rest.startswith(b"<!--"):
            end, skip = rest.find(b"-->"), 3
        elif rest[:9].upper() == b"<!DOCTYPE":
            end, skip = rest.find(b">"), 1
        else:
            return rest
        if end < 0:
            return b""
        rest = rest[end + skip:].lstrip()
    return rest


def is_opinion_url(url: str) -> bool:
    """True when the URL's path is an opinion section's (``/opinion/…``, ``/commentary/…``)."""
    return bool(_OPINION_PATH.search(urlsplit(url).path))


# Lists of three or more teasers, each item a linked headline: other stories, under or beside
# the article, that trafilatura can take for a list in it.
_LIST_RUN = re.compile(r"^- .*\n- .*\n- ", re.MULTILINE)
_TEASER_LISTS = lxml.etree.XPath(
    "//*[self::ul or self::ol][li[3]]"
    "[not(li[not(.//*[self::h2 or self::h3 or self::h4][.//a or ancestor::a])])]")


def _without_teasers(text: str, tree: lxml.html.HtmlElement) -> str:
    """``text`` without the list items that come from a list of teasers in the page (looked for
    only when the text has three list items in a row: most pages have none)."""
    if not _LIST_RUN.search(text):
        return text
    lines = text.split("\n")
    # compared without spaces: a headline and its dek may have none between them in the markup
    teasers = {"".join(item.text_content().split())
               for found in _TEASER_LISTS(tree) for item in found.iterchildren("li")}
    if not teasers:
        return text
    return "\n".join(line for line in lines
                     if not (line.startswith("- ") and "".join(line[2:].split()) in teasers))


def _keep_only(tree: lxml.html.HtmlElement, selector: str | list[lxml.html.HtmlElement]
               ) -> lxml.html.HtmlElement:
    """The page with its body replaced by the elements that ``selector`` matches (if any), or
    by the elements given."""
    if isinstance(selector, list):
        matches = selector
    else:
        try:
            matches = tree.cssselect(selector)
        except Exception:  # the selector was validated with the config; a page may still trip lxml
            return tree
    body = tree.find("body")
    if not matches or body is None:
        return tree
    members = set(matches)
    kept = [m for m in matches if not any(a in members for a in m.iterancestors())]
    for child in list(body):
        body.remove(child)
    body.extend(kept)
    return tree


def _merged(text: str, fuller: str) -> str:
    """``text`` with the lines of ``fuller`` that it lacks, each after the line that precedes
    it in ``fuller``."""
    lines = text.split("\n")
    have = set(lines)
    at = 0
    for line in fuller.split("\n"):
        if line in have:
            at = lines.index(line) + 1
        else:
            lines.insert(at, line)
            have.add(line)
            at += 1
    return "\n".join(lines)


_BODY_BLOCK_TAGS = {"div", "section", "article"}
_NOT_BODY_CLASS = re.compile(r"cookie|consent|dsgvo|gdpr|privacy|newsletter|comment|footer|sidebar|"
                             r"related|teaser|promo|banner|modal", re.IGNORECASE)


def _split_body(tree: lxml.html.HtmlElement, text: str) -> list[lxml.html.HtmlElement]:
    """The blocks of an article body that the page splits into several of one kind (with
    advertisements or newsletter boxes between them) when ``text``, trafilatura's reading, holds
    only some of them; else []. The block is the one around the text's last paragraph (or up to
    two levels above it); the others are the page's elements of the same tag and class that hold
    at least two paragraphs the text does not."""
    paragraphs = [line for line in text.split("\n") if len(line) >= 40]
    if not paragraphs:
        return []
    last = paragraphs[-1][:40]
    ends = tree.xpath("//p[starts-with(normalize-space(.), $last)]", last=last)
    if not ends:
        return []
    end = ends[0]
    around = [b for b in islice(end.iterancestors(), 3) if b.tag in _BODY_BLOCK_TAGS and b.get("class")]
    if not around:
        return []
    alike: list[lxml.html.HtmlElement] = []
    for tag in {b.tag for b in around}:  # one walk over the page per tag, not per block
        kinds = {f"k{i}": b.get("class") for i, b in enumerate(around) if b.tag == tag}
        alike += tree.xpath(f"//{tag}[" + " or ".join(f"@class=${k}" for k in kinds) + "]", **kinds)
    for block in around:
        kind = block.get("class")
        same = [b for b in alike if b.tag == block.tag and b.get("class") == kind]
        if len(same) < 2:
            continue
        if _NOT_BODY_CLASS.search(kind):
            return []  # the text ends in, say, a cookie notice: its like is not the body
        members = set(same)
        same = [b for b in same if not any(a in members for a in b.iterancestors())]
        read = set(text.split("\n"))
        kept, more = [], False
        for other in same:
            lines = [_clean(p.text_content()) for p in other.iter("p")]
            if other is block or any(line in read for line in lines):
                kept.append(other)
            elif sum(1 for line in lines if len(line) >= 40) >= 2:
                kept.append(other)  # a block of the body's that trafilatura left: two paragraphs
                more = True         # or more (a teaser sharing the class has one)
        return kept if more else []
    return []


def _page_info(tree: lxml.html.HtmlElement, scripts: _JsonLd) -> Document:
    """trafilatura's metadata readers (meta tags, JSON-LD, author heuristics, site name),
    without its date search, which ``extract_article`` runs only when needed, and without its
    category and tag links (a tenth of the time per page; the section in the metadata and
    JSON-LD is what tells an opinion piece)."""
    info = examine_meta(tree)
    if info.author and " " not in info.author:
        info.author = None  # a single word is a handle or a site, not a person
    info = scripts.metadata(info)
    info.title = info.title or extract_title(tree)
    info.author = info.author or _byline_author(tree)
    info.sitename = (info.sitename or extract_sitename(tree) or "").lstrip("@") or None
    return info


# trafilatura's author search (``extract_author``: AUTHOR_XPATHS and AUTHOR_DISCARD_XPATHS in
# trafilatura/xpaths.py, 2.x) as one walk over the page: its five XPaths, each over every element
# of the page and the first three with regular expressions that lxml runs in Python, took 16 ms
# of a page's 70-90 ms on trafilatura's evaluation pages.
_BYLINE_TAGS = ({"a", "address", "div", "link", "p", "span", "strong"},
                {"a", "div", "h3", "h4", "p", "span"})
_BYLINE_CLASS = (re.compile("author-?name|AuthorName|authorName"),
                 re.compile("author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|"
                            "journalist-name"),
                 re.compile("[Aa]uthor|screenname|writer|[Bb]yline"))
_BYLINE_ID = (re.compile("author|zuozhe|bianji|xiaobian"), re.compile("[Aa]uthor"))
_BYLINE_EXACT_CLASS = {"byline", "username", "byl", "BBL"}
_PRUNED_TAGS = {"a", "div", "section", "span"}
_PRUNED_EXACT = {"comments", "title", "date"}
_PRUNED_ID = re.compile("^comments|comment-?list|ProductReviews")
_PRUNED_CLASS = re.compile("^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|"
                           "embedly-instagram|article-(?:share|support)|print|category|meta-date|"
                           "meta-reviewer")


def _byline_author(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's ``extract_author``: the first element of its first, else second, else third
    kind of byline with a plausible text, leaving out dates, figures, comments and the like.
    Same authors as trafilatura's on the saved pages of ../shared/data, in one walk."""
    found: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    pruned: set[Any] = set()
    for el in tree.iter(lxml.etree.Element):
        tag, get = el.tag, el.get
        cls, id_ = get("class") or "", get("id") or ""
        component = get("data-component") or ""
        if (tag in ("time", "figure") or ("Figure" in component and tag in _PRUNED_TAGS)
                or (tag in _PRUNED_TAGS and (id_ == "comments" or cls in _PRUNED_EXACT
                                            or (id_ and _PRUNED_ID.search(id_))
                                            or (cls and _PRUNED_CLASS.search(cls))))):
            pruned.add(el)
            continue
        itemprop = get("itemprop") or ""
        if tag == "author" or (tag in _BYLINE_TAGS[0] and (
                get("rel") == "author" or id_ == "author" or cls == "author"
                or itemprop == "author name" or get("data-testid") in ("AuthorCard", "AuthorURL")
                or (cls and _BYLINE_CLASS[0].search(cls)))):
            found[0].append(el)
        elif tag in _BYLINE_TAGS[1] and (
                cls in _BYLINE_EXACT_CLASS or "author" in itemprop
                or (id_ and _BYLINE_ID[0].search(id_)) or (cls and _BYLINE_CLASS[1].search(cls))):
            found[1].append(el)
        elif ("Byline" in component or "author" in itemprop or (id_ and _BYLINE_ID[1].search(id_))
              or (cls and _BYLINE_CLASS[2].search(cls))):
            found[2].append(el)
    for elements in found:
        for el in elements:
            if any(a in pruned for a in el.iterancestors()):
                continue
            content = trim(" ".join(_texts_outside(el, pruned)))
            if content and 2 < len(content) < 120:
                return normalize_authors(None, content)
    return None


def _texts_outside(el: lxml.html.HtmlElement, skipped: set[Any]) -> Iterator[str]:
    """``el.itertext()`` as if the elements in ``skipped`` were deleted, keeping their tails."""
    if isinstance(el.tag, str) and el.text:
        yield el.text
    for child in el:
        if child not in skipped:
            yield from _texts_outside(child, skipped)
        if child.tail:
            yield child.tail


def _metadata(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """The page's <meta> values by property, name or itemprop (first one wins), read in one
    pass over the tree."""
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        value = (el.get("content") or "").strip()
        if not value:
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if key:
                found.setdefault(key.strip(), value)
    return found


def _precise_published(tree: lxml.html.HtmlElement, meta: dict[str, str], scripts: _JsonLd,
                        now: datetime, zone: ZoneInfo) -> datetime | None:
    """The publication time from metadata that carries a time of day, if any."""
    found = _precise_time(meta, scripts, _TIME_META, "datePublished", now, zone)
    if found is not None:
        return found
    for value in tree.xpath("//article//time/@datetime | //time[@pubdate]/@datetime"):
        when = _parse_time(value, zone)
        if when is not None and when <= now:
            return when
    return None


def _declared_day(meta: dict[str, str], scripts: _JsonLd, now: datetime) -> date | None:
    """The publication day the page's meta tags or JSON-LD give without a time of day."""
    for value in _declared(meta, scripts, _TIME_META, "datePublished"):
        if _ISO_DAY.match(value.strip()):
            try:
                day = date.fromisoformat(value.strip()[:10])
            except ValueError:
                continue
            if date(1995, 1, 1) <= day <= now.date():
                return day
    return None


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")


def _declared(meta: dict[str, str], scripts: _JsonLd, meta_keys: tuple[str, ...],
              jsonld_key: str) -> list[str]:
    """The values of ``meta_keys`` in the meta tags, then those of ``jsonld_key`` in the JSON-LD."""
    return [*(meta[key] for key in meta_keys if key in meta), *scripts.values(jsonld_key)]


def _precise_time(meta: dict[str, str], scripts: _JsonLd, meta_keys: tuple[str, ...],
                  jsonld_key: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The first time of day, not in the future, from meta tags or JSON-LD."""
    for value in _declared(meta, scripts, meta_keys, jsonld_key):
        when = _parse_time(value, zone)
        if when is not None and when <= now:
            return when
    return None


@dataclass(frozen=True)
class _JsonLd:
    """The page's JSON-LD, each block parsed once for the dates and headline read here and for
    trafilatura's metadata reader.

    trafilatura (``extract_meta_json``) normalises a block's whole text before parsing it,
    which breaks valid JSON on one page in a hundred (escaped quotes come out bare) and sends
    it to a regular-expression reader that takes up to a quarter of a second on a large block
    (a live blog's 800 KB); here a block is parsed as it is, and only one that is not JSON
    goes to trafilatura's way, when it is small.
    """

    blocks: list[Any]        # parsed application/ld+json blocks, in page order
    settings: list[Any]      # parsed application/settings+json blocks (trafilatura reads them)
    broken: list[str]        # blocks that are not JSON

    _CRUDE_MAX = 20_000      # larger broken blocks are left out (the crude reader is quadratic)

    @classmethod
    def read(cls, tree: lxml.html.HtmlElement) -> _JsonLd:
        blocks: list[Any] = []
        settings: list[Any] = []
        broken: list[str] = []
        for script in tree.xpath('//script[@type="application/ld+json" or '
                                 '@type="application/settings+json"]'):
            if not script.text:
                continue
            try:
                parsed = json.loads(script.text, strict=False)
            except (ValueError, RecursionError):
                broken.append(script.text)
                continue
            (blocks if script.get("type") == "application/ld+json" else settings).append(parsed)
        return cls(blocks, settings, broken)

    def values(self, key: str, limit: int = 5) -> list[str]:
        """String values of ``key`` in the JSON-LD blocks, outer objects first, in page order."""
        found: list[str] = []
        queue: deque[Any] = deque(self.blocks)
        while queue and len(found) < limit:
            node = queue.popleft()
            if isinstance(node, dict):
                if isinstance(node.get(key), str):
                    found.append(node[key])
                queue.extend(v for v in node.values() if isinstance(v, dict | list))
            elif isinstance(node, list):
                queue.extend(node)
        return found

    def metadata(self, info: Document) -> Document:
        """``info`` completed by trafilatura's JSON-LD reader (author, site name, page type,
        section, headline), its strings cleaned as trafilatura cleans them."""
        for block in [*self.blocks, *self.settings]:
            try:
                info = extract_json(_json_strings(block), info)
            except (AttributeError, IndexError, KeyError, TypeError, ValueError, RecursionError) as e:
                log.debug("JSON-LD metadata not read: %s", e)
        for text in self.broken:
            if len(text) > self._CRUDE_MAX:
                continue
            text = normalize_json(JSON_MINIFY.sub(r"\1", text))
            try:
                info = extract_json(json.loads(text, strict=False), info)
            except (ValueError, RecursionError):
                info = extract_json_parse_error(text, info)
            except (AttributeError, IndexError, KeyError, TypeError) as e:
                log.debug("JSON-LD metadata not read: %s", e)
        return info


def _json_strings(node: Any) -> Any:
    """``node`` with its strings as trafilatura's ``normalize_json`` leaves them: entities
    decoded, tags stripped, space trimmed."""
    if isinstance(node, str):
        if "&" in node:
            node = html_unescape(node)
        return trim(HTML_STRIP_TAGS.sub("", node)) if "<" in node else trim(node)
    if isinstance(node, dict):
        return {k: _json_strings(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_json_strings(v) for v in node]
    return node


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
    languages ministries write their date lines in (scraper/month_names.json, written by
    bench/month_names.py)."""
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
_NAME = rf"(?:[^\W\d_][{_MARKS}]*){{3,}}\.?(?:\s(?:[^\W\d_][{_MARKS}]*){{3,}})?"
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


def _own_date(tree: lxml.html.HtmlElement, now: datetime, language: str | None = None
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


def _on_clock(day: date, clock: time | None, now: datetime, zone: ZoneInfo) -> datetime | None:
    """``day`` at ``clock`` (its start without one) on ``zone``'s clock, in UTC; a time past
    ``now`` gives way to the day's start."""
    if clock is not None:
        when = datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
        if when <= now:
            return when
    return _day_start(day.isoformat(), now, zone)


def _day_start(value: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The start of a day given without a time, on ``zone``'s clock, in UTC."""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    when = datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)
    return when if when <= now else None


def _markup_language(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str | None:
    lang = tree.get("lang") or tree.get("xml:lang") or meta.get("og:locale") or ""
    for el in tree.xpath('//meta[@http-equiv="content-language" or @http-equiv="Content-Language"]'):
        lang = lang or el.get("content") or ""
    lang = lang.strip().replace("_", "-").split("-")[0].lower()
    return lang if re.fullmatch(r"[a-z]{2}", lang) else None


# members of a macrolanguage that a ministry's page is written in under the macrolanguage's code
_MACROLANGUAGE = {"wuu": "zh", "yue": "zh", "arz": "ar", "ary": "ar", "nn": "no", "uzs": "uz"}


@cache
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, from the text itself (py3langid's model,
    shipped in the package), or None when the text is too short or the guess unsure."""
    sample = " ".join(text[:3000].split())
    if _text_size(sample) < 60:
        return None
    code, probability = _language_identifier().classify(sample)
    if probability < 0.5 and code not in _MACROLANGUAGE:
        return None
    return _MACROLANGUAGE.get(code, code) if code != "zxx" else None


def _canonical(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    """The page's rel=canonical: an http(s) URL on the page's own site (host and port)."""
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        href = href.strip()
        if not href:
            continue
        absolute = urljoin(url or "", href)
        if is_web_url(absolute) and (url is None or site_of(absolute) == site_of(url)):
            return absolute
    return None


def _text_size(text: str) -> int:
    """Length in Latin-script characters: a CJK character counts as three."""
    wide = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    return len(text) + 2 * wide


def _clean(value: str) -> str:
    return " ".join(value.replace("\xad", "").replace("\u200b", "").split())


# " - ", " | ", "｜"...; and between Chinese or Japanese characters, which take no spaces, "_"
# ("新台阶_科技_腾讯网", "_网易新闻"; not "-", which a headline may hold: "中-欧班列")
_TITLE_SEPARATORS = re.compile(rf"\s+[|–—·•:-]{{1,2}}\s+|\s*[｜：|]\s*|(?<=[{_WIDE}])_{{1,3}}(?=[{_WIDE}])")
_DATE_SEGMENT = re.compile(r"^[\d./ -]+$")
_HOST_NOISE = {"www", "com", "org", "net", "gov", "edu", "int", "news"}
_ARTICLES = {"the", "a", "an", "of", "and", "die", "der", "das", "und", "le", "la", "les", "el", "de",
             "il", "lo"}  # a site named "The Times" does not make every "the" a site's name
_HEADLINE_CLASS = re.compile(r"title|headline|heading|hed\b", re.IGNORECASE)


def _visible_headline(tree: lxml.html.HtmlElement) -> str | None:
    """The article's own <h1>: the one inside <article>/<main>, or the page's only one, or one
    whose class says it is the headline."""
    scoped = tree.xpath("//article//h1 | //main//h1 | //*[@role='main']//h1")
    every = tree.xpath("//h1")
    for group in (scoped, every if len(every) == 1 else [
            h for h in every if _HEADLINE_CLASS.search(h.get("class", "") + " " + h.get("itemprop", ""))]):
        texts = [_clean(h.text_content()) for h in group]
        texts = [t for t in texts if 8 <= len(t) <= 300]
        if texts:
            return texts[0]
    return None


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _site_words(sitename: str | None, url: str | None) -> set[str]:
    """Words that name the site: its declared name and its host's labels ("golem" of golem.de)."""
    labels = {label for label in (urlsplit(url or "").hostname or "").split(".")
              if len(label) > 2 and label not in _HOST_NOISE}
    return (_words(sitename or "") | labels) - _ARTICLES


def _strip_site_name(title: str, site: set[str], *, short_too: bool = False) -> str:
    """'Headline - Site' -> 'Headline': trailing segments that name the site (or are a date, or
    a word or two after a bar: a section's name); with ``short_too`` (a <title>, which usually
    ends with something), any short segment.
    A trailing segment that does not name the site is part of the headline: "Zwei Rücktritte -
    und viele offene Fragen"."""
    title = " ".join(title.split())  # one space at a time: the separators' cost stays linear
    parts = _TITLE_SEPARATORS.split(title)
    separators = _TITLE_SEPARATORS.findall(title)
    while len(parts) > 1 and len(" ".join(parts[:-1])) >= 12:
        last = _words(parts[-1])
        named = bool(last & site) and len(last) <= 6
        # after a bar, a word or two is a section's name ("… | Sport"), not the headline's
        piped = bool(re.search(r"[|｜]", separators[len(parts) - 2])) and len(last) <= 2
        short = (short_too and (len(last) <= 4 or len(parts[-1]) <= 25)) or piped
        if not (named or short or _DATE_SEGMENT.match(parts[-1]) or not last):
            break
        parts.pop()
    # keep the original separators of what remains
    title = title[: title.rindex(parts[-1]) + len(parts[-1])].strip()
    lead = re.match(r"^([^|｜·]{1,30}?)\s*[|｜·]\s*(.{12,})$", title)
    if lead and (_words(lead[1]) & site or (short_too and len(_words(lead[1])) <= 2)):
        title = lead[2]  # "BMJV | Headline"
    return title


def _best_title(*, ld_headline: str | None, og_title: str | None, headline: str | None,
                title_tag: str, guessed: str, site: set[str], headings: list[str]) -> str:
    """The article's JSON-LD headline, else its title for sharing (og:title), else its visible
    headline when the <title> echoes it, else the <title> itself, else trafilatura's guess;
    without the site's name. (Measured on the tune half of the fundus set: in this order they
    match editors' headlines most often; the <title> least.)"""
    # a declared title that has no word in common with the <title>, where the <title> and a
    # heading of the page agree, is the site's default for every page (Yahoo's "Latest News &
    # Headlines"), not the article's
    def named(text: str) -> set[str]:  # its words that say something, the site's name aside
        return {w.lower() for w in _support_words(text)} - site

    tag_is_heading = bool(named(title_tag) & named(" ".join(headings)))
    for declared in (ld_headline, og_title):
        declared = _clean(html_unescape(declared or ""))
        if len(declared) >= 8 and not (tag_is_heading and not named(declared) & named(title_tag)):
            return _strip_site_name(declared, site)
    reference = title_tag or guessed
    if headline and (not reference or _words(headline) & _words(reference)):
        return headline  # a heading like "Navigation" that the title does not echo is not it
    if title_tag:
        title = _strip_site_name(title_tag, site, short_too=True)
        return max((c.strip() for c in re.split(r"\s+/\s+", title)), key=len)
    return _strip_site_name(guessed, site, short_too=True) if guessed else ""


def _clean_body(text: str, titles: set[str]) -> str:
    """The body without the headline (trafilatura keeps it as the first line; the title is
    stored apart) and without short boilerplate lines it let through: credits, bylines,
    share, cookie and read-more lines."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    if lines and _clean(lines[0]).lower() in {t.lower() for t in titles if t}:
        lines = lines[1:]
    # boilerplate lines are short; a line past a few hundred characters is never one (and the
    # patterns' cost stays bounded on a page of 64 KB without a space)
    return "\n".join(
        line for line in lines
        if len(line) > _BOILERPLATE_CHARS or len(line.split()) > 25 or not _BOILERPLATE_LINE.match(line)
    )
