"""Running a crawl: the parent side (:func:`crawl`) and the child side (``python -m scraper.run``).

Twisted's reactor cannot be restarted within one process, so every crawl runs Scrapy in a
fresh child process: the CLI, the scheduler daemon and the tests can all crawl as often as they
like. The parent sends the validated config as JSON on stdin; the child crawls every selected
source at once (one crawler each, so one source's failure never stops another), prints a
progress line every half second while counts change, and one JSON line of per-source results at
the end, which the parent records as source health.

The child's log (Scrapy's, with its tracebacks) reaches the parent's stderr only when the parent
logs at INFO or below (``digest -v``) or in JSON; otherwise each failing source is one line of
the crawl summary, and a child that crashes is reported by its last exception, in one line, for
every source it was crawling. The child dies with its parent (digest/lifeline.py).
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from digest import logs, shutdown
from digest.config import Config
from digest.errors import SourceError
from digest.lifeline import die_with_parent
from digest.store import Store

__all__ = ["Progress", "SourceReport", "crawl"]

log = logging.getLogger(__name__)
_RESULT = "DIGEST-CRAWL-RESULT "
_PROGRESS = "DIGEST-CRAWL-PROGRESS "
PROGRESS_INTERVAL = 0.5  # seconds between the child's progress lines
_LOG_TAIL = 200  # lines of a quiet child's log kept to find why it crashed
# the last line of a Python (or Twisted) traceback: "ImportError: …", "builtins.KeyError: …"
_EXCEPTION = re.compile(
    r"^(?:builtins\.)?((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt)\b.*)$")


@dataclass(frozen=True, kw_only=True)
class Progress:
    """Where one source's crawl stands: links its index listed, of which already stored
    (not fetched again), article pages fetched and stored so far."""

    links: int = 0
    known: int = 0
    fetched: int = 0
    stored: int = 0
    done: bool = False

    @property
    def to_fetch(self) -> int:
        return max(self.links - self.known, self.fetched)


@dataclass(frozen=True, kw_only=True)
class SourceReport:
    """What one source's crawl did."""

    name: str
    ok: bool
    links: int = 0
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    already_stored: int = 0
    no_text: int = 0
    seconds: float = 0.0
    error: str | None = None


def crawl(config: Config, store: Store, names: Sequence[str] = (), *, log_level: str = "WARNING",
          progress: Callable[[str, Progress], None] | None = None,
          worker: bool = False) -> list[SourceReport]:
    """Crawl the named sources (all when empty) in a child process and record their health;
    ``progress`` is called (from another thread) as each source's counts change. A frontier
    ``worker`` fetches what the coordinating crawl queued in Redis and records no health.

    Raises:
        SourceError: the crawler process itself failed (not one source: those are reported).
    """
    sources = [s for s in config.sources if s.name in names] if names else config.enabled_sources
    if not sources:
        return []
    store.sync_sources(config.sources)
    payload = json.dumps({
        "config": config.model_dump(mode="json", by_alias=True),
        "sources": [s.name for s in sources],
        "log_level": log_level,
        "log_format": logs.current_format(),
        "run_id": logs.current_run(),
        "worker": worker,
    })
    started = time.monotonic()
    relay = log_level in ("DEBUG", "INFO") or logs.current_format() == "json"
    with subprocess.Popen([sys.executable, "-m", "scraper.run", str(os.getpid())],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace") as proc:
        lines, tail = _communicate(proc, payload, progress, relay=relay)
    if proc.returncode != 0 or not lines:
        cause = crash_cause(tail) or (f"killed by {signal.Signals(-proc.returncode).name}"
                                      if proc.returncode < 0 else "no result (see digest -v crawl)")
        reason = f"the crawler process failed (exit {proc.returncode}): {cause}"
        if not worker:
            for source in sources:
                store.record_crawl(source.name, ok=False, stored=0, error=reason, links=None)
        raise SourceError(f"{reason}; after {time.monotonic() - started:.0f}s, sources "
                          f"{', '.join(s.name for s in sources)} were not crawled")
    reports = [SourceReport(**r) for r in json.loads(lines[-1][len(_RESULT):])]
    if worker:
        return reports
    for report in reports:
        store.record_crawl(report.name, ok=report.ok, stored=report.stored, error=report.error,
                           links=report.links if report.error is None or report.links else None)
    return reports


def crash_cause(log_lines: Sequence[str]) -> str | None:
    """The last exception named in a process's log (the line that ends a traceback), or None."""
    for line in reversed(log_lines):
        match = _EXCEPTION.match(line.strip())
        if match:
            return match.group(1)
    return None


def _communicate(proc: subprocess.Popen[str], payload: str,
                 progress: Callable[[str, Progress], None] | None, *,
                 relay: bool) -> tuple[list[str], list[str]]:
    """Feed the child its payload, pass on its progress lines and return its result lines and
    the end of its log (passed on to stderr as it comes when ``relay``); on a stop request
    (SIGTERM/SIGINT to this process) pass SIGTERM on once, so Scrapy finishes the pages in
    flight and reports."""
    results: list[str] = []
    tail: deque[str] = deque(maxlen=_LOG_TAIL)

    def read() -> None:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(payload)
            proc.stdin.close()
        except BrokenPipeError:  # the child died at once: its exit code says so below
            pass
        for line in proc.stdout:
            if line.startswith(_PROGRESS):
                if progress is not None:
                    for name, counts in json.loads(line[len(_PROGRESS):]).items():
                        progress(name, Progress(**counts))
            elif line.startswith(_RESULT):
                results.append(line)
        proc.wait()

    def read_log() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            tail.append(line.rstrip("\n"))
            if relay:
                sys.stderr.write(line)

    reader = threading.Thread(target=read, daemon=True)
    log_reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    log_reader.start()
    forwarded = False
    while reader.is_alive():
        reader.join(0.2)
        if shutdown.requested() and not forwarded and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            forwarded = True
    log_reader.join(5)
    return results, list(tail)


# --- child side ----------------------------------------------------------------------------------

def _report(name: str, stats: dict[str, Any], *, worker: bool = False) -> SourceReport:
    ok = bool(stats.get("digest/index_ok")) or (worker and not stats.get("digest/error"))
    error = stats.get("digest/error")
    failed_pages = int(stats.get("digest/page_errors", 0))
    if failed_pages and not stats.get("digest/stored") and (not ok or stats.get("digest/articles_fetched")):
        # every page that was read raised (a crawler that cannot extract, say): that is the cause
        ok, error = False, (f"{failed_pages} page(s) failed: {stats.get('digest/page_error')}"
                            if ok or not error else error)
    if not ok and not error:
        reason = stats.get("finish_reason", "unknown")
        error = f"the source's page was not read (finish reason: {reason})"
    if ok and stats.get("digest/no_links"):
        ok, error = False, "the links selector matched nothing on the listing page"
    if stats.get("httpcache/errorrecovery"):  # the site failed; Scrapy answered from the cache
        ok, error = False, "the site did not answer; its pages were read from the HTTP cache"
    if not ok and stats.get("digest/retry_after_error"):
        error = f"{error}; {stats['digest/retry_after_error']}"
    start, end = stats.get("start_time"), stats.get("finish_time")
    return SourceReport(
        name=name,
        ok=ok,
        links=int(stats.get("digest/links_found", 0)),
        fetched=int(stats.get("digest/articles_fetched", 0)),
        stored=int(stats.get("digest/stored", 0)),
        duplicates=int(stats.get("digest/duplicates", 0)),
        already_stored=int(stats.get("digest/already_stored", 0)),
        no_text=int(stats.get("digest/no_text", 0)),
        seconds=round((end - start).total_seconds(), 2) if start and end else 0.0,
        error=None if ok else str(error),
    )


def _progress_of(stats: dict[str, Any]) -> Progress:
    return Progress(links=int(stats.get("digest/links_found", 0)),
                    known=int(stats.get("digest/already_stored", 0)),
                    fetched=int(stats.get("digest/articles_fetched", 0)),
                    stored=int(stats.get("digest/stored", 0)),
                    done="finish_time" in stats)


def _report_progress(crawlers: dict[str, Any], last: dict[str, Progress]) -> None:
    """Print a progress line with the sources whose counts changed since the last one."""
    changed = {}
    for name, crawler in crawlers.items():
        now = _progress_of(crawler.stats.get_stats() if crawler.stats else {})
        if last.get(name) != now:
            changed[name] = last[name] = now
    if changed:
        sys.stdout.write(_PROGRESS + json.dumps({n: asdict(p) for n, p in changed.items()}) + "\n")
        sys.stdout.flush()


def _crawler_failed(failure: Any, name: str, failed: dict[str, str]) -> None:
    """Errback of one source's crawl: the crawler could not start or crashed."""
    message = " ".join(failure.getErrorMessage().split())
    failed[name] = f"the crawler failed: {type(failure.value).__name__}: {message}"
    log.debug("source %s's crawler failed", name, exc_info=failure.value)


def _child() -> None:
    if len(sys.argv) > 1:
        die_with_parent(int(sys.argv[1]))
    from scrapy.crawler import CrawlerProcess
    from twisted.internet import task

    from scraper import workers
    from scraper.batch import StoreBatch
    from scraper.settings import scrapy_settings
    from scraper.spiders import SPIDERS

    payload = json.loads(sys.stdin.read())
    config = Config.model_validate(payload["config"])
    store = Store(config.database)
    level = payload.get("log_level", "INFO")
    worker = bool(payload.get("worker"))
    settings = scrapy_settings(config, log_level=level, worker=worker)
    json_logs = payload.get("log_format") == "json"
    if json_logs:  # Scrapy's own handler writes text; ours writes the run's JSON lines
        logs.setup(logging.getLevelName(level), "json")
    if payload.get("run_id") is not None:
        logs.bind_run(payload["run_id"])
    settings["LOG_INSTALL_ROOT_HANDLER"] = not json_logs
    process = CrawlerProcess(settings)
    crawlers = {}
    failed: dict[str, str] = {}
    batch = StoreBatch(store)  # one for every source: see scraper/batch.py
    for name in payload["sources"]:
        source = config.source(name)
        crawler = process.create_crawler(SPIDERS[source.kind])
        crawlers[name] = crawler
        started = process.crawl(crawler, source=source, store=store, batch=batch,
                                max_age_days=config.crawl.max_age_days, worker=worker)
        started.addErrback(_crawler_failed, name, failed)
    last: dict[str, Progress] = {}
    ticker = task.LoopingCall(_report_progress, crawlers, last)
    ticker.start(PROGRESS_INTERVAL, now=False)
    process.start()
    if ticker.running:
        ticker.stop()
    _report_progress(crawlers, last)
    workers.shutdown()
    reports = [
        asdict(_report(name, crawler.stats.get_stats() if crawler.stats else {}, worker=worker)
               if name not in failed else SourceReport(name=name, ok=False, error=failed[name]))
        for name, crawler in crawlers.items()
    ]
    store.close()
    sys.stdout.write(_RESULT + json.dumps(reports) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    _child()
