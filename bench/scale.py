"""Benchmark scaling out: a crawl shared through Redis, parallel senders on PostgreSQL, and the
same end-to-end run on SQLite and on PostgreSQL. Servers are real and local: Debian's
PostgreSQL and Redis on loopback ports (tests/servers.py), article sites on 127.0.0.x
addresses (one per source, so each has its own per-site politeness slot), an SMTP sink that
records every recipient.

- crawl: ``--pages`` article pages in ``--sources`` RSS feeds, each answer delayed by
  ``--latency`` (a remote site); ``digest crawl`` alone, then with 1 and 3 ``--worker``
  processes (1, 2 and 4 processes): pages/s, and whether every page was fetched exactly once;
- send: ``--deliveries`` digests to as many subscribers by 1 and by 4 ``digest send``
  processes on PostgreSQL: messages/s, duplicates, missing;
- end to end: ``digest run`` on the bundled sample sites with 1,000 subscribers, on SQLite and
  on PostgreSQL: seconds per stage.

    python -m bench.scale [--pages 10000] [--sources 20] [--latency 0.05] [--concurrency 4]
                          [--deliveries 20000] [--only crawl|send|end-to-end]

Nothing here reads ../shared/data: the pages are generated.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.mail import run_fast_sink
from tests.servers import PostgresCluster, RedisServer, ServerUnavailable, free_port

ROOT = Path(__file__).resolve().parent.parent

WORDS = ["minister", "delegation", "ceasefire", "agreement", "summit", "sanctions", "embassy",
         "talks", "border", "treaty", "envoy", "parliament", "election", "tariffs", "aid",
         "corridor", "monitoring", "mission", "statement"]


# --- the sites -----------------------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    request_queue_size = 1024  # the default backlog of 5 resets connections under this load
    daemon_threads = True


class Sites:
    """``sources`` news sites on 127.0.0.2, 127.0.0.3, … each with an RSS feed of its share of
    the pages; every request is counted, article answers wait ``latency`` seconds."""

    def __init__(self, pages: int, sources: int, latency: float) -> None:
        self.pages, self.sources, self.latency = pages, sources, latency
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.port = free_port()
        self.servers = [_Server((self.host(i), self.port), self.handler()) for i in range(sources)]
        self.now = datetime.now(UTC)

    @staticmethod
    def host(i: int) -> str:
        return f"127.0.0.{i + 2}"

    def feed(self, i: int) -> bytes:
        items = "".join(
            f"<item><title>Report {n}</title><link>http://{self.host(i)}:{self.port}/a/{n}.html</link>"
            f"<pubDate>{format_datetime(self.now - timedelta(seconds=n))}</pubDate></item>"
            for n in range(i, self.pages, self.sources))
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site {i}</title>'
                f"{items}</channel></rss>").encode()

    @staticmethod
    def article(n: int) -> bytes:
        sentences = " ".join(
            f"The {WORDS[(n + j) % len(WORDS)]} of region {n} met the {WORDS[(n * 7 + j) % len(WORDS)]} "
            f"envoy on day {j} and issued note {n}-{j}." for j in range(40))
        return (f"<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1>"
                f"<p>{sentences}</p></article></body></html>").encode()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        sites = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host = self.headers.get("Host", "").split(":")[0]
                with sites.lock:
                    sites.hits[f"{host}{self.path}"] += 1
                if self.path == "/rss.xml":
                    body, kind = sites.feed(int(host.rsplit(".", 1)[1]) - 2), "application/rss+xml"
                elif self.path.startswith("/a/"):
                    time.sleep(sites.latency)
                    body, kind = sites.article(int(self.path[3:-5])), "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> Sites:
        for server in self.servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def article_hits(self) -> Counter[str]:
        return Counter({k: v for k, v in self.hits.items() if "/a/" in k})


# --- helpers -------------------------------------------------------------------------------------

def digest(*args: str, **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "digest", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def finish(proc: subprocess.Popen[str], what: str, timeout: float = 3600) -> str:
    out, err = proc.communicate(timeout=timeout)
    if proc.returncode not in (0, -signal.SIGTERM):
        raise SystemExit(f"{what} failed (exit {proc.returncode}):\n{err[-3000:]}")
    return out


class Sink:
    """bench/mail.py's fast SMTP sink, recording every accepted recipient in a file."""

    def __init__(self, folder: Path) -> None:
        self.port, self.path = free_port(), folder / "recipients.txt"
        ready, counter = multiprocessing.Event(), multiprocessing.Value("i", 0)
        self.proc = multiprocessing.Process(target=run_fast_sink, daemon=True,
                                            args=(self.port, ready, counter, str(self.path)))
        self.proc.start()
        ready.wait(30)

    def recipients(self) -> Counter[str]:
        return Counter(self.path.read_text().split()) if self.path.exists() else Counter()

    def reset(self) -> None:
        self.path.write_text("")  # the sink appends to the same open file


# --- crawl ---------------------------------------------------------------------------------------

def crawl_config(folder: Path, database: str, frontier: str, sites: Sites, concurrency: int) -> Path:
    sources = "".join(
        f'  - {{name: site{i}, kind: feed, url: "http://{sites.host(i)}:{sites.port}/rss.xml", '
        f"max_articles: 100000}}\n" for i in range(sites.sources))
    path = folder / "crawl.yaml"
    path.write_text(f"""\
database: "{database}"
sources:
{sources}mail: {{from: "digest@example.org", outbox: outbox}}
crawl:
  frontier: "{frontier}"
  worker_idle_seconds: 60
  obey_robots: false
  delay: 0
  autothrottle: false
  concurrency_per_domain: {concurrency}
  http_cache: null
  source_timeout: 3600
""")
    return path


def bench_crawl(args: argparse.Namespace, folder: Path, pg: PostgresCluster, redis_url: str) -> None:
    import redis

    print(f"\ncrawl: {args.pages} pages in {args.sources} feeds (one host each), "
          f"{args.latency * 1000:.0f} ms per article answer, {args.concurrency} requests at a "
          f"time per host and process; {os.cpu_count()} CPUs")
    print(f"{'processes':>10} {'pages/s':>9} {'seconds':>9} {'each page once':>15}")
    for processes in args.processes:
        redis.Redis.from_url(redis_url).flushdb()
        with Sites(args.pages, args.sources, args.latency) as sites:
            config = crawl_config(folder, pg.database(), redis_url, sites, args.concurrency)
            migrate = digest("check-config", "--config", str(config))
            finish(migrate, "check-config")
            workers = [digest("crawl", "--worker", "--config", str(config))
                       for _ in range(processes - 1)]
            time.sleep(3 if workers else 0)  # let them start and wait for work
            started = time.perf_counter()
            coordinator = digest("crawl", "--config", str(config))
            finish(coordinator, "crawl")
            seconds = time.perf_counter() - started
            for w in workers:
                w.send_signal(signal.SIGTERM)
            for w in workers:
                finish(w, "crawl --worker")
            hits = sites.article_hits()
            once = len(hits) == args.pages and set(hits.values()) == {1}
            again = sum(1 for n in hits.values() if n > 1)
            verdict = "yes" if once else f"NO: {len(hits)} pages, {again} fetched again"
            print(f"{processes:>10} {args.pages / seconds:>9.1f} {seconds:>9.1f} {verdict:>15}")


# --- send ----------------------------------------------------------------------------------------

def send_config(folder: Path, database: str, sink_port: int, name: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"""\
database: "{database}"
sources:
  - {{name: wire, kind: feed, url: "http://127.0.0.1:9/rss.xml"}}
  - {{name: ministry, kind: feed, url: "http://127.0.0.1:9/mfa.xml", official: true}}
mail:
  from: "Digest Desk <digest@example.org>"
  smtp: {{host: 127.0.0.1, port: {sink_port}, timeout: 30}}
  retries: 0
digest: {{send_at: "00:00", max_stories: 10}}
""")
    return path


def prepare_send(config_path: Path, subscribers: int) -> None:
    """Stories from a few articles, and ``subscribers`` subscribers, straight into the store."""
    from digest.config import load_config
    from digest.domain import NewArticle
    from digest.models import SubscriberRow
    from digest.stages import build_stories, open_store

    config = load_config(config_path)
    store = open_store(config)
    store.sync_sources(config.sources)
    now = datetime.now(UTC)
    for i, topic in enumerate(["ceasefire talks in Geneva", "a summit on trade in Jakarta",
                               "an earthquake appeal in Nairobi"]):
        for source in ("wire", "ministry"):
            store.add_article(NewArticle(
                source=source, url=f"https://{source}.example/{i}", title=f"Report on {topic}",
                text=f"Officials described {topic} on Friday. " * 3 + f"Talks on {topic} go on.",
                published=now - timedelta(hours=i + 1)))
    build_stories(config, store, now)
    with store.session() as s:
        s.add_all(SubscriberRow(email=f"reader{n}@example.org", name=f"Reader {n}", origin="cli")
                  for n in range(subscribers))
    store.close()


def bench_send(args: argparse.Namespace, folder: Path, pg: PostgresCluster, sink: Sink) -> None:
    print(f"\nsend: {args.deliveries} digests on PostgreSQL to an SMTP sink on loopback")
    print(f"{'senders':>8} {'messages/s':>11} {'seconds':>9} {'duplicates':>11} {'missing':>8}")
    for senders in (1, 4):
        sink.reset()
        config = send_config(folder, pg.database(), sink.port, f"send{senders}")
        prepare_send(config, args.deliveries)
        started = time.perf_counter()
        procs = [digest("send", "--config", str(config)) for _ in range(senders)]
        for p in procs:
            finish(p, "send")
        seconds = time.perf_counter() - started
        got = sink.recipients()
        duplicates = sum(n - 1 for n in got.values())
        missing = args.deliveries - len(got)
        print(f"{senders:>8} {sum(got.values()) / seconds:>11.0f} {seconds:>9.1f} "
              f"{duplicates:>11} {missing:>8}")


# --- end to end ----------------------------------------------------------------------------------

def bench_end_to_end(folder: Path, pg: PostgresCluster, sink: Sink, subscribers: int = 1000) -> None:
    from digest.samples import SampleSites, sample_config

    print(f"\nend to end: `digest run` on the sample sites, {subscribers} subscribers; seconds per stage")
    rows = {}
    with SampleSites() as sites:
        for backend in ("sqlite", "postgresql"):
            sink.reset()
            database = (f"sqlite:///{folder / 'e2e.db'}" if backend == "sqlite" else pg.database())
            text = sample_config(sites.base_url, database=database, outbox="outbox")
            text = text.replace("  outbox: outbox\n",
                                f"  smtp: {{host: 127.0.0.1, port: {sink.port}, timeout: 30}}\n")
            config = folder / f"e2e-{backend}.yaml"
            config.write_text(text)
            finish(digest("check-config", "--config", str(config)), "check-config")
            prepare_subscribers(config, subscribers)
            started = time.perf_counter()
            finish(digest("run", "--config", str(config)), "run")
            total = time.perf_counter() - started
            status = json.loads(finish(digest("status", "--json", "--config", str(config)), "status"))
            stages = next(r for r in status["runs"] if r["command"] == "run")["summary"]["stages"]
            rows[backend] = (stages, total, sum(sink.recipients().values()))
    names = list(next(iter(rows.values()))[0])
    print(f"{'backend':>11} " + " ".join(f"{n:>9}" for n in names) + f" {'total':>9} {'mails':>7}")
    for backend, (stages, total, mails) in rows.items():
        print(f"{backend:>11} " + " ".join(f"{stages.get(n, 0):>9.2f}" for n in names)
              + f" {total:>9.2f} {mails:>7}")


def prepare_subscribers(config_path: Path, subscribers: int) -> None:
    from digest.config import load_config
    from digest.models import SubscriberRow
    from digest.stages import open_store

    store = open_store(load_config(config_path))
    with store.session() as s:
        s.add_all(SubscriberRow(email=f"reader{n}@example.org", origin="cli")
                  for n in range(subscribers))
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=4,
                        help="crawl.concurrency_per_domain (per process)")
    parser.add_argument("--processes", type=lambda v: [int(n) for n in v.split(",")],
                        default=[1, 2, 4], help="crawl processes to try, e.g. 1,2,4")
    parser.add_argument("--deliveries", type=int, default=20_000)
    parser.add_argument("--only", choices=["crawl", "send", "end-to-end"])
    args = parser.parse_args()
    try:
        redis_server = RedisServer()
        pg_folder = Path(tempfile.mkdtemp(prefix="digest-bench-pg-"))
        pg = PostgresCluster(pg_folder)
    except ServerUnavailable as e:
        print(f"bench/scale.py: {e}; nothing measured.")
        return 2
    pg.start()
    try:
        with redis_server, tempfile.TemporaryDirectory(prefix="digest-bench-scale-") as tmp:
            folder = Path(tmp)
            os.chdir(folder)
            if args.only in (None, "crawl"):
                bench_crawl(args, folder, pg, redis_server.url)
            sink = Sink(folder)
            if args.only in (None, "send"):
                bench_send(args, folder, pg, sink)
            if args.only in (None, "end-to-end"):
                bench_end_to_end(folder, pg, sink)
            sink.proc.terminate()
    finally:
        pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
