"""Crawl progress for people: a bar per source on a terminal (rich), log lines otherwise.

Both take :class:`scraper.run.Progress` updates from the crawl's reader thread.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from scraper.run import Progress

__all__ = ["ProgressSink", "crawl_progress"]

log = logging.getLogger(__name__)

LOG_EVERY = 15.0  # seconds between plain progress lines


class ProgressSink(Protocol):
    def __call__(self, name: str, progress: Progress) -> None: ...


class _Bars:
    """One rich progress bar per source: pages fetched of those to fetch, articles stored."""

    def __init__(self, names: Sequence[str]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        width = max((len(n) for n in names), default=10)
        self.bars = RichProgress(
            TextColumn(f"{{task.description:<{width}}}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("pages  {task.fields[stored]} stored"), TimeElapsedColumn(),
            console=Console(stderr=True), refresh_per_second=4)
        self.tasks = {n: self.bars.add_task(n, total=None, stored=0) for n in names}

    def __call__(self, name: str, progress: Progress) -> None:
        task = self.tasks.get(name)
        if task is None:
            return
        if progress.done:  # what was fetched is all there was to fetch (or the cap)
            total: int | None = progress.fetched
        else:
            total = progress.to_fetch if progress.links else None  # None: still reading the index
        self.bars.update(task, total=total, completed=progress.fetched, stored=progress.stored)


class _Lines:
    """Plain log lines: a source when it finishes, and everyone's counts every ``LOG_EVERY``
    seconds while the crawl goes on."""

    def __init__(self) -> None:
        self.state: dict[str, Progress] = {}
        self.lock = threading.Lock()
        self.last = time.monotonic()

    def __call__(self, name: str, progress: Progress) -> None:
        with self.lock:
            before = self.state.get(name)
            self.state[name] = progress
            if progress.done and not (before and before.done):
                log.info("crawled %s: %d links (%d already stored), %d pages fetched, %d stored",
                         name, progress.links, progress.known, progress.fetched, progress.stored)
            now = time.monotonic()
            if now - self.last >= LOG_EVERY:
                self.last = now
                running = [f"{n} {p.fetched}/{p.to_fetch}" for n, p in self.state.items() if not p.done]
                if running:
                    log.info("crawling: %s", ", ".join(running))


@contextmanager
def crawl_progress(names: Sequence[str], *, interactive: bool | None = None) -> Iterator[ProgressSink]:
    """A progress sink for crawling ``names``: bars when stderr is a terminal (or
    ``interactive``), log lines otherwise."""
    if interactive is None:
        interactive = sys.stderr.isatty()
    if not interactive:
        yield _Lines()
        return
    bars = _Bars(names)
    with bars.bars:
        yield bars
