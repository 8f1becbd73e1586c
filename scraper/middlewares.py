"""Downloader middlewares: retries that respect the server, a cheaper meta-refresh check, and
which site a source may be read from.

A source's site is its URL's host (and its subdomains) on its URL's port: another port of the
same host is another server, off-site like another host, for article links and redirects alike,
unless the source's ``allow`` patterns match the URL. A source page that redirects off-site
fails with a reason saying where it went.

Retries that respect the server: wait before trying again.

Scrapy's ``RetryMiddleware`` retries 429 and 5xx answers at once. This one waits first: as long
as the server's ``Retry-After`` asks (seconds or an HTTP date), else an exponential backoff
(``DIGEST_RETRY_BACKOFF`` seconds, doubled each time). The wait is asynchronous, so other
requests go on. A ``Retry-After`` beyond ``DIGEST_MAX_RETRY_AFTER`` is not waited for: the
request gives up for this crawl, and the source's report says why.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_status_message

from scraper.urls import site_of

__all__ = ["PoliteRetryMiddleware", "QuickMetaRefreshMiddleware", "SourceSiteMiddleware",
           "retry_after_seconds"]


def retry_after_seconds(value: bytes | str | None, *, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header as seconds from now (RFC 9110 10.2.3), or None if absent or
    unreadable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("DIGEST_RETRY_BACKOFF", 1.0)
        self.max_wait = settings.getfloat("DIGEST_MAX_RETRY_AFTER", 120.0)

    async def process_response(self, request: Request, response: Response,  # type: ignore[override]
                               spider: object = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is not None and asked > self.max_wait:
            self.crawler.stats.inc_value("digest/retry_after_too_long")
            self.crawler.stats.set_value(
                "digest/retry_after_error",
                f"HTTP {response.status} with Retry-After {asked:.0f}s (longer than "
                f"{self.max_wait:.0f}s): not retried in this crawl")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        tries = int(request.meta.get("retry_times", 0))
        wait = asked if asked is not None else self.backoff * 2**tries
        if wait > 0:
            self.crawler.stats.inc_value("digest/retry_wait_seconds", round(wait))
            await asyncio.sleep(wait)
        return retry


class QuickMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, looked for only in pages whose first 4 KB mention
    "refresh" (all that Scrapy reads of a page for it): Scrapy decodes every page to text first,
    a whole page's decoding per article in the crawler process, which extraction repeats in its
    worker anyway."""

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        if b"refresh" not in response.body[:4096].lower():
            return response
        return super().process_response(request, response)


class SourceSiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, with the port counted and the source's ``allow`` obeyed."""

    def should_follow(self, request: Request, spider: Spider) -> bool:
        source = getattr(spider, "source", None)
        if source is None:
            return bool(super().should_follow(request, spider))
        if any(pattern.search(request.url) for pattern in spider.allow_patterns):  # type: ignore[attr-defined]
            return True
        return (bool(super().should_follow(request, spider))
                and site_of(request.url)[1] == site_of(source.url)[1])

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        try:
            super().process_request(request)
        except IgnoreRequest:
            if not request.meta.get("index_page"):
                raise
            reason = (f"the source's page redirected to {request.url}, another site (another "
                      "host or port); add a pattern matching it to the source's allow to follow it")
            # a redirect refused when it is scheduled reaches no errback: record it here
            spider = self.crawler.spider
            if spider is not None and hasattr(spider, "fail"):
                spider.fail(reason)
            raise IgnoreRequest(reason) from None
