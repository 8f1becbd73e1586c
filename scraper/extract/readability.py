"""readability's reading of a page (trafilatura's port), made once per page: the second reader
that checks trafilatura's text, and the reading trafilatura's own readability fallback takes
(:func:`shared_with_trafilatura`) instead of reading the page again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy

import lxml.etree
import lxml.html
import trafilatura.external

from digest.text import support_words
from scraper.extract.blocks import split_body
from scraper.extract.page import clean, parse, without_ruby_readings

__all__ = ["Reading", "readability_text", "shared_with_trafilatura"]

_READABILITY = trafilatura.external.try_readability  # its port of readability; empty on failure


def holds(words: Counter[str], title: str) -> bool:
    """Whether half of a headline's words are among ``words`` (or there is no headline)."""
    headline = [w.lower() for w in support_words(title)]
    return sum(1 for w in headline if words[w]) >= 0.5 * len(headline)


class Reading:
    """readability's reading of a page (trafilatura's port of readability-lxml): the element it
    takes for the article, its text (a line per block) and that text's words."""

    _BREAKS = frozenset({"address", "article", "blockquote", "br", "dd", "div", "dl", "dt",
                         "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
                         "pre", "section", "table", "td", "th", "tr", "ul"})

    def __init__(self, body: lxml.html.HtmlElement) -> None:
        self.body = body
        self.text = "\n".join(self._lines(body))
        self.words = Counter(w.lower() for w in support_words(self.text))

    @classmethod
    def of(cls, tree: lxml.html.HtmlElement) -> Reading:
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
            if (line := clean(line)) and line != "-":
                yield line

    def holds(self, title: str) -> bool:
        return holds(self.words, title)

    def spread(self, tree: lxml.html.HtmlElement) -> Reading:
        """This reading, its words widened to the blocks of the page (``tree``) of the same
        kind as the one it ends in when the page splits its article into several (readability
        takes one block and its siblings; a page may put each part of the article in a block
        of its own, with advertisements between them)."""
        for block in split_body(tree, self.text):
            self.words.update(w.lower() for w in support_words(block.text_content()))
        return self



def readability_text(html: bytes | str) -> str:
    """The text readability (trafilatura's port) reads from a page, as ``extract_article`` has
    it read: a line per block. For training the reading choice."""
    tree = without_ruby_readings(parse(html))
    return Reading.of(tree).text if tree is not None else ""


@contextmanager
def shared_with_trafilatura(reading: Reading | None) -> Iterator[None]:
    """While trafilatura reads the page in this block, its readability fallback
    (``trafilatura.external.try_readability``, which it runs on every page, once more on a
    page it reads again for recall) takes ``reading`` instead of reading the page again: one
    readability run per page instead of two or three. The hook is installed for the block
    only and taken out after it, whatever happens; nothing else in the process sees it.
    ``compare_extraction`` looks the function up in its module when it runs: checked against
    trafilatura 2.3 (pinned in pyproject.toml; tests/test_dependencies.py fails when it moves)."""
    if reading is None:
        yield
        return
    original = trafilatura.external.try_readability

    def try_readability(htmlinput: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
        return deepcopy(reading.body)  # a copy: trafilatura cleans the reading it takes in place

    trafilatura.external.try_readability = try_readability
    try:
        yield
    finally:
        trafilatura.external.try_readability = original
