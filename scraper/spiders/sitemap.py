"""Sitemaps: sitemap indexes, urlsets and Google News sitemaps, plain or gzipped.

Parsed with lxml without entity resolution or network access, so a hostile sitemap cannot read
local files or expand entities.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from dateutil import parser as dateparser
from lxml import etree
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number

from scraper.spiders.base import ArticleSpider

__all__ = ["NewsSitemapSpider", "parse_sitemap"]

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                          remove_comments=True, huge_tree=False, load_dtd=False)


class NewsSitemapSpider(ArticleSpider):
    """Fetches the articles a sitemap lists, following sitemap indexes."""

    def parse_index(self, response: Response) -> Iterator[Any]:
        body = response.body
        if gzip_magic_number(response):
            limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            try:
                body = gunzip(body, max_size=limit)
            except (ValueError, OSError) as e:  # over the limit, or not gzip after all
                too_big = "max" in type(e).__name__.lower() or "size" in str(e).lower()
                self.fail(f"the sitemap at {response.url} is larger than crawl.max_page_kb "
                          f"({limit // 1024} KB) once decompressed" if too_big
                          else f"the sitemap at {response.url} is not valid gzip: {e}")
                return
        kind, entries = parse_sitemap(body)
        if kind is None:
            reason = f"not a sitemap at {response.url}"
            self.fail(reason)
            return
        if kind == "sitemapindex":
            self.index_read(response, 0)
            for entry in entries[: self.source.max_pages * 10]:
                yield Request(response.urljoin(entry["loc"]), callback=self.parse_index,
                              errback=self.index_failed, meta={"index_page": 2})
            return
        self.index_read(response, len(entries))
        for entry in entries:
            request = self.article_request(
                response.urljoin(entry["loc"]), title=entry.get("title"),
                published=_time(entry.get("publication_date") or entry.get("lastmod")),
            )
            if request is not None:
                yield request


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
