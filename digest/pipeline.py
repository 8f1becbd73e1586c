"""The pipeline's stages, wired to a config: shared by the CLI and the scheduler's jobs.

Each stage reads what the stage before stored. :func:`run_record` records a run (start, end,
per-stage seconds, counts, errors) in the ``runs`` table and tags log lines with its id.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest import logs
from digest.config import Config
from digest.deliver import Sender
from digest.errors import ConfigError, InputError
from digest.logs import run_context
from digest.mail import DkimSigner, OutboxTransport, SmtpTransport, Transport
from digest.render import Renderer
from digest.store import Store

if TYPE_CHECKING:
    from digest.domain import Story
    from scraper.run import SourceReport

__all__ = ["Run", "build_stories", "crawl_sources", "make_sender", "open_store", "run_record"]

log = logging.getLogger(__name__)


def open_store(config: Config) -> Store:
    store = Store(config.database)
    store.migrate()
    store.sync_sources(config.sources)
    return store


def _transport_factory(config: Config) -> Callable[[], Transport]:
    smtp = config.mail.smtp
    if smtp is None:
        folder = Path(config.mail.outbox or "outbox")
        return lambda: OutboxTransport(folder)
    username = os.environ.get(smtp.username_env) if smtp.username_env else None
    password = os.environ.get(smtp.password_env) if smtp.password_env else None
    return lambda: SmtpTransport(smtp, username=username, password=password)


def make_sender(config: Config, store: Store) -> Sender:
    return Sender(config, store, Renderer(), _transport_factory(config), dkim=_dkim(config))


def _dkim(config: Config) -> DkimSigner | None:
    settings = config.mail.dkim
    if settings is None:
        return None
    try:
        key = Path(settings.key_file).read_bytes()
    except OSError as e:
        raise ConfigError([f"mail.dkim.key_file: cannot read {settings.key_file}: {e.strerror}"]) from e
    if b"PRIVATE KEY" not in key:
        raise ConfigError([f"mail.dkim.key_file: {settings.key_file} is not a PEM private key"])
    return DkimSigner(settings.domain, settings.selector, key)


class Run:
    """A run in progress: ``summary`` is stored when it ends; ``stage`` times a stage."""

    def __init__(self, run_id: int) -> None:
        self.id = run_id
        self.summary: dict[str, Any] = {}
        self.status = "ok"

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            stages = self.summary.setdefault("stages", {})
            stages[name] = round(time.monotonic() - started, 3)


@contextmanager
def run_record(store: Store, command: str) -> Iterator[Run]:
    """Record a run of ``command`` (status ok, partial or error) and tag its log lines."""
    run = Run(store.start_run(command))
    with run_context(run.id):
        log.info("%s started", command)
        try:
            yield run
        except BaseException as e:
            store.finish_run(run.id, status="error",
                             summary={**run.summary, "error": str(e) or type(e).__name__})
            log.error("%s failed: %s", command, e or type(e).__name__)
            raise
        store.finish_run(run.id, status=run.status, summary=run.summary)
        log.info("%s finished: %s", command, run.status)


def crawl_sources(config: Config, store: Store, names: Sequence[str] = (), *,
                  interactive: bool | None = None, worker: bool = False) -> list[SourceReport]:
    """Crawl the named sources (all when empty) and record their health, showing progress
    (bars on a terminal, or when ``interactive``; log lines otherwise).

    Raises:
        InputError: a name is not a configured source.
    """
    from scraper.run import crawl  # Scrapy is imported only by commands that crawl

    unknown = [n for n in names if n not in {s.name for s in config.sources}]
    if unknown:
        raise InputError(f"no source named {', '.join(map(repr, unknown))} in the config "
                         f"(sources: {', '.join(s.name for s in config.sources)})")
    from digest.progress import crawl_progress

    level = logging.getLevelName(logging.getLogger("digest").getEffectiveLevel())
    chosen = [s.name for s in config.sources if not names or s.name in names]
    if interactive is None:
        interactive = sys.stderr.isatty() and logs.current_format() == "text"
    with crawl_progress(chosen, interactive=interactive) as progress:
        reports = crawl(config, store, names, log_level=level, progress=progress, worker=worker)
    for r in reports:  # the caller reports failures (the CLI's summary, the daemon's log)
        if r.ok:
            log.info("source %s: %d links, %d stored", r.name, r.links, r.stored)
        else:
            log.info("source %s failed: %s", r.name, r.error)
    return reports


def build_stories(config: Config, store: Store, now: datetime, *,
                  since: datetime | None = None, until: datetime | None = None) -> list[Story]:
    """Group the window's stored articles into stories and store them."""
    from digest.stories import build_stories as cluster  # scikit-learn takes seconds to import

    since = since or now - timedelta(hours=config.digest.window_hours)
    articles = store.articles_between(since, until or now)
    stories = cluster(articles, now=now)
    store.save_stories(stories, [a.id for a in articles])
    return stories
