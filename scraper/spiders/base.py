"""What every source spider shares: which article links to fetch, and how to report.

Requests for a source's own pages carry ``meta["index_page"]`` (with a Redis frontier they stay
in the coordinating process: scraper/frontier.py).

A spider is built for one configured source (``source=SourceConfig``) and carries the store
and the crawl process's write batch (scraper/batch.py) that the pipeline steps use. It skips
article URLs that are already stored, outside the source's ``allow``/``deny`` patterns, or beyond its
``max_articles``; it records in the crawler's stats whether the source's own page (feed,
sitemap or listing) could be read, and why not.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from digest.config import SourceConfig
from digest.store import Store
from scraper.batch import StoreBatch
from scraper.items import FetchedPage
from scraper.urls import followed

__all__ = ["ArticleSpider", "IndexPage", "Link", "UnreadableIndex"]


@dataclass(frozen=True)
class Link:
    """An article an index page lists: its URL (absolute), and the title and time it gives."""

    url: str
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class IndexPage:
    """What a source's index page (feed, sitemap, listing page) holds: the articles it lists, and
    further index pages to read (a listing's next page, a sitemap index's sitemaps)."""

    links: list[Link]
    more: list[str] = field(default_factory=list)


class UnreadableIndex(Exception):
    """A source's index page that cannot be read as its kind (the message says why)."""


class ArticleSpider(Spider):
    """Base class: subclasses read the source's index pages (:meth:`read_index`); this class
    requests the articles they list and the further index pages."""

    source: SourceConfig

    def __init__(self, *, source: SourceConfig, store: Store, batch: StoreBatch,
                 max_age_days: int = 7, worker: bool = False, **kwargs: Any) -> None:
        super().__init__(name=source.name, **kwargs)
        self.source = source
        self.store = store
        self.batch = batch  # shared by the process's sources; flushed as each source's crawl ends
        host = urlsplit(source.url).hostname or ""
        self.allowed_domains = [host.removeprefix("www.")]
        self.allow_patterns = [re.compile(p) for p in source.allow]
        self._deny = [re.compile(p) for p in source.deny]
        self._known = store.known_urls(source.name)
        self._queued: set[str] = set()
        self.oldest = datetime.now(UTC) - timedelta(days=max_age_days)
        self.worker = worker  # a frontier worker: fetches the articles others queued, reads no index

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArticleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.page_failed, signal=signals.spider_error)
        crawler.signals.connect(spider.item_failed, signal=signals.item_error)
        assert isinstance(spider, ArticleSpider)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        if self.worker:
            return
        yield Request(self.source.url, callback=self.parse_index, errback=self.index_failed,
                      meta={"index_page": 1})

    @classmethod
    def read_index(cls, source: SourceConfig, response: Response, *, max_bytes: int) -> IndexPage:
        """The articles and further index pages on one of ``source``'s index pages, as this
        kind of source reads them: the crawl and ``digest sources test --file`` share it.

        Raises:
            UnreadableIndex: the page is not what the source's kind expects.
        """
        raise NotImplementedError

    def parse_index(self, response: Response) -> Iterator[Any]:
        try:
            page = self.read_index(self.source, response,
                                   max_bytes=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        except UnreadableIndex as e:
            self.fail(str(e))
            return
        self.index_read(response, len(page.links))
        self.index_links_found(response, page)
        for link in page.links:
            request = self.article_request(link.url, title=link.title, published=link.published)
            if request is not None:
                yield request
        number = int(response.meta.get("index_page", 1))
        for url in page.more:
            yield Request(url, callback=self.parse_index, errback=self.index_failed,
                          meta={"index_page": number + 1})

    def index_links_found(self, response: Response, page: IndexPage) -> None:
        """A hook for what an index page's links say of the source (a listing that matched none)."""

    # --- shared steps ----------------------------------------------------------------------------

    def index_read(self, response: Response, links: int) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("digest/index_ok", True)
        stats.inc_value("digest/index_pages")
        stats.inc_value("digest/links_found", links)

    def index_failed(self, failure: Failure) -> None:
        """Errback of the source's own pages: remember why the source could not be read."""
        error = failure.value
        if isinstance(error, HttpError):
            reason = f"HTTP {error.response.status} at {error.response.url}"
        elif isinstance(error, IgnoreRequest) and str(error):
            reason = str(error)  # why it was refused (an off-site redirect): said in full
        else:
            request = getattr(failure, "request", None)
            where = f" at {request.url}" if request is not None else ""
            reason = f"{type(error).__name__}: {failure.getErrorMessage()}{where}"
        self.fail(reason)

    def page_failed(self, failure: Failure, response: Response, spider: Spider) -> None:
        """A callback raised on a page: counted, and the first cause kept for the summary."""
        self._count_failure(failure, response.url)

    def item_failed(self, item: Any, response: Response | None, spider: Spider,
                    failure: Failure) -> None:
        """A pipeline step (extraction, storing) raised on a page."""
        self._count_failure(failure, response.url if response is not None else getattr(item, "url", ""))

    def _count_failure(self, failure: Failure, url: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("digest/page_errors")
        if stats.get_value("digest/page_error") is None:
            message = " ".join(failure.getErrorMessage().split())
            stats.set_value("digest/page_error", f"{type(failure.value).__name__}: {message} (at {url})")

    def fail(self, reason: str) -> None:
        """Record why the source could not be read; the crawl summary reports it."""
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("digest/error", reason)
        self.logger.warning("source %s: %s", self.source.name, reason)

    def wanted(self, url: str) -> str | None:
        """The canonical form of ``url`` if it should be fetched, else None."""
        found = followed(url, self.allow_patterns, self._deny)
        if found is None:
            return None
        url = found
        stats = self.crawler.stats
        assert stats is not None
        if url in self._known:
            stats.inc_value("digest/already_stored")
            return None
        if url in self._queued:
            return None
        if len(self._queued) >= self.source.max_articles:
            stats.inc_value("digest/over_max_articles")
            return None
        self._queued.add(url)
        return url

    def article_request(self, url: str, *, title: str | None = None,
                        published: datetime | None = None) -> Request | None:
        wanted = self.wanted(url)
        if wanted is None:
            return None
        if published is not None and published < self.oldest:
            stats = self.crawler.stats
            assert stats is not None
            stats.inc_value("digest/too_old")
            return None
        return Request(wanted, callback=self.parse_article, meta={"dont_cache": True},
                       cb_kwargs={"title": title, "published": published, "listed": wanted})

    def parse_article(self, response: Response, title: str | None = None,
                      published: datetime | None = None,
                      listed: str | None = None) -> Iterator[FetchedPage]:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("digest/articles_fetched")
        # whatever the page turns out to be (stored under its rel=canonical URL, a duplicate,
        # no text), the listed URL is not fetched again
        self.batch.fetched(self.source.name, listed or response.url, stats)
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        if content_type and not any(t in content_type for t in ("html", "xml", "text/plain")):
            stats.inc_value("digest/not_html")
            self.logger.info("skipping %s: served as %s, not HTML", response.url, content_type)
            return
        yield FetchedPage(source=self.source.name, url=response.url, body=response.body,
                          listed_title=title, listed_published=published)
