"""The ``digest`` command line: the composition root.

Each command loads config.yaml once (``--config``, default ``./config.yaml``), builds the
store, renderer and transport it needs, and runs one stage or the whole pipeline. A command
imports what it uses when it runs: ``digest extract`` and ``--help`` load no database,
template or mail code. Errors the project raises on purpose are printed as one ``Error:``
line; exit codes: 0 ok, 1 some work failed, 2 bad input or config.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from digest import logs
from digest.domain import WEEKDAYS, Story, StoryChange
from digest.errors import ConfigError, DigestError, InputError

if TYPE_CHECKING:
    from digest.config import Config
    from digest.deliver import SendReport
    from digest.render import DigestContent
    from digest.stages import CrawlReport

__all__ = ["cli", "main"]

log = logging.getLogger("digest")

config_option = click.option(
    "--config", "config_path", default="config.yaml", show_default=True,
    type=click.Path(dir_okay=False, path_type=Path), help="The configuration file.",
)


# --- composition -----------------------------------------------------------------------------------

def _load(path: Path) -> Config:
    from digest.config import load_config

    return load_config(path)


def _parse_since(value: str | None, default_hours: float, now: datetime) -> datetime:
    if value is None:
        return now - timedelta(hours=default_hours)
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return now - timedelta(hours=float(value))
    return _parse_iso(value, "--since")


def _parse_iso(value: str, option: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not an ISO date/time or a number of hours") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


# --- the stages, shared by several commands -------------------------------------------------------

def _print_crawl_report(report: CrawlReport) -> None:
    """A line per source, then which failed."""
    width = max((len(r.name) for r in report.sources), default=10)
    for r in report.sources:
        status = "ok    " if r.ok else "FAILED"
        line = (f"{r.name:<{width}}  {status}  links {r.links:>4}  fetched {r.fetched:>4}  "
                f"stored {r.stored:>4}  known {r.already_stored:>4}  {r.seconds:>6.1f}s")
        click.echo(line + (f"  {r.error}" if r.error else ""))
    if report.failed:
        click.echo(f"{len(report.failed)} of {len(report.sources)} sources failed: "
                   + ", ".join(report.failed) + " (reasons above)", err=True)


def _print_send_report(report: SendReport, *, dry_run: bool) -> None:
    if dry_run:
        for email, day, titles in report.planned:
            click.echo(f"would send {day} to {email}: {len(titles)} stories")
            for title in titles:
                click.echo(f"  - {title}")
    for email in report.sent:
        click.echo(f"sent to {email}")
    for email, reason in report.skipped:
        click.echo(f"skipped {email}: {reason}")
    for email, reason in report.retry:
        click.echo(f"not sent to {email} (will retry): {reason}", err=True)
    for email, reason in report.failed:
        click.echo(f"FAILED for {email}: {reason}", err=True)
    if report.stopped:
        click.echo(f"stopped: {report.stopped} digests left for the next run", err=True)
    if not (report.planned or report.sent or report.skipped or report.retry or report.failed):
        click.echo("nothing due")


# --- commands --------------------------------------------------------------------------------------

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("--log-format", type=click.Choice(logs.FORMATS), default="text", show_default=True,
              help="Log lines for people (text) or for log collectors (json: one object a line).")
@click.version_option(package_name="digest")
def cli(verbose: int, log_format: str) -> None:
    """A daily foreign-affairs email digest: crawl ministries and outlets, group articles
    into stories, and mail each subscriber the day's most important ones."""
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logs.setup(level, log_format)


@cli.command("check-config")
@config_option
def check_config(config_path: Path) -> None:
    """Validate the configuration; exit 2 with one line per problem."""
    config = _load(config_path)
    click.echo(f"{config_path}: OK ({len(config.sources)} sources, "
               f"{len(config.subscribers)} subscribers)")


@cli.command()
@config_option
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Crawl only this source (repeatable).")
@click.option("--worker", is_flag=True,
              help="Help the running crawl: fetch and store the articles it queued in Redis "
                   "(needs crawl.frontier); run as many as you like, on any machine.")
def crawl(config_path: Path, sources: tuple[str, ...], worker: bool) -> None:
    """Crawl the sources, extract and store new articles; print a summary per source."""
    from digest.stages import crawl_and_build

    config = _load(config_path)
    if worker and not config.crawl.frontier:
        raise InputError("--worker needs crawl.frontier (a redis:// URL) in the config")
    report = crawl_and_build(config, sources, command="crawl:worker" if worker else "crawl",
                             build=False, worker=worker)
    _print_crawl_report(report)
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--url", help="The page's original URL (for one file, or all of them).")
def extract(files: tuple[Path, ...], url: str | None) -> None:
    """Extract saved pages (.html or .html.gz); print one JSON object per file.

    Exit 2 if a file is not an HTML page (JSON, plain text, an image, binary data: each named
    on stderr and in its record's "error"), 1 if a page held no article text."""
    from digest.pages import extract_page

    failed = 0
    bad_input = 0
    for path in files:
        try:
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
        except (OSError, EOFError, gzip.BadGzipFile) as e:
            raise InputError(f"cannot read {path}: {e}") from e
        page = extract_page(raw, url=url)
        if page.not_a_page:  # the others are still read: one bad file stops nothing
            bad_input += 1
            click.echo(f"Error: {path} is {page.not_a_page}, not an HTML page", err=True)
        elif page.record.get("error"):
            failed += 1
        click.echo(json.dumps({"file": str(path), **page.record}, ensure_ascii=False))
    if bad_input:
        sys.exit(2)
    if failed:
        sys.exit(1)


@cli.command("import")
@config_option
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_(config_path: Path, file: Any) -> None:
    """Store articles given as JSON lines (url, title, text, published, source)."""
    from digest.stages import open_store, read_import

    config = _load(config_path)
    articles = read_import(file, {s.name for s in config.sources})
    store = open_store(config)
    stored = sum(id_ is not None for i in range(0, len(articles), 500)
                 for id_ in store.add_articles(articles[i : i + 500]))
    click.echo(f"imported {stored} articles, {len(articles) - stored} already stored")


@cli.command()
@config_option
@click.option("--since", help="ISO time, or hours back from now (default: the span `digest run` "
              "groups: digest.window_hours, at least 72 hours, a week when anyone reads weekly).")
@click.option("--until", help="ISO time (default: now).")
@click.option("--json", "as_json", is_flag=True, help="Print the stories as a JSON list.")
def stories(config_path: Path, since: str | None, until: str | None, as_json: bool) -> None:
    """Group stored articles into stories, store them, and print them (most important first).

    Without --since it groups what `digest run` and the daemon group, so running it before
    `digest send` gives what `digest run` gives. A story that continues a stored one keeps its
    id, whatever the span."""
    from digest.stages import build_stories, open_store, run_record, story_span

    config = _load(config_path)
    now = datetime.now(UTC)
    store = open_store(config)
    span_hours = story_span(config, store).total_seconds() / 3600
    start = _parse_since(since, span_hours, now)
    end = _parse_iso(until, "--until") if until else now
    if end <= start:
        raise InputError(f"--until ({end.isoformat()}) is not after --since ({start.isoformat()})")
    with run_record(store, "stories") as run:
        built = build_stories(config, store, now, since=start, until=end)
        run.summary["stories"] = len(built)
    if as_json:
        click.echo(json.dumps([s.to_json() for s in built], ensure_ascii=False, indent=2))
        return
    for s in built:
        click.echo(f"{s.score:6.2f}  {s.title}  ({len(s.sources)} sources, "
                   f"{len(s.opinions)} opinions)")


@cli.command()
@click.option("--n", "count", default=3, show_default=True, type=click.IntRange(1, 20),
              help="Highlights per document.")
def highlights(count: int) -> None:
    """Read JSON lines (id, title, text) on stdin; print {"id", "highlights"} per line."""
    from digest.highlights import Passage, choose_highlights

    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = str(item["text"])
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(f"stdin line {number}: expected a JSON object with 'text' ({e})") from e
        passage = Passage(key="doc", title=str(item.get("title") or ""), text=text)
        click.echo(json.dumps({"id": item.get("id"),
                               "highlights": choose_highlights([passage], count)},
                              ensure_ascii=False))


@cli.command()
@config_option
@click.option("--subscriber", metavar="EMAIL", help="Render this subscriber's selection.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for digest.html, digest.txt and digest.json.")
def preview(config_path: Path, subscriber: str | None, out_dir: Path) -> None:
    """Write the digest as digest.html, digest.txt and digest.json (each story new, updated or
    unchanged for the subscriber) without sending it."""
    from digest.edition import Editions
    from digest.render import Renderer
    from digest.stages import open_store

    config = _load(config_path)
    store = open_store(config)
    found = None
    if subscriber:
        found = store.subscriber(subscriber)
        if found is None or not found.active:
            raise InputError(f"no active subscriber {subscriber!r}")
    content = Editions(config, store).content(found, datetime.now(UTC))
    rendered = Renderer().render(content)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "digest.html").write_text(rendered.html, encoding="utf-8")
        (out_dir / "digest.txt").write_text(rendered.text, encoding="utf-8")
        (out_dir / "digest.json").write_text(
            json.dumps(_preview_json(content, found.email if found else None), ensure_ascii=False,
                       indent=2) + "\n", encoding="utf-8")
    except OSError as e:
        raise InputError(f"--out: cannot write to {out_dir}: {e.strerror or e}") from e
    click.echo(f"wrote {out_dir / 'digest.html'}, digest.txt and digest.json "
               f"({len(content.stories)} stories)")


def _preview_json(content: DigestContent, subscriber: str | None) -> dict[str, Any]:
    """What the subscriber's next digest holds, and what is new in it to them."""
    def story(s: Story) -> dict[str, Any]:
        change = content.changes.get(s.id) or StoryChange(
            status="unchanged" if s in content.still_developing else "new")
        fresh = change.status == "new"
        return {"id": s.id, "title": s.title, "status": change.status,
                "new_sources": change.new_sources if change.status == "updated" else
                (len(s.sources) if fresh else 0),
                "highlights": [{"text": str(h), "new": fresh or str(h) in change.new_highlights}
                               for h in s.highlights]}

    return {"subscriber": subscriber, "date": content.day.isoformat(),
            "stories": [story(s) for s in (*content.stories, *content.still_developing)]}


@cli.command()
@config_option
@click.option("--dry-run", is_flag=True, help="List who would get what; send nothing.")
def send(config_path: Path, dry_run: bool) -> None:
    """Send every digest that is due; never sends the same digest twice."""
    from digest.stages import send_due

    report = send_due(_load(config_path), dry_run=dry_run)
    _print_send_report(report, dry_run=dry_run)
    if not report.ok:
        sys.exit(1)


@cli.command()
@config_option
def run(config_path: Path) -> None:
    """Crawl, build stories and send what is due, once: the cron entry point."""
    from digest.stages import run_once

    report = run_once(_load(config_path))
    _print_crawl_report(report.crawl)
    if report.send is None:
        click.echo("stopped before building stories and sending; run again to finish")
    else:
        click.echo(f"{report.crawl.stories} stories")
        _print_send_report(report.send, dry_run=False)
    if not report.ok:
        sys.exit(1)


@cli.command()
@config_option
@click.option("--plan", is_flag=True, help="Print the planned runs as JSON lines; run nothing.")
@click.option("--from", "start", metavar="ISO", help="With --plan: start here (default: now).")
@click.option("--days", type=click.FloatRange(0, 366, min_open=True),
              help="With --plan: how many days ahead (more than 0, at most 366; default 1).")
def schedule(config_path: Path, plan: bool, start: str | None, days: float | None) -> None:
    """The daemon: crawl on schedule.crawl and send each subscriber's digest at their local
    send_at. Jobs are kept in the database; SIGHUP re-reads the config; SIGTERM stops after
    the job in hand."""
    from digest.schedule import Daemon, planned_runs, send_groups
    from digest.stages import open_store

    config = _load(config_path)
    if not plan:
        if start is not None or days is not None:
            raise InputError(f"{'--from' if start is not None else '--days'} applies only with --plan")
        Daemon(config_path).run_forever()
        return
    if days is None:
        days = 1.0
    elif days != days:  # NaN passes click's range check
        raise InputError("--days must be a number of days, more than 0")
    store = open_store(config)
    begin = _parse_iso(start, "--from") if start else datetime.now(UTC)
    for item in planned_runs(config, send_groups(store.subscribers()), begin, days):
        click.echo(json.dumps(item, ensure_ascii=False))


@cli.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status(config_path: Path, as_json: bool) -> None:
    """Last runs, next planned runs, locks, source health, pending and failed deliveries."""
    from digest.stages import open_store
    from digest.status import collect, format_text

    config = _load(config_path)
    report = collect(config, open_store(config), datetime.now(UTC))
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(report))


@cli.command()
@config_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (put a TLS-terminating proxy in front for the public).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
def serve(config_path: Path, host: str, port: int) -> None:
    """The web app: digest archive, story pages, search, Atom and JSON feeds, one-click
    unsubscribe, preferences, sign-up (web.signup), admin pages.

    Links in mail point here when web.base_url is set. Admin login: the user name and password
    in the environment variables web.admin_user_env / web.admin_password_env name
    (DIGEST_ADMIN_USER / DIGEST_ADMIN_PASSWORD by default)."""
    import os
    import socket

    import uvicorn

    from digest.stages import open_store
    from digest.web import create_app

    config = _load(config_path)
    app = create_app(config, open_store(config))
    try:  # bound here, so that a busy port is a clear message and exit 2, not uvicorn's exit 1
        listener = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host
                                        else socket.AF_INET, reuse_port=False)
    except OSError as e:
        reason = os.strerror(e.errno) if e.errno else str(e)
        raise InputError(f"cannot listen on {host}:{port}: {reason}; "
                         "is another server using it? choose one with --port") from e
    bound = listener.getsockname()[1]
    click.echo(f"serving on http://{host}:{bound}/ (links in mail use "
               f"{config.web.base_url or 'nothing: web.base_url is not set'}); Ctrl-C stops", err=True)
    # one line per request, and uvicorn's own notices, whatever the verbosity
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).setLevel(min(logging.INFO, logging.getLogger().level))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, proxy_headers=True,
                                           server_header=False, timeout_graceful_shutdown=10))
    server.run(sockets=[listener])


@cli.group()
def sources() -> None:
    """Admin tools for sources: try one now, find a site's feeds and sitemaps."""


@sources.command("test")
@config_option
@click.argument("name")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Articles to fetch and extract.")
@click.option("--file", "saved", type=click.Path(dir_okay=False, path_type=Path),
              help="Read this saved listing page, feed or sitemap instead of the live one "
                   "(offline: shows the links it would follow).")
def sources_test(config_path: Path, name: str, limit: int, saved: Path | None) -> None:
    """Fetch a source now and show the links found and the first articles' extraction, with
    warnings; nothing is stored."""
    from digest.stages import saved_links, try_source

    config = _load(config_path)
    try:
        source = config.source(name)
    except KeyError:
        raise InputError(f"no source named {name!r} (sources: "
                         f"{', '.join(s.name for s in config.sources)})") from None
    if saved is not None:
        links = saved_links(source, saved)
        click.echo(f"{name}: {len(links)} links in {saved}")
        for url, title in links:
            click.echo(f"  {url}" + (f"  {title}" if title else ""))
        if not links:
            click.echo(f"warning: no links found: check `links: {source.links}`" if source.links
                       else "warning: no links found", err=True)
            sys.exit(1)
        return
    trial = try_source(config, name, limit)
    r = trial.report
    click.echo(f"{name}: {'ok' if r.ok else 'FAILED'}  links {r.links}  fetched {r.fetched}  "
               f"extracted {r.stored}  duplicates {r.duplicates}  no text {r.no_text}  "
               f"{r.seconds:.1f}s")
    for article in trial.articles:
        when = article.published.isoformat() if article.published else "no date"
        click.echo(f"\n  {article.title}\n  {article.url}\n  {when} · {article.language or '?'} · "
                   f"{len(article.text)} characters")
        click.echo("  " + " ".join(article.text.split())[:300])
    for warning in trial.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not r.ok or r.links == 0:
        sys.exit(1)


@sources.command("discover")
@config_option
@click.argument("url")
def sources_discover(config_path: Path, url: str) -> None:
    """Find a site's feeds and sitemaps and print a ready config entry."""
    from digest.stages import discover_source

    user_agent = "DigestBot/0.1 (source discovery)"
    if config_path.exists():
        config = _load(config_path)
        user_agent = config.crawl.user_agent or user_agent
    found, entry = discover_source(url, user_agent=user_agent)
    if not found:
        click.echo(f"no feed or sitemap found for {url}; use kind: listing with a `links` "
                   "selector (try it with `digest sources test NAME`)", err=True)
        sys.exit(1)
    for c in found:
        click.echo(f"{c.kind:<8} {c.entries:>5} entries  {c.url}  ({c.found_by})"
                   + (f"  {c.title}" if c.title else "") + (f"  [{c.note}]" if c.note else ""))
    if not entry:
        click.echo(f"\nnothing on {url}'s own site to propose; the addresses above are on other "
                   "sites: run discover on them if they are the same publisher's", err=True)
        sys.exit(1)
    click.echo("\n# paste under `sources:` in config.yaml")
    click.echo(entry)


@cli.group()
def subscribers() -> None:
    """Manage subscribers kept in the database (besides those listed in config.yaml)."""


@subscribers.command("add")
@config_option
@click.argument("email")
@click.option("--name", help="Display name (greeting and To: header).")
@click.option("--timezone", metavar="ZONE", help="IANA zone, e.g. Europe/Paris (default: the config's).")
@click.option("--send-at", metavar="HH:MM", help="Local time to send (default: digest.send_at).")
@click.option("--topic", "topics", multiple=True, help="Only stories mentioning this (repeatable).")
@click.option("--exclude", multiple=True, help="Leave out stories mentioning this (repeatable).")
@click.option("--source", "sources", multiple=True, help="Only stories from this source (repeatable).")
@click.option("--language", "languages", multiple=True,
              help="Only stories reported in this language code, the first preferred (repeatable).")
@click.option("--max-stories", type=int, help="At most this many stories.")
@click.option("--frequency", type=click.Choice(["daily", "weekly"]),
              help="Daily, or weekly (the week's most important stories); default: digest.frequency.")
@click.option("--weekday", type=click.Choice(list(WEEKDAYS)),
              help="The day a weekly digest goes out (default: digest.weekday).")
def subscribers_add(config_path: Path, email: str, **options: Any) -> None:
    """Add a subscriber, or update one added before."""
    from pydantic import ValidationError

    from digest.config import SubscriberConfig
    from digest.stages import open_store

    config = _load(config_path)
    fields = {k: v for k, v in options.items() if v not in (None, ())}
    try:
        sub = SubscriberConfig.model_validate({"email": email, **fields})
    except ValidationError as e:
        raise InputError("; ".join(f"{'.'.join(map(str, err['loc'])) or 'email'}: {err['msg']}"
                                   for err in e.errors())) from None
    unknown = [n for n in sub.sources if n not in {s.name for s in config.sources}]
    if unknown:
        raise InputError(f"--source: no source named {', '.join(map(repr, unknown))} in the config")
    if any(c.email.lower() == sub.email.lower() for c in config.subscribers):
        raise InputError(f"{sub.email} is listed in {config_path}: change it there")
    store = open_store(config)
    added = store.add_subscriber(
        sub.email, name=sub.name, timezone=sub.timezone,
        send_at=sub.send_at.strftime("%H:%M") if sub.send_at else None,
        topics=list(sub.topics), exclude=list(sub.exclude), sources=list(sub.sources),
        languages=list(sub.languages), max_stories=sub.max_stories, frequency=sub.frequency,
        weekday=sub.weekday)
    click.echo(f"{'added' if added else 'updated'} {sub.email}")


@subscribers.command("remove")
@config_option
@click.argument("email")
def subscribers_remove(config_path: Path, email: str) -> None:
    """Unsubscribe someone (they get no more digests, even if config.yaml lists them)."""
    from digest.stages import open_store

    config = _load(config_path)
    store = open_store(config)
    if not store.remove_subscriber(email):
        raise InputError(f"no active subscriber {email!r}")
    listed = any(c.email.lower() == email.lower() for c in config.subscribers)
    click.echo(f"removed {email}" + (f" (also delete it from {config_path})" if listed else ""))


@subscribers.command("list")
@config_option
@click.option("--all", "show_all", is_flag=True, help="Include unsubscribed ones.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def subscribers_list(config_path: Path, show_all: bool, as_json: bool) -> None:
    """List subscribers: from config.yaml and added here."""
    from digest.stages import open_store

    config = _load(config_path)
    store = open_store(config)
    for sub in store.subscribers(active_only=not show_all):
        record = {"email": sub.email, "name": sub.name, "origin": sub.origin, "active": sub.active,
                  "timezone": sub.timezone, "send_at": sub.send_at.strftime("%H:%M"),
                  "topics": list(sub.topics), "exclude": list(sub.exclude),
                  "sources": list(sub.sources), "languages": list(sub.languages),
                  "max_stories": sub.max_stories, "frequency": sub.frequency,
                  **({"weekday": sub.weekday} if sub.frequency == "weekly" else {})}
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        filters = " ".join(f"{k}={','.join(map(str, v))}"
                           for k in ("topics", "exclude", "sources", "languages")
                           if isinstance(v := record[k], list) and v)
        state = "" if sub.active else "  (unsubscribed)"
        weekly = f" weekly:{sub.weekday}" if sub.frequency == "weekly" else ""
        click.echo(f"{sub.email:<36} {record['timezone']:<20} {record['send_at']}  {sub.origin:<6}"
                   f"{weekly} {filters}{state}".rstrip())


@cli.command()
@click.option("--out", "out_dir", default="demo-out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo's database, config and outbox (emptied first).")
def demo(out_dir: Path) -> None:
    """Offline: serve the bundled sample sites on 127.0.0.1, run the whole pipeline, and
    write the digest to an outbox folder."""
    from digest.demo import WEB_PORT, run_demo

    result = run_demo(out_dir.resolve())
    _print_crawl_report(result.report.crawl)
    click.echo(f"{result.report.crawl.stories} stories")
    if result.report.send is not None:
        _print_send_report(result.report.send, dry_run=False)
    click.echo("")
    click.echo(f"Digest email (.eml): {result.eml}")
    click.echo(f"Digest as a web page: {result.html}")
    click.echo(f"Plain-text version:   {result.text}")
    click.echo(f"Config used:          {result.config}")
    click.echo("")
    click.echo("The links in the mail (view in browser, preferences, unsubscribe) go to the web app;")
    click.echo(f"to follow them, run:  digest serve --config {result.config} --port {WEB_PORT}")
    click.echo(f"then open http://127.0.0.1:{WEB_PORT}/digests/")


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the CLI; DigestError becomes one message and its exit code."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="digest",
                 standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(2 if isinstance(e, click.UsageError) else e.exit_code)
    except ConfigError as e:
        for problem in e.problems:
            click.echo(f"Error: {e.path}: {problem}", err=True)
        sys.exit(e.exit_code)
    except DigestError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(e.exit_code)
    sys.exit(0)

