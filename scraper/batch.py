"""Writing a crawl's pages in batches: one transaction per batch instead of two per page
(SQLite's commits and SQLAlchemy's per-statement work were a quarter of the crawler's CPU)."""

from __future__ import annotations

import logging
import time

from scrapy.statscollectors import StatsCollector

from digest.domain import NewArticle
from digest.store import Store

__all__ = ["StoreBatch"]

log = logging.getLogger(__name__)


class StoreBatch:
    """What a source's crawl writes, one transaction per batch: the article URLs fetched (never
    fetched again, whatever they held) and the articles found at them.

    A batch is written when it holds ``size`` pages or ``seconds`` after the last one was, and
    when the source's crawl ends. A process killed in between loses only its pending pages,
    which were not marked fetched either: the next crawl fetches them again.
    """

    def __init__(self, store: Store, source: str, stats: StatsCollector, *,
                 size: int = 50, seconds: float = 1.0) -> None:
        self.store = store
        self.source = source
        self.stats = stats
        self.size = size
        self.seconds = seconds
        self._fetched: list[str] = []
        self._articles: list[NewArticle] = []
        self._written = time.monotonic()

    def fetched(self, url: str) -> None:
        self._fetched.append(url)
        self._maybe_flush()

    def article(self, article: NewArticle) -> None:
        self._articles.append(article)
        self._maybe_flush()

    def flush(self) -> None:
        if self._fetched or self._articles:
            ids = self.store.add_articles(self._articles,
                                          seen=[(self.source, url) for url in self._fetched])
            for article, id_ in zip(self._articles, ids, strict=True):
                if id_ is None:
                    log.debug("%s: already stored", article.url)
            stored = sum(id_ is not None for id_ in ids)
            self.stats.inc_value("digest/stored", stored)
            self.stats.inc_value("digest/duplicates", len(ids) - stored)
            self._fetched, self._articles = [], []
        self._written = time.monotonic()

    def _maybe_flush(self) -> None:
        pending = len(self._fetched) + len(self._articles)
        if pending >= self.size or time.monotonic() - self._written >= self.seconds:
            self.flush()
