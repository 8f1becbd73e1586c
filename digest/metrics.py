"""``/metrics`` in Prometheus' text format (prometheus-client), read from the database on each
scrape: every process that works (cron runs, the daemon, ``digest send``) records its runs
there, so the web app reports them all without sharing memory with them.

Runs by command and outcome, each stage's seconds in its latest run, seconds since the last
completed crawl and send, pages fetched, sources failing, deliveries by status, bounces by
kind and subscribers by state.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from digest.store import Store

__all__ = ["CONTENT_TYPE", "scrape"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
DELIVERY_STATUSES = ("pending", "sending", "sent", "failed")
BOUNCE_KINDS = ("hard", "soft", "complaint")


class _StoreCollector(Collector):
    def __init__(self, stats: dict[str, Any]) -> None:
        self.stats = stats

    def collect(self) -> Iterator[Metric]:
        stats = self.stats
        runs = CounterMetricFamily("digest_runs", "Runs recorded, by command and outcome.",
                                   labels=["command", "status"])
        for (command, status), count in sorted(stats["runs"].items()):
            runs.add_metric([command, status], count)
        yield runs
        seconds = GaugeMetricFamily("digest_stage_seconds",
                                    "Seconds each stage took in its command's latest run.",
                                    labels=["command", "stage"])
        for (command, stage), value in sorted(stats["stage_seconds"].items()):
            seconds.add_metric([command, stage], value)
        yield seconds
        since = GaugeMetricFamily(
            "digest_seconds_since_last_completed",
            "Seconds since a run last completed this stage (crawl, stories, send); absent: never.",
            labels=["stage"])
        last = GaugeMetricFamily("digest_last_completed_timestamp_seconds",
                                 "When a run last completed this stage (Unix time).",
                                 labels=["stage"])
        now = time.time()
        for stage, finished in sorted(stats["last_completed"].items()):
            since.add_metric([stage], max(0.0, now - finished.timestamp()))
            last.add_metric([stage], finished.timestamp())
        yield since
        yield last
        yield CounterMetricFamily("digest_pages_fetched", "Article pages fetched (every source).",
                                  value=stats["pages_fetched"])
        yield GaugeMetricFamily("digest_articles", "Articles stored.", value=stats["articles"])
        yield GaugeMetricFamily("digest_sources", "Sources configured.", value=stats["sources"])
        yield GaugeMetricFamily("digest_sources_failing",
                                "Sources whose last crawl failed.", value=stats["sources_failing"])
        deliveries = GaugeMetricFamily("digest_deliveries", "Deliveries by status.",
                                       labels=["status"])
        for status in sorted({*DELIVERY_STATUSES, *stats["deliveries"]}):
            deliveries.add_metric([status], stats["deliveries"].get(status, 0))
        yield deliveries
        bounces = CounterMetricFamily("digest_bounces", "Bounces and complaints kept, by kind.",
                                      labels=["kind"])
        for kind in sorted({*BOUNCE_KINDS, *stats["bounces"]}):
            bounces.add_metric([kind], stats["bounces"].get(kind, 0))
        yield bounces
        subscribers = GaugeMetricFamily("digest_subscribers", "Subscribers by state.",
                                        labels=["state"])
        for state, count in sorted(stats["subscribers"].items()):
            subscribers.add_metric([state], count)
        yield subscribers


def scrape(store: Store) -> bytes:
    """The metrics as Prometheus' text exposition format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_StoreCollector(store.stats()))
    return generate_latest(registry)
