"""The web app under a burst of requests for stories that are not there, with a year of archive.

A store gets 365 daily editions of 30 stories each (the stories of real-looking days, made
here); then ``digest serve`` runs as a real process and 20 clients at once ask for story ids
that are nowhere, 400 requests in all, while one more client asks ``/healthz`` every 100 ms.
Printed: requests per second for the misses, their median and 95th percentile, and the health
check's worst wait (a server that reads the archive on its event loop makes everyone wait).

Usage: python -m bench.web [--days 365] [--requests 400] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx2 as httpx

from digest.config import load_config
from digest.domain import Highlight, Story, StorySource
from digest.stages import open_store


def _stories(day: date, count: int) -> list[Story]:
    when = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8)
    return [Story(id=f"s{day:%Y%m%d}{n:04d}", title=f"Story {n} of {day}", first_published=when,
                  updated=when, highlights=(Highlight("Ministers met in the capital on Monday."),),
                  summary="They agreed to meet again. " * 8, score=float(count - n),
                  sources=(StorySource(article_id=n, name="wire", display_name="Wire",
                                       url=f"https://wire.example/{day}/{n}", title=f"Report {n}",
                                       published=when, official=False),))
            for n in range(count)]


async def _burst(base: str, total: int, concurrency: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    worst_health = 0.0
    done = asyncio.Event()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async def health() -> None:
            nonlocal worst_health
            while not done.is_set():
                started = time.perf_counter()
                await client.get("/healthz")
                worst_health = max(worst_health, time.perf_counter() - started)
                await asyncio.sleep(0.1)

        async def worker(count: int) -> None:
            for n in range(count):
                started = time.perf_counter()
                response = await client.get(f"/stories/smissing{n:07d}")
                assert response.status_code == 404
                latencies.append(time.perf_counter() - started)

        watcher = asyncio.create_task(health())
        await asyncio.gather(*(worker(total // concurrency) for _ in range(concurrency)))
        done.set()
        await watcher
    return latencies, worst_health


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "config.yaml").write_text(
            f'database: "sqlite:///{folder}/digest.db"\nsources:\n'
            '  - {name: wire, kind: feed, url: "https://wire.example/rss"}\n'
            'mail: {from: "d@example.org", outbox: outbox}\n')
        store = open_store(load_config(folder / "config.yaml"))
        first = date.today() - timedelta(days=args.days)
        for n in range(args.days):
            day = first + timedelta(days=n)
            store.save_edition(day, _stories(day, 30))
        store.close()
        port = 18000 + os.getpid() % 1000
        server = subprocess.Popen([sys.executable, "-m", "digest", "serve", "--config",
                                   str(folder / "config.yaml"), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            started = time.perf_counter()
            latencies, worst = asyncio.run(_burst(base, args.requests, args.concurrency))
            seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=20)
    latencies.sort()
    median, p95 = statistics.median(latencies), latencies[int(0.95 * len(latencies))]
    print(f"{args.days} editions, {len(latencies)} requests for missing stories, {args.concurrency} at "
          f"once: {len(latencies) / seconds:.0f} requests/s, median {median * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms; /healthz waited at most {worst * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
