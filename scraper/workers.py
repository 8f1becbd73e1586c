"""Extraction in worker processes.

trafilatura is pure CPU and holds the GIL, so one crawler process extracts on one core while
the others idle. The extraction step hands pages to a pool of worker processes instead (one pool
per crawler process, shared by every source's crawler), and the crawl goes on downloading
while they work. ``crawl.extract_workers`` sets the pool's size: 0 (the default) means one per
CPU, 1 extracts in the crawler process itself.

The pool forks from a fork server that has already imported the extraction code (a worker
starts in milliseconds), never from the crawler process itself, whose reactor threads must not
be copied mid-flight.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from digest.lifeline import die_with_parent

__all__ = ["pool", "shutdown", "size_for"]

_pool: ProcessPoolExecutor | None = None


def size_for(setting: int) -> int:
    return setting if setting > 0 else (os.cpu_count() or 1)


def pool(workers: int) -> ProcessPoolExecutor | None:
    """The shared pool of ``workers`` processes, or None to extract in this process."""
    global _pool
    if workers <= 1:
        return None
    if _pool is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["scraper.forkserver", "scraper.articles"])
        _pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                    initializer=_tie_to_fork_server)
    return _pool


def _tie_to_fork_server() -> None:
    """Pool initializer: the worker dies with its parent, the fork server, which dies with the
    crawler (scraper/forkserver.py); a worker that starts after the fork server died exits."""
    from scraper.forkserver import SERVER_PID  # imported in the fork server before it forked us

    die_with_parent(SERVER_PID)


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
