"""Sitemaps: sitemap indexes, urlsets and Google News sitemaps, plain or gzipped.

Parsed with lxml without entity resolution or network access, so a hostile sitemap cannot read
local files or expand entities.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dateutil import parser as dateparser
from lxml import etree
from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number

from digest.config import SourceConfig
from scraper.spiders.base import ArticleSpider, IndexPage, Link, UnreadableIndex

__all__ = ["NewsSitemapSpider", "parse_sitemap"]

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                          remove_comments=True, huge_tree=False, load_dtd=False)


class NewsSitemapSpider(ArticleSpider):
    """Fetches the articles a sitemap lists, following sitemap indexes."""

    @classmethod
    def read_index(cls, source: SourceConfig, response: Response, *, max_bytes: int) -> IndexPage:
        body = response.body
        if gzip_magic_number(response):
            try:
                body = gunzip(body, max_size=max_bytes)
            except (ValueError, OSError) as e:  # over the limit, or not gzip after all
                too_big = "max" in type(e).__name__.lower() or "size" in str(e).lower()
                raise UnreadableIndex(
                    f"the sitemap at {response.url} is larger than crawl.max_page_kb "
                    f"({max_bytes // 1024} KB) once decompressed" if too_big
                    else f"the sitemap at {response.url} is not valid gzip: {e}") from None
        kind, entries = parse_sitemap(body)
        if kind is None:
            raise UnreadableIndex(f"not a sitemap at {response.url}")
        if kind == "sitemapindex":
            return IndexPage([], [response.urljoin(e["loc"]) for e in entries[: source.max_pages * 10]])
        return IndexPage([Link(response.urljoin(e["loc"]), e.get("title"),
                               _time(e.get("publication_date") or e.get("lastmod"))) for e in entries])


def parse_sitemap(body: bytes) -> tuple[str | None, list[dict[str, str]]]:
    """(``"urlset"`` or ``"sitemapindex"`` or None, entries with ``loc`` and, when given,
    ``lastmod``, ``publication_date`` and ``title``)."""
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError:
        return None, []
    if root is None:
        return None, []
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        return None, []
    entries = []
    for item in root:
        if not isinstance(item.tag, str):
            continue
        entry: dict[str, str] = {}
        for el in item.iter():
            if not isinstance(el.tag, str):
                continue
            name = etree.QName(el).localname
            if name in ("loc", "lastmod", "publication_date", "title") and el.text:
                entry.setdefault(name, el.text.strip())
        if entry.get("loc"):
            entries.append(entry)
    return kind, entries


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = dateparser.isoparse(value)
    except (ValueError, OverflowError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
