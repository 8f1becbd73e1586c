"""The pipeline's commands: check-config, crawl, extract, import, stories, highlights, preview,
send, run, schedule, status, serve and demo."""

from __future__ import annotations

import gzip
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from digest.cli.base import (
    cli,
    config_option,
    load,
    parse_iso,
    parse_since,
    print_crawl_report,
    print_send_report,
)
from digest.domain import Story, StoryChange
from digest.errors import InputError

if TYPE_CHECKING:
    from digest.render import DigestContent

@cli.command("check-config")
@config_option
def check_config(config_path: Path) -> None:
    """Validate the configuration; exit 2 with one line per problem."""
    config = load(config_path)
    from digest.text import plural

    disabled = len(config.sources) - len(config.enabled_sources)
    click.echo(f"{config_path}: OK ({plural(len(config.sources), 'source')}"
               + (f", {disabled} disabled" if disabled else "")
               + f", {plural(len(config.subscribers), 'subscriber')})")


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

    config = load(config_path)
    if worker and not config.crawl.frontier:
        raise InputError("--worker needs crawl.frontier (a redis:// URL) in the config")
    report = crawl_and_build(config, sources, command="crawl:worker" if worker else "crawl",
                             build=False, worker=worker)
    print_crawl_report(report)
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

    config = load(config_path)
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

    config = load(config_path)
    now = datetime.now(UTC)
    store = open_store(config)
    span_hours = story_span(config, store).total_seconds() / 3600
    start = parse_since(since, span_hours, now)
    end = parse_iso(until, "--until") if until else now
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

    config = load(config_path)
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

    report = send_due(load(config_path), dry_run=dry_run)
    print_send_report(report, dry_run=dry_run)
    if not report.ok:
        sys.exit(1)


@cli.command()
@config_option
def run(config_path: Path) -> None:
    """Crawl, build stories and send what is due, once: the cron entry point."""
    from digest.stages import run_once

    report = run_once(load(config_path))
    print_crawl_report(report.crawl)
    if report.send is None:
        click.echo("stopped before building stories and sending; run again to finish")
    else:
        click.echo(f"{report.crawl.stories} stories")
        print_send_report(report.send, dry_run=False)
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
    from digest.plan import planned_runs, send_groups
    from digest.schedule import Daemon
    from digest.stages import open_store

    config = load(config_path)
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
    begin = parse_iso(start, "--from") if start else datetime.now(UTC)
    for item in planned_runs(config, send_groups(store.subscribers()), begin, days):
        click.echo(json.dumps(item, ensure_ascii=False))


@cli.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status(config_path: Path, as_json: bool) -> None:
    """Last runs, next planned runs, locks, source health, pending and failed deliveries."""
    from digest.stages import open_store
    from digest.status import collect, format_text

    config = load(config_path)
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

    config = load(config_path)
    app = create_app(config, open_store(config), config_path=config_path)
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


@cli.command()
@click.option("--out", "out_dir", default="demo-out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo's database, config and outbox (emptied first).")
def demo(out_dir: Path) -> None:
    """Offline: serve the bundled sample sites on 127.0.0.1, run the whole pipeline, and
    write the digest to an outbox folder."""
    from digest.demo import WEB_PORT, run_demo

    result = run_demo(out_dir.resolve())
    print_crawl_report(result.report.crawl)
    click.echo(f"{result.report.crawl.stories} stories")
    if result.report.send is not None:
        print_send_report(result.report.send, dry_run=False)
    click.echo("")
    click.echo(f"Digest email (.eml): {result.eml}")
    click.echo(f"Digest as a web page: {result.html}")
    click.echo(f"Plain-text version:   {result.text}")
    click.echo(f"Config used:          {result.config}")
    click.echo("")
    click.echo("The links in the mail (view in browser, preferences, unsubscribe) go to the web app;")
    click.echo(f"to follow them, run:  {_this_command()} serve --config {result.config} "
               f"--port {WEB_PORT}")
    click.echo(f"then open http://127.0.0.1:{WEB_PORT}/digests/")




def _this_command() -> str:
    """How to type the command that is running: ``digest`` when that is what the PATH finds,
    else its path (``.venv/bin/digest`` after ``make demo``), or ``python -m digest``."""
    import os
    import shutil
    import sys

    def typed(path: str) -> str:
        relative = os.path.relpath(path)
        return relative if not relative.startswith("..") else path

    argv0 = Path(sys.argv[0])
    if argv0.name == "__main__.py":
        return f"{typed(sys.executable)} -m digest"
    found = shutil.which("digest")
    if found and Path(found).resolve() == argv0.resolve():
        return "digest"
    return typed(str(argv0.absolute()))
