"""The one place that runs the pipeline's stages: the CLI, the demo and the scheduler's jobs
call these and only print or log the report values they return.

* :func:`run_once`: crawl, build stories, send what is due (``digest run``, the demo);
* :func:`crawl_and_build`: crawl, then rebuild the stories (``digest crawl`` crawls only;
  the scheduler's crawl job);
* :func:`send_due`: rebuild the stories and send the digests that are due, or some of them
  (``digest send``, the scheduler's send jobs);
* :func:`pipeline_lock`: the lock they share with cron runs and the daemon;
* the scraper's tools for one page or source (``digest extract``, ``import``, ``sources test``
  and ``discover``): the rest of ``digest`` reaches ``scraper`` only through this module.

Each stage reads what the stage before stored. :func:`run_record` records a run (start, end,
per-stage seconds, counts, errors) in the ``runs`` table and tags log lines with its id.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest import logs, shutdown
from digest.bounces import BounceReport, read_reports
from digest.config import Config, SourceConfig
from digest.deliver import Sender, SendReport
from digest.domain import NewArticle, Segment, StoredArticle, Subscriber, SubscriberDefaults
from digest.errors import InputError
from digest.locks import PIPELINE, RunLock
from digest.logs import run_context
from digest.mail.postage import dkim_signer, transport_factory
from digest.render import Renderer
from digest.store import Store
from digest.text import plural

if TYPE_CHECKING:
    from digest.domain import Story
    from scraper.admin import Candidate, SourceTrial
    from scraper.run import SourceReport

__all__ = ["CrawlReport", "Run", "RunReport", "build_stories", "crawl_and_build",
           "crawl_sources", "discover_source", "make_sender", "open_store", "pipeline_lock",
           "read_bounces", "read_import", "run_once", "run_record", "saved_links", "send_due",
           "story_span", "subscriber_defaults", "try_source"]

log = logging.getLogger(__name__)
SIGNUP_DAYS = 7  # a sign-up not confirmed in this many days is erased


# --- what the stages report ----------------------------------------------------------------------

@dataclass(frozen=True)
class CrawlReport:
    """A crawl (and the stories rebuilt after it)."""

    sources: tuple[SourceReport, ...]
    stories: int | None = None  # None: not built (crawl only, or stopped first)
    stopped: bool = False  # a stop was asked for after the crawl: nothing else was done

    @property
    def failed(self) -> list[str]:
        return [r.name for r in self.sources if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped


@dataclass(frozen=True)
class RunReport:
    """``digest run``: the crawl, then the sending (None when stopped before it)."""

    crawl: CrawlReport
    send: SendReport | None

    @property
    def ok(self) -> bool:
        return self.crawl.ok and self.send is not None and self.send.ok


# --- the stages -----------------------------------------------------------------------------------

def run_once(config: Config) -> RunReport:
    """Crawl every source, build the stories and send the digests that are due, under the
    pipeline lock, recorded as a ``run``."""
    with _opened(config) as store, pipeline_lock(store, "run"), run_record(store, "run") as run:
        crawled = _crawl_and_build(config, store, run)
        sent = None
        if not crawled.stopped:
            _tidy_subscribers(config, store, run)
            with run.stage("send"):
                sent = make_sender(config, store).send_due(should_stop=shutdown.requested)
            run.summary.update(sent.counts())
        report = RunReport(crawled, sent)
        run.status = "stopped" if crawled.stopped else "ok" if report.ok else "partial"
        return report


def crawl_and_build(config: Config, names: Sequence[str] = (), *, command: str = "crawl",
                    build: bool = True, worker: bool = False, lock_wait: float = 0.0,
                    interactive: bool | None = None) -> CrawlReport:
    """Crawl the named sources (all when empty), then rebuild the stories unless ``build`` is
    false, under the pipeline lock (waiting up to ``lock_wait`` seconds for it). A frontier
    ``worker`` helps the crawl that holds the lock: it takes none and builds nothing.

    Raises:
        InputError: a name is not a configured source.
    """
    with _opened(config) as store, pipeline_lock(store, command, exclusive=not worker, wait=lock_wait), \
            run_record(store, command) as run:
        report = _crawl_and_build(config, store, run, names, build=build and not worker,
                                  worker=worker, interactive=interactive)
        run.status = "stopped" if report.stopped else "ok" if report.ok else "partial"
        return report


def send_due(config: Config, *, command: str = "send", rebuild: bool = False,
             only: Callable[[Subscriber], bool] | None = None, dry_run: bool = False,
             lock_wait: float = 0.0) -> SendReport:
    """Send every digest that is due (those ``only`` keeps), rebuilding the stories first when
    ``rebuild``; ``dry_run`` lists them and sends nothing. On PostgreSQL several senders share
    the work through row locks; on SQLite one sends at a time (the pipeline lock)."""
    with _opened(config) as store:
        if dry_run:
            return make_sender(config, store).send_due(dry_run=True, only=only)
        with pipeline_lock(store, command, exclusive=not store.row_locks, wait=lock_wait), \
                run_record(store, command) as run:
            now = datetime.now(UTC)
            if rebuild:
                with run.stage("stories"):
                    run.summary["stories"] = len(build_stories(config, store, now))
            _tidy_subscribers(config, store, run)
            with run.stage("send"):
                report = make_sender(config, store).send_due(now, only=only,
                                                             should_stop=shutdown.requested)
            run.summary.update(report.counts())
            run.status = "ok" if report.ok else "partial"
            return report


def read_bounces(config: Config, store: Store) -> BounceReport | None:
    """Read the bounce mailbox (``mail.bounce_maildir``), if there is one."""
    maildir = config.mail.bounce_maildir
    if not maildir:
        return None
    address = config.mail.bounce_address
    return read_reports(store, Path(maildir), bounce_address=str(address) if address else None)


def _tidy_subscribers(config: Config, store: Store, run: Run) -> None:
    """Before sending: the bounces and complaints mailed back since the last run are kept
    (suspending or unsubscribing whom they name), and sign-ups never confirmed expire."""
    bounces = read_bounces(config, store)
    if bounces is not None:
        run.summary["bounces"] = bounces.counts()
    expired = store.expire_signups(days=SIGNUP_DAYS)
    if expired:
        log.info("%s never confirmed in %d days erased", plural(expired, "sign-up"), SIGNUP_DAYS)


def _crawl_and_build(config: Config, store: Store, run: Run, names: Sequence[str] = (), *,
                     build: bool = True, worker: bool = False,
                     interactive: bool | None = None) -> CrawlReport:
    with run.stage("crawl"):
        reports = tuple(crawl_sources(config, store, names, worker=worker, interactive=interactive))
    failed = [r.name for r in reports if not r.ok]
    run.summary.update(sources=len(reports), failed_sources=failed)
    if not build:
        return CrawlReport(reports)
    if shutdown.requested():
        return CrawlReport(reports, stopped=True)
    with run.stage("stories"):
        built = build_stories(config, store, datetime.now(UTC))
    run.summary["stories"] = len(built)
    return CrawlReport(reports, stories=len(built))


# --- shared by the stages -------------------------------------------------------------------------

def open_store(config: Config) -> Store:
    """The config's store, migrated, with its sources and subscribers in line with the config."""
    store = Store(config.database, subscriber_defaults=subscriber_defaults(config))
    store.migrate()
    store.sync_sources(config.sources)
    store.sync_subscribers(config.subscribers)
    return store


def subscriber_defaults(config: Config) -> SubscriberDefaults:
    """The config's defaults for subscribers, and who of them is an admin."""
    return SubscriberDefaults(timezone=config.timezone, send_at=config.digest.send_at,
                              max_stories=config.digest.max_stories,
                              frequency=config.digest.frequency, weekday=config.digest.weekday,
                              admins=frozenset(s.email.lower() for s in config.subscribers if s.admin))


@contextmanager
def _opened(config: Config) -> Iterator[Store]:
    store = open_store(config)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def pipeline_lock(store: Store, command: str, *, exclusive: bool = True,
                  wait: float = 0.0) -> Iterator[None]:
    """Hold the pipeline lock (shared by cron runs and the daemon's jobs), waiting up to
    ``wait`` seconds for its holder, else fail naming it (:class:`~digest.locks.LockHeld`).
    On SIGTERM/SIGINT the work in hand is finished and the lock released. Work that runs beside
    the holder (crawl workers, parallel senders) passes ``exclusive=False``: it takes no lock
    but stops as gracefully."""
    if threading.current_thread() is threading.main_thread():  # a job thread: the daemon did
        shutdown.install()
    if not exclusive:
        yield
        return
    with RunLock(store, PIPELINE, command).held(wait=wait, poll=5.0, should_stop=shutdown.requested):
        yield


def make_sender(config: Config, store: Store) -> Sender:
    return Sender(config, store, Renderer(), transport_factory(config), dkim=dkim_signer(config))


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
    config = _usable_cache(config)
    chosen = [s.name for s in config.sources if s.name in names] if names else [
        s.name for s in config.enabled_sources]
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


def _usable_cache(config: Config) -> Config:
    """The config with its HTTP cache, or without it when its folder cannot be written (a
    read-only mount): a crawl without revalidation beats every source failing."""
    cache = config.crawl.http_cache
    if not cache:
        return config
    try:
        Path(cache).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache, prefix=".write-test-"):
            pass
    except OSError as e:
        log.warning("the HTTP cache %s cannot be written (%s): crawling without it; set "
                    "crawl.http_cache, or DIGEST_DATA_DIR, to a writable folder", cache,
                    e.strerror or e)
        return config.model_copy(update={"crawl": config.crawl.model_copy(
            update={"http_cache": None})})
    return config


def story_span(config: Config, store: Store) -> timedelta:
    """How far back the story stage groups, whichever command runs it: ``digest.window_hours``,
    or as long as a story may run on (``StoryOptions.max_gap_hours``), or a week when anyone
    gets a weekly digest, whichever is longest, so that a story continues from one digest to
    the next."""
    from digest.stories import StoryOptions

    weekly = any(s.frequency == "weekly" for s in store.subscribers())
    return timedelta(hours=max(config.digest.window_hours, StoryOptions().max_gap_hours,
                               168 if weekly else 0))


def build_stories(config: Config, store: Store, now: datetime, *,
                  since: datetime | None = None, until: datetime | None = None) -> list[Story]:
    """Group the stored articles of the :func:`story_span` before ``now`` (or of [``since``,
    ``until``)) into stories and store every one: a story that continues a stored one keeps
    its id (:mod:`digest.identity`). Briefings' transcripts are read once and kept."""
    from digest import vectors
    from digest.identity import carry_over
    from digest.stories import build_stories as cluster  # scikit-learn takes seconds to import
    from digest.transcripts import READER_VERSION

    since = since if since is not None else now - story_span(config, store)
    articles = _with_vectors(store, _with_segments(store, store.articles_between(
        since, until or now, segments_version=READER_VERSION, vectors=vectors.MODEL)))
    stories = carry_over(cluster(articles, now=now), store.story_membership(a.id for a in articles))
    store.save_stories(stories, [a.id for a in articles])
    return stories


def _with_segments(store: Store, articles: list[StoredArticle]) -> list[StoredArticle]:
    """The articles, official ones with their transcript's segments: those not read yet (or
    read by an older reader) are read now, and kept."""
    from digest.transcripts import READER_VERSION, read_transcript

    read: dict[int, tuple[Segment, ...]] = {}
    notes: dict[str, str | None] = {}
    out = []
    for article in articles:
        if article.official and article.segments is None:
            transcript = read_transcript(article.text, title=article.title)
            flood = transcript.implausible if transcript is not None else None
            if flood:  # never a story a paragraph: the page stays whole, and its source is flagged
                log.warning("source %s: %s (at %s)", article.source, flood, article.url)
                notes[article.source] = f"a briefing {flood} (at {article.url})"
            else:
                notes.setdefault(article.source, None)
            read[article.id] = transcript.segments if transcript is not None and not flood else ()
            article = replace(article, segments=read[article.id])
        out.append(article)
    if read:
        store.save_segments(read, version=READER_VERSION)
        store.note_readings(notes)
    return out


def _with_vectors(store: Store, articles: list[StoredArticle]) -> list[StoredArticle]:
    """The articles, each with its vector and its segments' (digest/vectors.py): those not made
    yet (new since the last story run, or made another way) are made now, once, and kept."""
    from digest import vectors

    new_articles = [a for a in articles if a.vector is None]
    new_segments = [(a.id, n, part) for a in articles for n, part in enumerate(a.segments or (), 1)
                    if part.vector is None]
    if not new_articles and not new_segments:
        return articles
    log.info("making the vectors of %d articles and %d briefing segments", len(new_articles),
             len(new_segments))
    made = [vectors.pack(v) for v in vectors.encode(
        [vectors.article_passage(a.title, a.text) for a in new_articles]
        + [vectors.segment_passage(part) for _, _, part in new_segments])]
    by_article = {a.id: v for a, v in zip(new_articles, made[: len(new_articles)], strict=True)}
    by_segment = {(i, n): v for (i, n, _), v in zip(new_segments, made[len(new_articles):], strict=True)}
    store.save_vectors(by_article, by_segment, made=vectors.MODEL)
    return [replace(a, vector=by_article.get(a.id, a.vector),
                    segments=tuple(replace(part, vector=by_segment.get((a.id, n), part.vector))
                                   for n, part in enumerate(a.segments, 1))
                    if a.segments else a.segments)
            for a in articles]


# --- the scraper's tools for one page or source ----------------------------------------------------

def read_import(lines: Iterable[str], sources: set[str]) -> list[NewArticle]:
    """Articles given as JSON lines (url, title, text or html, published, updated, source,
    language, opinion), checked all at once. Text is stored as it reads: control characters
    dropped, runs of spaces as one.

    Raises:
        InputError: one line per problem (not JSON, a missing or mistyped key, unknown source,
            bad URL or time).
    """
    from pydantic import ValidationError

    from digest.imports import ImportLine
    from digest.links import is_web_url
    from digest.text import collapse_spaces
    from scraper.extract import extract_article, is_opinion_url
    from scraper.urls import canonical_url

    problems: list[str] = []
    parsed: list[NewArticle] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except RecursionError:
            problems.append(f"line {number}: not a JSON object (nested too deep)")
            continue
        except ValueError as e:
            problems.append(f"line {number}: not a JSON object ({e})")
            continue
        try:
            item = ImportLine.model_validate(data)
        except ValidationError as e:
            problems.append(f"line {number}: " + ImportLine.describe(e))
            continue
        if item.html and not item.text:
            extracted = extract_article(item.html, url=item.url)
            if extracted is not None:
                item = item.model_copy(update={
                    "title": item.title or extracted.title, "text": extracted.text,
                    "published": item.published or extracted.published})
        missing = [k for k in ("title", "text") if not getattr(item, k)]
        if missing:
            problems.append(f"line {number}: missing {', '.join(missing)}")
            continue
        if item.source not in sources:
            problems.append(f"line {number}: source {item.source[:80]!r} is not in the config")
            continue
        if not is_web_url(item.url):
            problems.append(f"line {number}: url {item.url[:80]!r} is not an http(s) URL")
            continue
        parsed.append(NewArticle(
            source=item.source, url=canonical_url(item.url),
            title=" ".join(str(item.title).split()), text=collapse_spaces(str(item.text)),
            published=item.published, updated=item.updated, language=item.language,
            is_opinion=item.opinion or is_opinion_url(item.url)))
    if problems:
        raise InputError("; ".join(problems))
    return parsed


def try_source(config: Config, name: str, limit: int) -> SourceTrial:
    """Crawl one source now, at most ``limit`` articles, into a temporary database."""
    from scraper.admin import try_source as trial

    return trial(config, name, limit)


def saved_links(source: SourceConfig, path: Path) -> list[tuple[str, str | None]]:
    """(article URL, title) the source would follow in a saved index page (listing, feed or
    sitemap).

    Raises:
        InputError: the file cannot be read.
    """
    from scraper.admin import links_in_saved_page, read_saved

    return links_in_saved_page(source, read_saved(path))


def discover_source(url: str, *, user_agent: str) -> tuple[list[Candidate], str]:
    """The feeds and sitemaps of the site at ``url``, best first, and a config entry for the
    best of the site's own (empty when none was found there)."""
    from scraper.admin import config_entry, discover, slug_for

    found = discover(url, user_agent=user_agent)
    own = [c for c in found if c.note is None]  # never another site's feed in the entry
    return found, config_entry(own[0], slug_for(url)) if own else ""
