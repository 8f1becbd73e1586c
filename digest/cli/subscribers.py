"""``digest subscribers``: the subscribers kept in the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from digest.cli.base import (
    cli,
    config_option,
    load,
)
from digest.domain import WEEKDAYS
from digest.errors import InputError

if TYPE_CHECKING:
    pass

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

    config = load(config_path)
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
        send_at=sub.send_at,
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


