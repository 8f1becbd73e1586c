"""Loaded by the extraction pool's fork server (scraper/workers.py) to tie it to the crawler.

The fork server is the parent of the extraction workers, and Python keeps it running as long as
any of them is; each worker dies with the fork server (``PR_SET_PDEATHSIG``), so the fork server
must die with the crawler that started it. multiprocessing runs nothing of ours in the fork
server but the imports of its preload modules: importing this module is that hook.
"""

import os

from digest.lifeline import die_with_parent

# the workers are forks of the fork server, so they see its pid here: a worker whose parent is
# no longer this process started after the fork server died, and exits (scraper/workers.py)
SERVER_PID = os.getpid()

die_with_parent()
