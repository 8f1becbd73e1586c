"""Graceful shutdown: SIGTERM or SIGINT asks long-running work to stop between units.

The first signal sets a flag that the sender checks between messages, the crawl between
sources (and forwards to the crawler process, which finishes its pages), and the daemon
between jobs; locks are released on the way out. A second SIGINT interrupts at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

__all__ = ["install", "request", "requested", "reset", "wait"]

log = logging.getLogger(__name__)
_requested = threading.Event()


def requested() -> bool:
    """True once a stop was asked for."""
    return _requested.is_set()


def wait(seconds: float) -> bool:
    """Sleep up to ``seconds``, waking early when a stop is asked for; True if it was."""
    return _requested.wait(seconds)


def request(reason: str = "stop requested") -> None:
    if not _requested.is_set():
        log.warning("%s: finishing the current work, then stopping", reason)
    _requested.set()


def reset() -> None:
    _requested.clear()


def install() -> None:
    """Route SIGTERM and SIGINT to :func:`request` (call from the main thread)."""

    def on_signal(number: int, frame: FrameType | None) -> None:
        if number == signal.SIGINT and _requested.is_set():
            raise KeyboardInterrupt
        request(f"received {signal.Signals(number).name}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
