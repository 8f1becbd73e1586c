"""When the daemon runs what: the crawl on ``schedule.crawl``, and one send job per (zone, send
time) that subscribers share. Read by the daemon (digest/schedule.py) to set its jobs, and by
``digest schedule --plan``, ``digest status`` and the admin page to show the runs to come,
without starting any scheduler."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

from digest.config import Config
from digest.domain import Subscriber
from digest.triggers import DailyAt, cron_trigger

__all__ = ["CRAWL_JOB", "SendGroup", "crawl_trigger", "planned_runs", "send_groups"]

CRAWL_JOB = "crawl"


@dataclass(frozen=True)
class SendGroup:
    """Subscribers who share a send time and a zone: one job."""

    timezone: str
    send_at: time
    subscribers: tuple[str, ...]

    @property
    def job_id(self) -> str:
        return f"send {self.timezone} {self.send_at:%H:%M}"

    def trigger(self) -> DailyAt:
        return DailyAt(self.send_at, self.timezone)


def send_groups(subscribers: list[Subscriber]) -> list[SendGroup]:
    groups: dict[tuple[str, time], list[str]] = {}
    for sub in subscribers:
        groups.setdefault((sub.timezone, sub.send_at), []).append(sub.email)
    return [SendGroup(zone, at, tuple(sorted(emails)))
            for (zone, at), emails in sorted(groups.items())]


def crawl_trigger(config: Config) -> BaseTrigger:
    return cron_trigger(config.schedule.crawl, config.timezone)


def planned_runs(config: Config, groups: list[SendGroup], start: datetime,
                 days: float) -> list[dict[str, Any]]:
    """Every run the daemon would start in [start, start + days), in time order."""
    end = start + timedelta(days=days)
    runs: list[dict[str, Any]] = []
    jobs: list[tuple[str, BaseTrigger, str, list[str]]] = [
        (CRAWL_JOB, crawl_trigger(config), config.timezone, [])
    ]
    jobs += [(g.job_id, g.trigger(), g.timezone, list(g.subscribers)) for g in groups]
    for job_id, trigger, zone, subscribers in jobs:
        for at in _fire_times(trigger, start, end):
            runs.append({
                "job": job_id,
                "at": at.astimezone(UTC).isoformat(),
                "local": at.astimezone(ZoneInfo(zone)).isoformat(),
                "subscribers": subscribers,
            })
    runs.sort(key=lambda r: (r["at"], r["job"]))
    return runs


def _fire_times(trigger: BaseTrigger, start: datetime, end: datetime) -> Iterator[datetime]:
    at = trigger.get_next_fire_time(None, start)
    while at is not None and at < end:
        yield at
        at = trigger.get_next_fire_time(at, at)
