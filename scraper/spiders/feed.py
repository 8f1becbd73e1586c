"""RSS and Atom feeds, parsed with feedparser."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser
from scrapy.http import Response

from scraper.spiders.base import ArticleSpider

__all__ = ["FeedSpider"]


class FeedSpider(ArticleSpider):
    """Reads the feed at the source's URL and fetches each entry's article page."""

    def parse_index(self, response: Response) -> Iterator[Any]:
        # feedparser's SAX parser does not resolve external entities; the body is already
        # bounded by DOWNLOAD_MAXSIZE.
        feed = feedparser.parse(response.body, response_headers={"content-location": response.url})
        if feed.bozo and not feed.entries:
            self.fail(f"not a readable RSS/Atom feed at {response.url}: {feed.get('bozo_exception')}")
            return
        self.index_read(response, len(feed.entries))
        for entry in feed.entries:
            link = entry.get("link")
            if not link:
                continue
            request = self.article_request(
                response.urljoin(link), title=entry.get("title"), published=_entry_time(entry)
            )
            if request is not None:
                yield request


def _entry_time(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
