"""Logging set-up: every line carries the id of the run it belongs to.

Two formats: human-readable lines for a terminal (the default), and JSON lines
(``--log-format json``) for journald, Loki or any log shipper. The run id is the ``runs``
table's id, set by :func:`digest.stages.run_record` for the duration of a run (per thread,
so the daemon's jobs do not mix).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

__all__ = ["FORMATS", "bind_run", "current_format", "current_run", "run_context", "setup"]

FORMATS = ("text", "json")
_run_id: ContextVar[int | None] = ContextVar("digest_run_id", default=None)


def current_run() -> int | None:
    return _run_id.get()


def current_format() -> str:
    """The format :func:`setup` chose, read from the root logger's handler (the crawler's
    child process logs the same way): "json" or "text"."""
    handlers = logging.getLogger().handlers
    return "json" if any(isinstance(h.formatter, JsonFormatter) for h in handlers) else "text"


def bind_run(run_id: int) -> None:
    """Tag this thread's log lines with ``run_id`` from now on (the crawler's child)."""
    _run_id.set(run_id)


@contextmanager
def run_context(run_id: int) -> Iterator[None]:
    token = _run_id.set(run_id)
    try:
        yield
    finally:
        _run_id.reset(token)


class _RunIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "run_id"):
            record.run_id = _run_id.get()
        return True


def setup(level: int, fmt: str = "text") -> None:
    """Send log records to stderr in ``fmt`` ("text" or "json"), replacing other handlers."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RunIdFilter())
    formatter: logging.Formatter
    if fmt == "json":
        formatter = JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(run_id)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            datefmt="%Y-%m-%dT%H:%M:%S%z",
        )
    else:
        formatter = _TextFormatter("%(asctime)s %(levelname)s %(run)s%(name)s: %(message)s")
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
    logging.getLogger("apscheduler").setLevel(max(level, logging.INFO))


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        run_id = getattr(record, "run_id", None)
        record.run = f"[run {run_id}] " if run_id is not None else ""
        return super().format(record)
