"""From a fetched page to the article to store. Runs in the crawl's extraction workers, so that
the crawler process only downloads and writes (scraper/workers.py), within a time budget per
page: a page built to make extraction crawl (a pattern's worst case) is dropped, not waited for."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from digest.domain import NewArticle
from scraper.extract import extract_article
from scraper.items import FetchedPage
from scraper.urls import canonical_url

__all__ = ["ExtractionTimeout", "article_from_page", "time_budget"]


class ExtractionTimeout(Exception):
    """A page took longer to extract than its budget."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ExtractionTimeout` in the block when it runs past ``seconds`` (a real-time
    interval timer; Python checks for its signal between bytecodes and inside regular
    expression matching). Only in a process's main thread, where extraction runs (a worker
    process, or the crawler itself); elsewhere, and with no budget, the block runs unbounded."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise ExtractionTimeout(f"extraction took over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def article_from_page(page: FetchedPage, *, content_selector: str | None = None,
                      language: str | None = None, opinion: bool = False,
                      timezone: str = "UTC", budget: float | None = None) -> NewArticle | None:
    """The article on ``page`` (None when it holds no article text), with the source's content
    selector, language, opinion flag and time zone (for page times without one) applied; its
    content hash is computed here too.

    Raises:
        ExtractionTimeout: the extraction took longer than ``budget`` seconds.
    """
    with time_budget(budget):
        extraction = extract_article(page.body, url=page.url, content_selector=content_selector,
                                     timezone=timezone)
    if extraction is None:
        return None
    article = NewArticle(
        source=page.source,
        url=canonical_url(extraction.canonical_url or page.url),
        title=extraction.title or page.listed_title or page.url,
        text=extraction.text,
        published=extraction.published or page.listed_published,
        updated=extraction.updated,
        author=extraction.author,
        language=language or extraction.language,
        is_opinion=opinion or extraction.is_opinion,
    )
    article.content_hash  # noqa: B018 - computed in the worker, pickled with the article
    return article
