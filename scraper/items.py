"""What the spiders yield: a fetched article page, before extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["FetchedPage"]


@dataclass(kw_only=True)
class FetchedPage:
    """An article page as downloaded, with what the listing, feed or sitemap said of it."""

    source: str
    url: str
    body: bytes = field(repr=False)  # logs of dropped items stay short
    listed_title: str | None = None
    listed_published: datetime | None = None
