"""``digest sources``: try a source now (live or from a saved page), find a site's feeds."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from digest.cli.base import (
    cli,
    config_option,
    load,
)
from digest.errors import InputError


@cli.group()
def sources() -> None:
    """Admin tools for sources: try one now, find a site's feeds and sitemaps, export or import
    an OPML subscription list."""


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

    config = load(config_path)
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
        config = load(config_path)
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




@sources.command("export")
@config_option
@click.option("--opml", "as_opml", is_flag=True, required=True,
              help="As an OPML 2.0 subscription list (the only format so far).")
def sources_export(config_path: Path, as_opml: bool) -> None:
    """Print the feed sources as an OPML 2.0 subscription list (tags as categories)."""
    from digest.source_admin import export_opml

    config = load(config_path)
    sys.stdout.buffer.write(export_opml(config))
    left = [s.name for s in config.sources if s.kind != "feed"]
    if left:
        click.echo(f"not in the list (OPML holds feeds): {', '.join(left)}", err=True)


@sources.command("import")
@config_option
@click.argument("opml_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--official", is_flag=True, help="Mark the imported feeds as official sources.")
def sources_import(config_path: Path, opml_file: Path, official: bool) -> None:
    """Add the feeds of an OPML file to config.yaml as feed sources (folders and categories
    become tags; comments in the file are kept; feeds a source has already are skipped)."""
    import getpass

    from digest.source_admin import import_opml
    from digest.stages import open_store

    config = load(config_path)
    try:
        data = opml_file.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read {opml_file}: {e.strerror}") from None
    report = import_opml(config_path, data, who=f"cli:{getpass.getuser()}",
                         store=open_store(config), official=official)
    for name in report.added:
        click.echo(f"added {name}")
    for url, why in report.skipped:
        click.echo(f"skipped {url}: {why}", err=True)
    click.echo(f"{len(report.added)} added, {len(report.skipped)} skipped")
