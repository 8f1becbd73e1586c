"""Child processes that die with their parent.

A crawl runs Scrapy in a child process (scraper/run.py), which hands pages to extraction workers
(scraper/workers.py). When the parent is killed outright (``kill -9``, the OOM killer), nothing
runs to stop them: a child left alone would go on fetching and writing beside the next run,
which takes the lock because its holder is gone. On Linux the kernel itself sends a child
SIGKILL when its parent ends (``PR_SET_PDEATHSIG``); called first thing in the child.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys

__all__ = ["die_with_parent"]

log = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> bool:
    """Have the kernel kill this process as soon as its parent ends; if ``parent`` (the pid
    that started us) is already gone, exit now. Returns False where the platform cannot.
    """
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    except (OSError, AttributeError) as e:
        log.warning("this process will not end with its parent: %s", e)
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before the line above: nobody is waiting for us
    return True
