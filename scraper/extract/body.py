"""The article's body text: trafilatura's reading (with the source's content selector and the
body's other blocks), without the headline, boilerplate lines and lists of teasers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lxml.etree
import lxml.html
from trafilatura import bare_extraction
from trafilatura.settings import Document

from scraper.extract.options import ExtractOptions
from scraper.extract.page import clean
from scraper.extract.readability import shared_with_trafilatura

if TYPE_CHECKING:
    from scraper.extract.readability import Reading

__all__ = ["clean_body", "first_reading", "keep_only", "merged", "read_body", "without_teasers"]

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

def read_body(tree: lxml.html.HtmlElement, url: str | None, options: ExtractOptions,
              second: Reading | None) -> str:
    """The article's text as trafilatura reads it, with its fallbacks; readability, the first of
    them, is given the page's reading already made (``second``)."""
    with shared_with_trafilatura(second):
        doc = first_reading(tree, url, options, fast=options.fast)
    return doc.text or "" if doc else ""


def first_reading(tree: lxml.html.HtmlElement, url: str | None, options: ExtractOptions, *,
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


# Lists of three or more teasers, each item a linked headline: other stories, under or beside
# the article, that trafilatura can take for a list in it.
_LIST_RUN = re.compile(r"^- .*\n- .*\n- ", re.MULTILINE)
_TEASER_LISTS = lxml.etree.XPath(
    "//*[self::ul or self::ol][li[3]]"
    "[not(li[not(.//*[self::h2 or self::h3 or self::h4][.//a or ancestor::a])])]")


def without_teasers(text: str, tree: lxml.html.HtmlElement) -> str:
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


def keep_only(tree: lxml.html.HtmlElement, selector: str | list[lxml.html.HtmlElement]
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


def merged(text: str, fuller: str) -> str:
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


def clean_body(text: str, titles: set[str]) -> str:
    """The body without the headline (trafilatura keeps it as the first line; the title is
    stored apart) and without short boilerplate lines it let through: credits, bylines,
    share, cookie and read-more lines."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    if lines and clean(lines[0]).lower() in {t.lower() for t in titles if t}:
        lines = lines[1:]
    # boilerplate lines are short; a line past a few hundred characters is never one (and the
    # patterns' cost stays bounded on a page of 64 KB without a space)
    return "\n".join(
        line for line in lines
        if len(line) > _BOILERPLATE_CHARS or len(line.split()) > 25 or not _BOILERPLATE_LINE.match(line)
    )
