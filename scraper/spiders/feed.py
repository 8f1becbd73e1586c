"""RSS and Atom feeds, parsed with feedparser."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any

import feedparser
from scrapy.http import Response

from digest.config import SourceConfig
from scraper.spiders.base import ArticleSpider, IndexPage, Link, UnreadableIndex

__all__ = ["FeedSpider"]


class FeedSpider(ArticleSpider):
    """Reads the feed at the source's URL and fetches each entry's article page."""

    @classmethod
    def read_index(cls, source: SourceConfig, response: Response, *, max_bytes: int) -> IndexPage:
        # feedparser's SAX parser does not resolve external entities; the body is already
        # bounded by DOWNLOAD_MAXSIZE.
        feed = feedparser.parse(response.body, response_headers={"content-location": response.url})
        if feed.bozo and not feed.entries:
            raise UnreadableIndex(f"not a readable RSS/Atom feed at {response.url}: "
                                  f"{feed.get('bozo_exception')}")
        return IndexPage([Link(response.urljoin(entry["link"]), entry.get("title"), _entry_time(entry))
                          for entry in feed.entries if entry.get("link")])


def _entry_time(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
