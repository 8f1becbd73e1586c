"""Scrapy's downloader with a site's concurrency limit that holds.

Scrapy 2.19 on the asyncio reactor takes a request from a site's queue and starts its download
as a new asyncio task (``Downloader._process_queue``, ``_schedule_coro``); the request counts
against ``CONCURRENT_REQUESTS_PER_DOMAIN`` only when that task first runs (``_download`` adds it
to ``slot.transferring``). Until then the slot looks free: with no download delay the whole queue
goes out at once, and with a delay another request can leave before the first one is counted
(seen as three requests at a server that allowed two). Here a request counts from the moment it
leaves the queue; ``_download`` adding it again changes nothing (a set).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader import Downloader as ScrapyDownloader
from scrapy.core.downloader import Slot

if TYPE_CHECKING:
    from scrapy import Request

__all__ = ["Downloader"]


class _CountedQueue(deque[Any]):
    """A slot's queue whose requests count as transferring when they are taken from it."""

    def __init__(self, slot: Slot, queued: deque[Any]) -> None:
        super().__init__(queued)
        self.slot = slot

    def popleft(self) -> Any:
        request, done = super().popleft()
        self.slot.transferring.add(request)
        return request, done


class Downloader(ScrapyDownloader):
    def _get_slot(self, request: Request, spider: Any = None) -> tuple[str, Slot]:
        key, slot = super()._get_slot(request)
        if not isinstance(slot.queue, _CountedQueue):
            slot.queue = _CountedQueue(slot, slot.queue)
        return key, slot
