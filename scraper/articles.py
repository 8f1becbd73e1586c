"""From a fetched page to the article to store. Runs in the crawl's extraction workers, so that
the crawler process only downloads and writes (scraper/workers.py)."""

from __future__ import annotations

from digest.domain import NewArticle
from scraper.extract import extract_article
from scraper.items import FetchedPage
from scraper.urls import canonical_url

__all__ = ["article_from_page"]


def article_from_page(page: FetchedPage, *, content_selector: str | None = None,
                      language: str | None = None, opinion: bool = False,
                      timezone: str = "UTC") -> NewArticle | None:
    """The article on ``page`` (None when it holds no article text), with the source's content
    selector, language, opinion flag and time zone (for page times without one) applied; its
    content hash is computed here too."""
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
