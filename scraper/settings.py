"""Scrapy settings built from the ``crawl`` section of config.yaml: politeness (robots.txt,
AutoThrottle, per-domain concurrency, a real User-Agent), bounds (timeouts, page size, time per
source) and the pipeline order."""

from __future__ import annotations

from typing import Any

from digest.config import Config

__all__ = ["scrapy_settings"]

_PIPELINES = {
    "scraper.pipelines.ExtractPipeline": 100,
    "scraper.pipelines.DedupePipeline": 200,
    "scraper.pipelines.StorePipeline": 300,
}


def scrapy_settings(config: Config, *, log_level: str = "INFO", worker: bool = False) -> dict[str, Any]:
    """Scrapy's settings for a crawl under ``config`` (``worker``: a frontier worker)."""
    crawl = config.crawl
    contact = config.web.base_url or f"mailto:{config.mail.sender.email}"
    max_bytes = crawl.max_page_kb * 1024
    settings = {
        "BOT_NAME": "digest",
        "USER_AGENT": crawl.user_agent or f"DigestBot/0.1 (+{contact}; foreign-affairs digest)",
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle and crawl.delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(crawl.delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_domain),
        "DOWNLOAD_DELAY": crawl.delay,
        # a request counts against CONCURRENT_REQUESTS_PER_DOMAIN from the moment it leaves
        # its site's queue (scraper/downloader.py)
        "DOWNLOADER": "scraper.downloader.Downloader",
        "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": max_bytes,
        "DOWNLOAD_WARNSIZE": max_bytes // 2,
        "CLOSESPIDER_TIMEOUT": crawl.source_timeout,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        # retries wait: the server's Retry-After, else 1 s, 2 s (scraper/middlewares.py)
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "scraper.middlewares.PoliteRetryMiddleware": 550,
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "scraper.middlewares.QuickMetaRefreshMiddleware": 580,
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scraper.middlewares.SourceSiteMiddleware": 50,
        },
        # links are followed one level from a source's own pages (listing pagination counts
        # its own pages): Scrapy's depth bookkeeping is one more layer around every callback
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
        # Scrapy reads each callback's source again for every response to warn about a
        # generator's return value (its cache is keyed by the bound method, new each time);
        # the spiders' callbacks return nothing.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        # Scrapy starts CONCURRENT_ITEMS tasks for every response that yields anything (2.19,
        # scrapy.utils.asyncio._parallel_asyncio): 100 by default, a fifth of the crawler's CPU
        # when an article page yields its one page. Listing pages yield requests, which are
        # scheduled at once; concurrency across pages comes from the downloads in flight.
        "CONCURRENT_ITEMS": 1,
        "DIGEST_EXTRACT_WORKERS": crawl.extract_workers,
        "DIGEST_EXTRACT_SECONDS": crawl.extract_seconds,
        "DIGEST_RETRY_BACKOFF": 1.0,
        "DIGEST_MAX_RETRY_AFTER": min(120.0, crawl.source_timeout / 4),
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        # Only the web: a page or redirect must never make the crawler read local files or
        # other services.
        "DOWNLOAD_HANDLERS": {"file": None, "s3": None, "ftp": None, "data": None},
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "ITEM_PIPELINES": _PIPELINES,
        # Conditional requests (ETag / Last-Modified) for feeds, sitemaps and listing pages:
        # the cache revalidates what it holds; article pages are marked dont_cache.
        "HTTPCACHE_ENABLED": bool(crawl.http_cache),
        "HTTPCACHE_DIR": crawl.http_cache or "httpcache",
        "HTTPCACHE_POLICY": "scraper.httpcache.RevalidatingPolicy",
        "HTTPCACHE_IGNORE_HTTP_CODES": [status for status in range(300, 600) if status != 304],
    }
    if crawl.frontier:  # the crawl is shared through Redis (scrapy-redis)
        from scraper.frontier import frontier_settings

        settings.update(frontier_settings(crawl.frontier, worker=worker,
                                          idle_seconds=crawl.worker_idle_seconds,
                                          concurrency=crawl.concurrency_per_domain))
    return settings
