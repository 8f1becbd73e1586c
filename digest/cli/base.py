"""The ``digest`` command line: the composition root.

Each command loads config.yaml once (``--config``, default ``./config.yaml``), builds the
store, renderer and transport it needs, and runs one stage or the whole pipeline. A command
imports what it uses when it runs: ``digest extract`` and ``--help`` load no database,
template or mail code. Errors the project raises on purpose are printed as one ``Error:``
line; exit codes: 0 ok, 1 some work failed, 2 bad input or config. The commands are in
:mod:`.pipeline`, :mod:`.sources` and :mod:`.subscribers`; this module holds the group, what
they share and :func:`main`.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from digest import logs
from digest.errors import ConfigError, DigestError, InputError
from digest.text import plural

if TYPE_CHECKING:
    from digest.config import Config
    from digest.deliver import SendReport
    from digest.stages import CrawlReport

__all__ = ["cli", "config_option", "load", "main", "parse_iso", "parse_since", "print_crawl_report",
           "print_send_report"]

log = logging.getLogger("digest")

config_option = click.option(
    "--config", "config_path", default="config.yaml", show_default=True,
    type=click.Path(dir_okay=False, path_type=Path), help="The configuration file.",
)


def load(path: Path) -> Config:
    from digest.config import load_config

    return load_config(path)


def parse_since(value: str | None, default_hours: float, now: datetime) -> datetime:
    if value is None:
        return now - timedelta(hours=default_hours)
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return now - timedelta(hours=float(value))
    return parse_iso(value, "--since")


def parse_iso(value: str, option: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not an ISO date/time or a number of hours") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def print_crawl_report(report: CrawlReport) -> None:
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


def print_send_report(report: SendReport, *, dry_run: bool) -> None:
    if dry_run:
        for email, day, titles in report.planned:
            click.echo(f"would send {day} to {email}: {plural(len(titles), 'story', 'stories')}")
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
    for email, reason in report.suspended:
        click.echo(f"suspended {email} (hard bounces on three days; `digest subscribers add` "
                   f"lifts it): {reason}", err=True)
    if report.stopped:
        click.echo(f"stopped: {report.stopped} digests left for the next run", err=True)
    if not (report.planned or report.sent or report.skipped or report.retry or report.failed
            or report.suspended):
        click.echo("nothing due")


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

