"""Writing a crawl's pages in batches: one transaction per batch instead of two per page
(SQLite's commits and SQLAlchemy's per-statement work were a quarter of the crawler's CPU)."""

from __future__ import annotations

import logging
import time
from collections import Counter

from scrapy.statscollectors import StatsCollector

from digest.domain import NewArticle
from digest.store import Store

__all__ = ["StoreBatch"]

log = logging.getLogger(__name__)


class StoreBatch:
    """What a crawl process writes, one transaction per batch: the article URLs fetched (never
    fetched again, whatever they held) and the articles found at them.

    One batch serves every source's crawler in the process: twenty sources sharing two cores
    fetch about a page a second each, so a batch per source wrote a transaction per page. A
    batch is written when it holds ``size`` pages or ``seconds`` after the last one was, and
    when a source's crawl ends. A process killed in between loses only its pending pages, which
    were not marked fetched either: the next crawl fetches them again. What was stored, or
    refused as a duplicate, is counted in each source's crawler stats.
    """

    def __init__(self, store: Store, *, size: int = 50, seconds: float = 1.0) -> None:
        self.store = store
        self.size = size
        self.seconds = seconds
        self._fetched: list[tuple[str, str]] = []
        self._articles: list[NewArticle] = []
        self._stats: dict[str, StatsCollector] = {}
        self._written = time.monotonic()

    def fetched(self, source: str, url: str, stats: StatsCollector) -> None:
        self._stats[source] = stats
        self._fetched.append((source, url))
        self._maybe_flush()

    def article(self, article: NewArticle, stats: StatsCollector) -> None:
        self._stats[article.source] = stats
        self._articles.append(article)
        self._maybe_flush()

    def flush(self) -> None:
        if self._fetched or self._articles:
            ids = self.store.add_articles(self._articles, seen=self._fetched)
            stored: Counter[str] = Counter()
            refused: Counter[str] = Counter()
            for article, id_ in zip(self._articles, ids, strict=True):
                if id_ is None:
                    log.debug("%s: already stored", article.url)
                (refused if id_ is None else stored)[article.source] += 1
            for source in stored.keys() | refused.keys():
                self._stats[source].inc_value("digest/stored", stored[source])
                self._stats[source].inc_value("digest/duplicates", refused[source])
            self._fetched, self._articles = [], []
        self._written = time.monotonic()

    def _maybe_flush(self) -> None:
        pending = len(self._fetched) + len(self._articles)
        if pending >= self.size or time.monotonic() - self._written >= self.seconds:
            self.flush()
