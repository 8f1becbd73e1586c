"""A crawl shared through Redis (scrapy-redis): `digest crawl` reads the feed and queues the
articles, `digest crawl --worker` processes help fetch them. Real Redis and PostgreSQL servers
on loopback ports; a local site that counts every request and answers slowly on purpose."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from digest.store import Store
from tests.conftest import PostgresCluster, Result, run_digest, wait_for
from tests.processes import start_digest
from tests.servers import ARTICLES, CountingSite


@pytest.fixture
def site() -> Iterator[CountingSite]:
    with CountingSite(delay=0.1) as served:
        yield served


@pytest.fixture
def shared(tmp_path: Path, site: CountingSite, postgres: PostgresCluster, redis_url: str) -> Path:
    redis.Redis.from_url(redis_url).flushdb()
    config = tmp_path / "config.yaml"
    config.write_text(f"""\
database: "{postgres.database()}"
sources:
  - {{name: wire, kind: feed, url: "http://127.0.0.1:{site.port}/rss.xml"}}
mail: {{from: "digest@example.org", outbox: outbox}}
crawl:
  frontier: "{redis_url}"
  worker_idle_seconds: 20
  timeout: 120
  obey_robots: false
  delay: 0
  concurrency_per_domain: 4
  http_cache: null
  extract_workers: 1
""")
    return config


def worker(config: Path) -> subprocess.Popen[str]:
    return start_digest("crawl", "--worker", "--config", str(config),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fetched_by(out: str) -> int:
    line = next(line for line in out.splitlines() if line.startswith("wire"))
    return int(line.split("fetched")[1].split()[0])


def connected_to(redis_url: str) -> int:
    """Clients connected to the Redis server, this one excepted."""
    return len(redis.Redis.from_url(redis_url).client_list()) - 1


def test_workers_share_the_crawl_and_fetch_each_page_once(shared: Path, site: CountingSite,
                                                          redis_url: str) -> None:
    # no page is answered before 9 are asked for at once: each process fetches 4 at a time at
    # most, so all three must have taken work, however fast each starts (the gate's time-out,
    # 60 s, is below the crawl's download time-out: nothing is retried while it waits)
    site.gate = 9
    crawl = start_digest("crawl", "--config", str(shared),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # the coordinator has queued the round and holds all it may fetch at the gate: the
        # helpers start with work waiting, so none gives up idle before the round begins
        wait_for(lambda: site.in_flight >= 4 or crawl.poll() is not None, timeout=120)
        helpers = [worker(shared), worker(shared)]
        out, err = crawl.communicate(timeout=240)
    finally:
        if crawl.poll() is None:
            crawl.kill()
    assert crawl.returncode == 0, err
    coordinator = Result(crawl.returncode, out, err)
    outputs = [p.communicate(timeout=120) for p in helpers]
    assert [p.returncode for p in helpers] == [0, 0], "\n".join(err for _, err in outputs)

    articles = {path: n for path, n in site.hits.items() if path.startswith("/a/")}
    assert len(articles) == ARTICLES and set(articles.values()) == {1}  # each page once
    assert site.hits["/rss.xml"] == 1  # only the coordinator reads the feed
    shares = [fetched_by(coordinator.out)] + [fetched_by(out) for out, _ in outputs]
    assert site.most_in_flight >= 9  # the gate opened because the work was shared, not by time-out
    assert sum(shares) == ARTICLES and all(shares), shares

    store = Store(load_database(shared))
    [health] = store.source_health()
    assert health["articles"] == ARTICLES and health["consecutive_failures"] == 0
    store.close()

    again = run_digest("crawl", "--config", str(shared))  # a second round: nothing new
    assert again.code == 0, again.err
    assert site.hits["/rss.xml"] == 2 and sum(site.hits[p] for p in articles) == ARTICLES


def test_a_killed_worker_loses_no_queued_request(shared: Path, site: CountingSite) -> None:
    site.delay = 0.3
    helper = worker(shared)
    coordinator = start_digest("crawl", "--config", str(shared),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: sum(n for p, n in site.hits.items() if p.startswith("/a/")) >= 10
                 or coordinator.poll() is not None, timeout=120)
    except AssertionError:  # say what the crawl was doing, not only that it took too long
        for process in (coordinator, helper):
            process.kill()
        raise AssertionError(f"no pages fetched; hits {dict(site.hits)}; coordinator: "
                             f"{coordinator.communicate()[1][-3000:]}; worker: "
                             f"{helper.communicate()[1][-3000:]}") from None
    assert coordinator.poll() is None, coordinator.communicate()[1]
    helper.send_signal(signal.SIGKILL)
    helper.wait()
    _, err = coordinator.communicate(timeout=180)
    assert coordinator.returncode == 0, err

    store = Store(load_database(shared))
    # only the pages the killed worker had in flight or not yet written (its last batch) can be
    # missing; the queue was finished by the coordinator
    missing = ARTICLES - len([u for u in store.known_urls("wire") if "/a/" in u])
    assert missing < ARTICLES / 2
    again = run_digest("crawl", "--config", str(shared))  # the next round fetches them again
    assert again.code == 0, again.err
    assert len([u for u in store.known_urls("wire") if "/a/" in u]) == ARTICLES
    assert fetched_by(again.out) == missing
    store.close()

    again = run_digest("crawl", "--config", str(shared))  # the next round lists them again
    assert again.code == 0, again.err
    store = Store(load_database(shared))
    assert len([u for u in store.known_urls("wire") if "/a/" in u]) == ARTICLES
    store.close()


def load_database(config: Path) -> str:
    from digest.config import load_config

    return load_config(config).database
