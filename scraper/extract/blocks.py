"""An article body that the page splits into several blocks of one kind (with advertisements or
newsletter boxes between them): the blocks trafilatura's reading left out."""

from __future__ import annotations

import re
from itertools import islice

import lxml.html

from scraper.extract.page import clean

__all__ = ["split_body"]

_BODY_BLOCK_TAGS = {"div", "section", "article"}
_NOT_BODY_CLASS = re.compile(r"cookie|consent|dsgvo|gdpr|privacy|newsletter|comment|footer|sidebar|"
                             r"related|teaser|promo|banner|modal", re.IGNORECASE)


def split_body(tree: lxml.html.HtmlElement, text: str) -> list[lxml.html.HtmlElement]:
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
            lines = [clean(p.text_content()) for p in other.iter("p")]
            if other is block or any(line in read for line in lines):
                kept.append(other)
            elif sum(1 for line in lines if len(line) >= 40) >= 2:
                kept.append(other)  # a block of the body's that trafilatura left: two paragraphs
                more = True         # or more (a teaser sharing the class has one)
        return kept if more else []
    return []
