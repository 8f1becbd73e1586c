"""Item pipeline steps, in order: extract (trafilatura), de-duplicate, store.

Each step reads the source's settings and the store from the running spider (one spider per
source) and counts what it did in the crawler's stats (``digest/...``), which the crawl summary
reports per source.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from digest.domain import NewArticle
from scraper.articles import ExtractionTimeout, article_from_page
from scraper.items import FetchedPage
from scraper.spiders.base import ArticleSpider
from scraper.workers import pool, size_for

__all__ = ["DedupePipeline", "ExtractPipeline", "StorePipeline"]


class _Step:
    """A pipeline step; the running spider carries the source's settings and the store."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def spider(self) -> ArticleSpider:
        spider = self.crawler.spider
        if not isinstance(spider, ArticleSpider):
            raise NotConfigured("digest pipelines run only with the digest spiders")
        return spider

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None
        return self.crawler.stats


class ExtractPipeline(_Step):
    """FetchedPage -> NewArticle, with the source's content selector, language and flags."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.workers = size_for(crawler.settings.getint("DIGEST_EXTRACT_WORKERS"))
        self.budget = crawler.settings.getfloat("DIGEST_EXTRACT_SECONDS") or None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        source = self.spider.source
        extract = partial(article_from_page, content_selector=source.content,
                          language=source.language, opinion=source.opinion, timezone=source.zone,
                          budget=self.budget)
        workers = pool(self.workers)
        try:
            if workers is None:
                article = extract(item)
            else:  # in a worker process; this crawler keeps downloading meanwhile
                article = await asyncio.wrap_future(workers.submit(extract, item))
        except ExtractionTimeout as e:
            self.stats.inc_value("digest/extract_timeout")
            raise DropItem(f"{item.url}: {e}") from e
        if article is None:
            self.stats.inc_value("digest/no_text")
            raise DropItem(f"{item.url}: no article text found")
        return article


class DedupePipeline(_Step):
    """Drops an article whose canonical URL was seen in this run, or whose text was already seen
    from the same source in this run. (One already stored is refused by the store itself, in
    the transaction that would write it: no second query per page.)"""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.urls: set[str] = set()
        self.hashes: set[tuple[str, str]] = set()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, NewArticle):
            return item
        key = (item.source, item.content_hash)
        if item.url in self.urls or key in self.hashes:
            self.stats.inc_value("digest/duplicates")
            raise DropItem(f"{item.url}: duplicate")
        self.urls.add(item.url)
        self.hashes.add(key)
        return item


class StorePipeline(_Step):
    """Hands the article to the spider's batch (scraper/batch.py); the store refuses what another
    process stored meanwhile."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, NewArticle):
            self.spider.batch.article(item, self.stats)
        return item

    def close_spider(self) -> None:
        self.spider.batch.flush()
