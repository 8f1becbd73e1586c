"""A crawl shared by several processes through Redis (scrapy-redis), when ``crawl.frontier`` is set.

- The **coordinator** is the usual crawl (``digest crawl``, ``digest run``, the daemon's crawl
  job). It reads each source's own pages (feeds, sitemaps, listings) itself, records the sources'
  health, and pushes the article requests into one Redis queue per source, through a duplicate
  filter kept in Redis for this round. It fetches articles too.
- **Workers** (``digest crawl --worker``, on this machine or others) pop article requests from
  the same queues, fetch and extract them and store the articles in the shared database. They
  push nothing, so each page is fetched once across all processes.

Requests stay in Redis until a process pops one, so a worker that dies loses nothing queued
(the page it was fetching is listed again by the next round, as it is not stored). Every process
marks itself busy on a source in a Redis hash while it has requests in flight there; a process
ends its crawl of a source when that queue is empty and nobody is busy on it (a worker first
waits ``crawl.worker_idle_seconds`` for work to appear), so the coordinator returns only when the
round's articles are all stored.
"""

from __future__ import annotations

import os
import socket
import time
import warnings
from collections import deque
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, ScrapyDeprecationWarning
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

__all__ = ["FrontierPresence", "FrontierScheduler", "frontier_settings"]

# scrapy-redis 0.9.1 still passes `spider` to the stats collector (harmless, said on every page)
warnings.filterwarnings("ignore", message="Passing a 'spider' argument", category=ScrapyDeprecationWarning)

BUSY_KEY = "digest:frontier:busy"
BEAT_SECONDS = 1.0  # how often a process refreshes its busy mark
STALE_SECONDS = 15.0  # a busy mark older than this belongs to a process that died
ROUND_TTL = 3 * 86400  # seconds a round's duplicate filter is kept


def frontier_settings(url: str, *, worker: bool, idle_seconds: float,
                      concurrency: int) -> dict[str, Any]:
    """Scrapy settings that put the crawl on the Redis frontier at ``url``.

    Each source has its own crawler, so its ``CONCURRENT_REQUESTS`` is the site's concurrency:
    Scrapy's engine takes requests from the scheduler until the downloader holds that many, and
    with the usual 32 the first process to look took 32 of the shared queue into its own
    downloader queue, where no other worker could reach them.
    """
    round_id = "worker" if worker else str(int(time.time()))
    return {
        "CONCURRENT_REQUESTS": concurrency,
        "SCHEDULER": "scraper.frontier.FrontierScheduler",
        "SCHEDULER_PERSIST": True,  # closing a crawl never drops what others still queue
        "SCHEDULER_QUEUE_KEY": "digest:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"digest:%(spider)s:seen:{round_id}",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": url,
        "EXTENSIONS": {"scraper.frontier.FrontierPresence": 500},
        "DIGEST_FRONTIER_WORKER": worker,
        "DIGEST_FRONTIER_IDLE": idle_seconds,
    }


class FrontierScheduler(Scheduler):
    """scrapy-redis' scheduler, except that a source's own pages (``meta["index_page"]``) are
    kept in this process: the coordinator reads them and records the source's health."""

    def open(self, spider: Spider) -> Any:
        self.local: deque[Request] = deque()
        result = super().open(spider)
        self.server.expire(self.df.key, ROUND_TTL)
        return result

    def enqueue_request(self, request: Request) -> bool:
        if request.meta.get("index_page"):
            self.local.append(request)
            return True
        return bool(super().enqueue_request(request))

    def next_request(self) -> Request | None:
        if self.local:
            return self.local.popleft()
        request: Request | None = super().next_request()
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.local) or bool(super().has_pending_requests())

    def __len__(self) -> int:
        return len(self.local) + int(super().__len__())


class FrontierPresence:
    """Marks this process busy on its source while requests are in flight, and keeps the
    spider open while the source's queue has requests or another process is busy on it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.worker = crawler.settings.getbool("DIGEST_FRONTIER_WORKER")
        self.idle_wait = crawler.settings.getfloat("DIGEST_FRONTIER_IDLE")
        self.field = ""
        self.idle_since: float | None = None
        self.beat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierPresence:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Spider) -> None:
        self.field = f"{spider.name}|{socket.gethostname()}:{os.getpid()}"
        self.beat = task.LoopingCall(self.mark)
        self.beat.start(BEAT_SECONDS, now=True)

    def busy_here(self) -> bool:
        """Pages being fetched or parsed here, or this process's own index pages queued."""
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        if engine is None or scheduler is None:
            return False
        scraping = engine.scraper.slot is not None and not engine.scraper.slot.is_idle()
        local = bool(getattr(scheduler, "local", ()))
        return bool(engine.downloader.active) or scraping or local

    def mark(self) -> None:
        if self.busy_here():
            self.server.hset(BUSY_KEY, self.field, time.time())
            return
        self.server.hdel(BUSY_KEY, self.field)
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        slot = getattr(engine, "_slot", None)
        if scheduler is not None and slot is not None and scheduler.has_pending_requests():
            # others queued work while we were idle: look now, not at the engine's next
            # 5-second heartbeat
            slot.nextcall.schedule()

    def others_busy(self, source: str) -> bool:
        now = time.time()
        for field, stamp in self.server.hgetall(BUSY_KEY).items():
            name = field.decode()
            if name.split("|", 1)[0] != source or name == self.field:
                continue
            if now - float(stamp) < STALE_SECONDS:
                return True
            self.server.hdel(BUSY_KEY, field)  # left by a process that died
        return False

    def idle(self, spider: Spider) -> None:
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        if scheduler is not None and scheduler.has_pending_requests():
            self.idle_since = None
            raise DontCloseSpider
        if self.others_busy(spider.name):
            self.idle_since = None
            raise DontCloseSpider
        if self.worker:
            now = time.monotonic()
            if self.idle_since is None:
                self.idle_since = now
            if now - self.idle_since < self.idle_wait:
                raise DontCloseSpider

    def closed(self, spider: Spider) -> None:
        if self.beat is not None and self.beat.running:
            self.beat.stop()
        self.server.hdel(BUSY_KEY, self.field)
