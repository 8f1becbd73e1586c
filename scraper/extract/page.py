"""A page as the extraction reads it: parsed as trafilatura parses it, its ruby readings
dropped, and what a file is when it is not an HTML page at all."""

from __future__ import annotations

import json
import logging
import re

import lxml.etree
import lxml.html
from trafilatura.utils import decode_file, is_dubious_html, repair_faulty_html

__all__ = ["MAX_PAGE_BYTES", "clean", "looks_binary", "not_a_page", "parse", "without_ruby_readings"]

log = logging.getLogger("scraper.extract")

MAX_PAGE_BYTES = 10 * 1024 * 1024  # larger pages are not articles worth parsing


# trafilatura's parser (``trafilatura.utils.HTML_PARSER``), with each element's class found in C:
# lxml.html's parser asks Python for the class of every element the code touches (to give form
# fields classes of their own, which nothing here uses), about 4% of a page's time
_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                               remove_comments=True, remove_pis=True)
_PARSER.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


def parse(html: bytes | str) -> lxml.html.HtmlElement | None:
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


def without_ruby_readings(tree: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    """The page as a browser without ruby shows it: the readings printed over Japanese
    characters (子<rt>こ</rt>ども) would run into the text and go, unless the page gives them in
    brackets for such a browser (<rp>（</rp>)."""
    if tree is not None:
        for annotation in tree.xpath("//ruby[not(rp)]/rt"):
            annotation.drop_tree()
    return tree


_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32)])


def looks_binary(body: bytes) -> bool:
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
    if looks_binary(raw):
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


def clean(value: str) -> str:
    return " ".join(value.replace("\xad", "").replace("\u200b", "").split())
