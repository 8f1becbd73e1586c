"""Listing pages: article links picked by the source's CSS selector, with optional next pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response

from scraper.spiders.base import ArticleSpider

__all__ = ["ListingSpider"]


class ListingSpider(ArticleSpider):
    """Follows ``links`` on the listing page and ``follow`` to next pages, up to ``max_pages``."""

    def parse_index(self, response: Response) -> Iterator[Any]:
        if not hasattr(response, "css"):
            self.fail(f"listing page is not HTML at {response.url}")
            return
        selector = self.source.links or "a"
        hrefs = _hrefs(response, selector)
        self.index_read(response, len(hrefs))
        if not hrefs:
            self.logger.warning("source %s: selector %r matched no links on %s",
                                self.source.name, selector, response.url)
            self.crawler.stats.set_value("digest/no_links", True)
        for href, title in hrefs:
            request = self.article_request(response.urljoin(href), title=title)
            if request is not None:
                yield request
        page = response.meta.get("index_page", 1)
        if self.source.follow and page < self.source.max_pages:
            for href, _ in _hrefs(response, self.source.follow)[:1]:
                yield Request(response.urljoin(href), callback=self.parse_index,
                              errback=self.index_failed, meta={"index_page": page + 1})


def _hrefs(response: Response, selector: str) -> list[tuple[str, str | None]]:
    """(href, link text) of the elements matched, or of the links inside them."""
    found: list[tuple[str, str | None]] = []
    for element in response.css(selector):
        anchors = [element] if element.root.tag == "a" else element.css("a[href]")
        for a in anchors:
            href = a.attrib.get("href")
            if href and not href.startswith(("#", "javascript:", "mailto:")):
                text = " ".join(" ".join(a.css("::text").getall()).split()) or None
                found.append((href.strip(), text))
    return found
