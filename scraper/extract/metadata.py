"""What a page says about itself besides its text and dates: trafilatura's metadata readers
(with its author search in one walk), the meta tags, the language, the canonical URL and
whether it is an opinion piece."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import examine_meta, extract_sitename, extract_title
from trafilatura.settings import Document
from trafilatura.utils import trim

from digest.text import text_size
from scraper.extract.jsonld import JsonLd
from scraper.urls import is_web_url, site_of

__all__ = ["OPINION_SECTION", "byline_author", "canonical", "detect_language", "is_opinion_url",
           "markup_language", "meta_tags", "page_info"]

_OPINION_PATH = re.compile(
    r"/(opinion|opinions|commentary|comment|editorials?|op-?ed|columnists?|columns?|viewpoints?|"
    r"perspectives?|meinung|kommentar|tribune|opinion-[a-z-]+)(/|$)",
    re.IGNORECASE,
)
OPINION_SECTION = re.compile(r"\b(opinion|commentary|editorial|op-?ed|column|meinung|kommentar)",
                              re.IGNORECASE)
def is_opinion_url(url: str) -> bool:
    """True when the URL's path is an opinion section's (``/opinion/…``, ``/commentary/…``)."""
    return bool(_OPINION_PATH.search(urlsplit(url).path))


def page_info(tree: lxml.html.HtmlElement, scripts: JsonLd) -> Document:
    """trafilatura's metadata readers (meta tags, JSON-LD, author heuristics, site name),
    without its date search, which ``extract_article`` runs only when needed, and without its
    category and tag links (a tenth of the time per page; the section in the metadata and
    JSON-LD is what tells an opinion piece)."""
    info = examine_meta(tree)
    if info.author and " " not in info.author:
        info.author = None  # a single word is a handle or a site, not a person
    info = scripts.metadata(info)
    info.title = info.title or extract_title(tree)
    info.author = info.author or byline_author(tree)
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


def byline_author(tree: lxml.html.HtmlElement) -> str | None:
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


def meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
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


def markup_language(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str | None:
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
    if text_size(sample) < 60:
        return None
    code, probability = _language_identifier().classify(sample)
    if probability < 0.5 and code not in _MACROLANGUAGE:
        return None
    return _MACROLANGUAGE.get(code, code) if code != "zxx" else None


def canonical(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    """The page's rel=canonical: an http(s) URL on the page's own site (host and port)."""
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        href = href.strip()
        if not href:
            continue
        absolute = urljoin(url or "", href)
        if is_web_url(absolute) and (url is None or site_of(absolute) == site_of(url)):
            return absolute
    return None
