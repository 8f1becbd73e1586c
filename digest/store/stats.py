"""Counts for monitoring (``/metrics``, ``/healthz``): read from the database, which every
process (cron runs, the daemon, the web app) writes, so one scrape sees them all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text

from digest.models import (
    ArticleRow,
    BounceRow,
    DeliveryRow,
    RunRow,
    SeenUrlRow,
    SourceRow,
    SubscriberRow,
)
from digest.store._database import Database

RECENT_RUNS = 500  # the runs read for the last completed stages


class StatsStore(Database):
    """What monitoring reads."""

    def ping(self) -> None:
        """Raise unless the database answers and holds the schema (a query on a table)."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1 FROM meta LIMIT 1")).first()

    def stats(self) -> dict[str, Any]:
        """Runs by command and status, the last completed crawl and send, pages fetched,
        sources failing, deliveries by status, bounces by kind, subscribers by state."""
        with self.session() as s:
            runs = {(c, st): int(n) for c, st, n in s.execute(
                select(RunRow.command, RunRow.status, func.count())
                .group_by(RunRow.command, RunRow.status))}
            recent = s.execute(select(RunRow.command, RunRow.status, RunRow.finished_at,
                                      RunRow.summary)
                               .where(RunRow.finished_at.is_not(None))
                               .order_by(RunRow.started_at.desc()).limit(RECENT_RUNS)).all()
            deliveries = {st: int(n) for st, n in s.execute(
                select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status))}
            bounces = {k: int(n) for k, n in s.execute(
                select(BounceRow.kind, func.count()).group_by(BounceRow.kind))}
            subscribers = {
                "active": s.scalar(select(func.count()).where(
                    SubscriberRow.active.is_(True), SubscriberRow.suspended_at.is_(None))) or 0,
                "suspended": s.scalar(select(func.count()).where(
                    SubscriberRow.active.is_(True), SubscriberRow.suspended_at.is_not(None))) or 0,
                "inactive": s.scalar(select(func.count()).where(
                    SubscriberRow.active.is_(False))) or 0,
            }
            sources = s.scalar(select(func.count()).select_from(SourceRow)) or 0
            failing = s.scalar(select(func.count()).where(SourceRow.consecutive_failures > 0)) or 0
            pages = s.scalar(select(func.count()).select_from(SeenUrlRow)) or 0
            articles = s.scalar(select(func.count()).select_from(ArticleRow)) or 0
        last: dict[str, datetime] = {}
        stage_seconds: dict[tuple[str, str], float] = {}
        for command, status, finished, summary in recent:
            stages = (summary or {}).get("stages") or {}
            for stage, seconds in stages.items() if isinstance(stages, dict) else ():
                stage_seconds.setdefault((command, stage), float(seconds))
                if status in ("ok", "partial") and stage not in last:
                    last[stage] = finished
        return {"runs": runs, "last_completed": last, "stage_seconds": stage_seconds,
                "deliveries": deliveries, "bounces": bounces, "subscribers": subscribers,
                "sources": sources, "sources_failing": failing, "pages_fetched": pages,
                "articles": articles}
