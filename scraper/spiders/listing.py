"""Listing pages: article links picked by the source's CSS selector, with optional next pages."""

from __future__ import annotations

from scrapy.http import Response

from digest.config import SourceConfig
from scraper.spiders.base import ArticleSpider, IndexPage, Link, UnreadableIndex

__all__ = ["ListingSpider"]


class ListingSpider(ArticleSpider):
    """Follows ``links`` on the listing page and ``follow`` to next pages, up to ``max_pages``."""

    @classmethod
    def read_index(cls, source: SourceConfig, response: Response, *, max_bytes: int) -> IndexPage:
        if not hasattr(response, "css"):
            raise UnreadableIndex(f"listing page is not HTML at {response.url}")
        links = [Link(response.urljoin(href), title) for href, title in _hrefs(response, source.links or "a")]
        more = []
        if source.follow and _page_number(response) < source.max_pages:
            more = [response.urljoin(href) for href, _ in _hrefs(response, source.follow)[:1]]
        return IndexPage(links, more)

    def index_links_found(self, response: Response, page: IndexPage) -> None:
        if not page.links:
            self.logger.warning("source %s: selector %r matched no links on %s",
                                self.source.name, self.source.links or "a", response.url)
            stats = self.crawler.stats
            assert stats is not None
            stats.set_value("digest/no_links", True)


def _page_number(response: Response) -> int:
    """Which page of the listing this is (1 for a page read outside a crawl: a saved one)."""
    try:
        return int(response.meta.get("index_page", 1))
    except AttributeError:  # a response tied to no request
        return 1


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
