"""``digest subscribers``: the subscribers kept in the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from digest.cli.base import (
    cli,
    config_option,
    load,
)
from digest.domain import WEEKDAYS
from digest.errors import InputError


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

    from digest.config import SubscriberConfig, problem
    from digest.stages import open_store

    config = load(config_path)
    fields = {k: v for k, v in options.items() if v not in (None, ())}
    try:
        sub = SubscriberConfig.model_validate({"email": email, **fields})
    except ValidationError as e:
        raise InputError("; ".join(f"{_option(err['loc'], email)}: {problem(err)}"
                                   for err in e.errors())) from None
    unknown = [n for n in sub.sources if n not in {s.name for s in config.sources}]
    if unknown:
        raise InputError(f"--source: no source named {', '.join(map(repr, unknown))} in the config")
    if any(c.email.lower() == sub.email.lower() for c in config.subscribers):
        raise InputError(f"{sub.email} is listed in {config_path}: change it there")
    store = open_store(config)
    added = store.add_subscriber(
        sub.email, name=sub.name, timezone=sub.timezone,
        send_at=sub.send_at,
        topics=list(sub.topics), exclude=list(sub.exclude), sources=list(sub.sources),
        languages=list(sub.languages), max_stories=sub.max_stories, frequency=sub.frequency,
        weekday=sub.weekday)
    click.echo(f"{'added' if added else 'updated'} {sub.email}")


def _option(loc: tuple[Any, ...], email: str) -> str:
    """The option a validation error is about, as typed: ``--language``, or the address."""
    field = str(loc[0]) if loc else "email"
    if field == "email":
        return repr(email)
    return "--" + _OPTIONS.get(field, field).replace("_", "-")


_OPTIONS = {"languages": "language", "topics": "topic", "sources": "source"}


@subscribers.command("remove")
@config_option
@click.argument("email")
def subscribers_remove(config_path: Path, email: str) -> None:
    """Unsubscribe someone (they get no more digests, even if config.yaml lists them)."""
    from digest.stages import open_store

    config = load(config_path)
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

    config = load(config_path)
    store = open_store(config)
    for sub in store.subscribers(active_only=not show_all):
        record = {"email": sub.email, "name": sub.name, "origin": sub.origin, "active": sub.active,
                  "timezone": sub.timezone, "send_at": sub.send_at.strftime("%H:%M"),
                  "topics": list(sub.topics), "exclude": list(sub.exclude),
                  "sources": list(sub.sources), "languages": list(sub.languages),
                  "max_stories": sub.max_stories, "frequency": sub.frequency,
                  **({"weekday": sub.weekday} if sub.frequency == "weekly" else {}),
                  "suspended": (f"{sub.suspended_at:%Y-%m-%d}: {sub.suspended_reason}"
                                if sub.suspended_at is not None else None)}
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        filters = " ".join(f"{k}={','.join(map(str, v))}"
                           for k in ("topics", "exclude", "sources", "languages")
                           if isinstance(v := record[k], list) and v)
        state = ("  (unsubscribed)" if not sub.active else
                 f"  (suspended {record['suspended']})" if sub.suspended_at is not None else "")
        weekly = f" weekly:{sub.weekday}" if sub.frequency == "weekly" else ""
        click.echo(f"{sub.email:<36} {record['timezone']:<20} {record['send_at']}  {sub.origin:<6}"
                   f"{weekly} {filters}{state}".rstrip())




@subscribers.command("delete")
@config_option
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def subscribers_delete(config_path: Path, email: str, yes: bool) -> None:
    """Erase a subscriber: their address, name, choices, deliveries and bounces (the archive's
    editions, which name no one, stay). A subscriber listed in config.yaml must be deleted there
    too, or the next run adds them again."""
    from digest.stages import open_store

    config = load(config_path)
    store = open_store(config)
    sub = store.subscriber(email)
    if sub is None:
        raise InputError(f"no subscriber {email!r}")
    if not yes:
        click.confirm(f"Erase {sub.email} and every delivery to them?", abort=True)
    store.delete_subscriber(sub.id)
    listed = any(c.email.lower() == email.lower() for c in config.subscribers)
    click.echo(f"deleted {sub.email}" + (f" (also delete it from {config_path}, or the next run "
                                         "adds it again)" if listed else ""))


@subscribers.command("export")
@config_option
@click.argument("email")
def subscribers_export(config_path: Path, email: str) -> None:
    """Print, as JSON, everything kept about one subscriber: their row, deliveries and bounces."""
    from digest.stages import open_store

    config = load(config_path)
    store = open_store(config)
    sub = store.subscriber(email)
    record = store.subscriber_record(sub.id) if sub is not None else None
    if record is None:
        raise InputError(f"no subscriber {email!r}")
    click.echo(json.dumps(record, ensure_ascii=False, indent=2))


@cli.command("bounces")
@config_option
def bounces(config_path: Path) -> None:
    """Read the bounce mailbox (mail.bounce_maildir) now: keep the delivery failures and
    complaints mailed back since the last reading (each run does this before sending)."""
    from digest.stages import open_store, read_bounces

    config = load(config_path)
    if not config.mail.bounce_maildir:
        raise InputError("mail.bounce_maildir is not set in the config: there is no mailbox to read")
    report = read_bounces(config, open_store(config))
    assert report is not None
    if report.error:
        raise InputError(report.error)
    click.echo(", ".join(f"{k} {v}" for k, v in report.counts().items()))
    for who in report.suspended:
        click.echo(f"suspended {who}: hard bounces on three days")
    for who in report.unsubscribed:
        click.echo(f"unsubscribed {who}: a complaint")
