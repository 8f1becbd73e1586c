"""The article's title: its declared headline, og:title, visible headline or <title>, without
the site's name."""

from __future__ import annotations

import re
from html import unescape as html_unescape
from urllib.parse import urlsplit

import lxml.html

from digest.text import WIDE, support_words
from scraper.extract.page import clean

__all__ = ["best_title", "site_words", "strip_site_name", "visible_headline"]

# " - ", " | ", "｜"...; and between Chinese or Japanese characters, which take no spaces, "_"
# ("新台阶_科技_腾讯网", "_网易新闻"; not "-", which a headline may hold: "中-欧班列")
_TITLE_SEPARATORS = re.compile(rf"\s+[|–—·•:-]{{1,2}}\s+|\s*[｜：|]\s*|(?<=[{WIDE}])_{{1,3}}(?=[{WIDE}])")
_DATE_SEGMENT = re.compile(r"^[\d./ -]+$")
_HOST_NOISE = {"www", "com", "org", "net", "gov", "edu", "int", "news"}
_ARTICLES = {"the", "a", "an", "of", "and", "die", "der", "das", "und", "le", "la", "les", "el", "de",
             "il", "lo"}  # a site named "The Times" does not make every "the" a site's name
_HEADLINE_CLASS = re.compile(r"title|headline|heading|hed\b", re.IGNORECASE)


def visible_headline(tree: lxml.html.HtmlElement) -> str | None:
    """The article's own <h1>: the one inside <article>/<main>, or the page's only one, or one
    whose class says it is the headline."""
    scoped = tree.xpath("//article//h1 | //main//h1 | //*[@role='main']//h1")
    every = tree.xpath("//h1")
    for group in (scoped, every if len(every) == 1 else [
            h for h in every if _HEADLINE_CLASS.search(h.get("class", "") + " " + h.get("itemprop", ""))]):
        texts = [clean(h.text_content()) for h in group]
        texts = [t for t in texts if 8 <= len(t) <= 300]
        if texts:
            return texts[0]
    return None


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def site_words(sitename: str | None, url: str | None) -> set[str]:
    """Words that name the site: its declared name and its host's labels ("golem" of golem.de)."""
    labels = {label for label in (urlsplit(url or "").hostname or "").split(".")
              if len(label) > 2 and label not in _HOST_NOISE}
    return (_words(sitename or "") | labels) - _ARTICLES


def strip_site_name(title: str, site: set[str], *, short_too: bool = False) -> str:
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


def best_title(*, ld_headline: str | None, og_title: str | None, headline: str | None,
                title_tag: str, guessed: str, site: set[str], headings: list[str]) -> str:
    """The article's JSON-LD headline, else its title for sharing (og:title), else its visible
    headline when the <title> echoes it, else the <title> itself, else trafilatura's guess;
    without the site's name. (Measured on the tune half of the fundus set: in this order they
    match editors' headlines most often; the <title> least.)"""
    # a declared title that has no word in common with the <title>, where the <title> and a
    # heading of the page agree, is the site's default for every page (Yahoo's "Latest News &
    # Headlines"), not the article's
    def named(text: str) -> set[str]:  # its words that say something, the site's name aside
        return {w.lower() for w in support_words(text)} - site

    tag_is_heading = bool(named(title_tag) & named(" ".join(headings)))
    for declared in (ld_headline, og_title):
        declared = clean(html_unescape(declared or ""))
        if len(declared) >= 8 and not (tag_is_heading and not named(declared) & named(title_tag)):
            return strip_site_name(declared, site)
    reference = title_tag or guessed
    if headline and (not reference or _words(headline) & _words(reference)):
        return headline  # a heading like "Navigation" that the title does not echo is not it
    if title_tag:
        title = strip_site_name(title_tag, site, short_too=True)
        return max((c.strip() for c in re.split(r"\s+/\s+", title)), key=len)
    return strip_site_name(guessed, site, short_too=True) if guessed else ""
