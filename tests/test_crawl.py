"""The real spiders crawl the sample sites on 127.0.0.1 (in a child process, as in production)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.config import Config, load_config
from digest.samples import SampleSites
from digest.store import Store
from scraper.run import crawl
from tests.conftest import ROOT, run_digest
from tests.processes import start_digest
from tests.servers import ARTICLES, CountingSite, free_port


def config_for(tmp_path: Path, sources: str, crawl: str = "") -> Config:
    path = tmp_path / "config.yaml"
    path.write_text(f"""\
database: sqlite:///digest.db
sources:
{sources}
mail: {{from: "Digest <digest@example.org>"}}
crawl:
  timeout: 5
{crawl or "  delay: 0"}
""")
    return load_config(path)


def stored(store: Store) -> dict[str, list[str]]:
    now = datetime.now(UTC)
    found: dict[str, list[str]] = {}
    for a in store.articles_between(now - timedelta(days=30), now + timedelta(days=1)):
        found.setdefault(a.source, []).append(a.url.rsplit("/", 1)[-1])
    return {k: sorted(v) for k, v in found.items()}


@pytest.fixture
def store_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    stores: list[Store] = []

    def make(config: Config) -> Store:
        store = Store(config.database)
        store.migrate()
        stores.append(store)
        return store

    yield make
    for s in stores:
        s.close()


def test_listing_follows_next_page_and_uses_content_selector(tmp_path, sites, store_for) -> None:  # type: ignore[no-untyped-def]
    config = config_for(tmp_path, f"""\
  - name: mfa
    kind: listing
    url: {sites.base_url}/mfa/press/
    official: true
    links: "ul.press-list li a"
    follow: "a.next"
    content: "#news-body"
""")
    store = store_for(config)
    [report] = crawl(config, store)
    assert report.ok and report.links == 5 and report.stored == 5
    assert stored(store) == {"mfa": [
        "statement-arctic-fisheries.html", "statement-diplomats-expelled.html",
        "statement-valdoria-condolences.html", "statement-water-treaty.html",
        "transcript-regular-press-conference.html"]}

    # max_pages: 1 stops before the second listing page
    (tmp_path / "one").mkdir()
    config1 = config_for(tmp_path / "one", f"""\
  - name: mfa
    kind: listing
    url: {sites.base_url}/mfa/press/
    links: "ul.press-list li a"
    follow: "a.next"
    max_pages: 1
""")
    [report] = crawl(config1, store_for(config1))
    assert report.stored == 3


def test_feed_stores_canonical_urls_and_is_incremental(tmp_path, sites, store_for) -> None:  # type: ignore[no-untyped-def]
    config = config_for(tmp_path, f"""\
  - name: wire
    kind: feed
    url: {sites.base_url}/wire/rss.xml
    deny: ["/business/"]
""")
    store = store_for(config)
    [first] = crawl(config, store)
    assert first.ok and first.links == 4 and first.stored == 3
    assert stored(store) == {"wire": ["karesh-expels-norland-diplomats.html",
                                      "norland-estmark-water-treaty.html", "valdoria-earthquake.html"]}
    assert all("utm_" not in u for u in store.known_urls("wire"))  # tracking parameters gone

    before = len(sites.statuses)
    [second] = crawl(config, store)
    assert second.ok and second.stored == 0 and second.already_stored == 3
    again = sites.statuses[before:]
    assert [p for p, _ in again if p.endswith(".html")] == []  # stored articles not fetched again
    assert ("/wire/rss.xml", 304) in again  # the feed was revalidated, not downloaded again


def test_news_sitemap(tmp_path, sites, store_for) -> None:  # type: ignore[no-untyped-def]
    config = config_for(tmp_path, f"""\
  - name: courier
    kind: sitemap
    url: {sites.base_url}/courier/news-sitemap.xml
    allow: ["/world/", "/opinion/"]
""")
    store = store_for(config)
    [report] = crawl(config, store)
    assert report.ok and report.stored == 4
    now = datetime.now(UTC)
    articles = {a.url.rsplit("/", 1)[-1]: a for a in store.articles_between(now - timedelta(days=3), now)}
    assert articles["expulsions-wont-make-karesh-safer.html"].is_opinion
    assert not articles["karesh-norland-row.html"].is_opinion
    assert articles["karesh-norland-row.html"].published == sites.now - timedelta(hours=8)


def test_a_failing_source_is_reported_and_does_not_stop_others(tmp_path, sites, store_for) -> None:  # type: ignore[no-untyped-def]
    config = config_for(tmp_path, f"""\
  - name: gone
    kind: feed
    url: {sites.base_url}/no/such/feed.xml
  - name: empty-listing
    kind: listing
    url: {sites.base_url}/mfa/press/
    links: "ul.no-such-list a"
  - name: not-a-sitemap
    kind: sitemap
    url: {sites.base_url}/mfa/press/index.html
  - name: wire
    kind: feed
    url: {sites.base_url}/wire/rss.xml
""")
    store = store_for(config)
    reports = {r.name: r for r in crawl(config, store)}
    assert not reports["gone"].ok and "HTTP 404" in (reports["gone"].error or "")
    assert not reports["empty-listing"].ok and "matched nothing" in (reports["empty-listing"].error or "")
    assert not reports["not-a-sitemap"].ok and "not a sitemap" in (reports["not-a-sitemap"].error or "")
    assert reports["wire"].ok and reports["wire"].stored == 4
    health = {h["name"]: h for h in store.source_health()}
    assert health["gone"]["consecutive_failures"] == 1 and health["gone"]["last_success_at"] is None
    assert health["wire"]["consecutive_failures"] == 0 and health["wire"]["articles"] == 4


def test_crawl_cli_summary_and_exit_code(tmp_path: Path, sites: SampleSites) -> None:
    config_for(tmp_path, f"""\
  - name: wire
    kind: feed
    url: {sites.base_url}/wire/rss.xml
  - name: gone
    kind: feed
    url: {sites.base_url}/missing.xml
  - name: closed
    kind: feed
    url: http://127.0.0.1:{free_port()}/rss.xml
""")
    result = run_digest("crawl", "--config", str(tmp_path / "config.yaml"))
    assert result.code == 1
    assert "wire" in result.out and "stored    4" in result.out
    [gone] = [line for line in result.out.splitlines() if line.startswith("gone")]
    assert "FAILED" in gone and "HTTP 404" in gone
    [closed] = [line for line in result.out.splitlines() if line.startswith("closed")]
    assert "FAILED" in closed and "ConnectionRefusedError" in closed
    # quiet under cron: one line on stderr naming the failed sources, no crawler log or traceback
    assert result.err.splitlines() == ["2 of 3 sources failed: gone, closed (reasons above)"]
    verbose = run_digest("-v", "crawl", "--config", str(tmp_path / "config.yaml"), "--source", "closed")
    assert verbose.code == 1 and "Traceback" in verbose.err and "[scrapy" in verbose.err

    only = run_digest("crawl", "--config", str(tmp_path / "config.yaml"), "--source", "wire")
    assert only.code == 0 and "gone" not in only.out and "known    4" in only.out
    unknown = run_digest("crawl", "--config", str(tmp_path / "config.yaml"), "--source", "nope")
    assert unknown.code == 2 and "no source named 'nope'" in unknown.err


def test_progress_is_log_lines_off_a_terminal_and_bars_on_one(tmp_path: Path, sites: SampleSites) -> None:
    config_for(tmp_path, f"""\
  - name: wire
    kind: feed
    url: {sites.base_url}/wire/rss.xml
  - name: courier
    kind: sitemap
    url: {sites.base_url}/courier/news-sitemap.xml
""")
    config = str(tmp_path / "config.yaml")
    plain = run_digest("-v", "crawl", "--config", config)
    assert plain.code == 0, plain.err
    assert "crawled wire: 4 links (0 already stored), 4 pages fetched, 4 stored" in plain.err
    assert "crawled courier: " in plain.err and "\x1b[" not in plain.err

    # on a terminal: a bar per source, drawn on the terminal (stderr), not in the summary (stdout)
    primary, secondary = pty.openpty()
    proc = start_digest("crawl", "--config", config,
                            stdout=subprocess.PIPE, stderr=secondary, text=True,
                            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"})
    os.close(secondary)
    drawn = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    out = proc.communicate(timeout=120)[0]
    os.close(primary)
    assert proc.returncode == 0
    screen = drawn.decode("utf-8", "replace")
    assert "wire" in screen and "courier" in screen and "stored" in screen
    assert "━" in screen  # rich's bar
    assert "known    4" in out and "━" not in out


def test_per_site_concurrency_holds_even_without_a_delay(tmp_path: Path) -> None:
    with CountingSite(delay=0.2) as site:
        config_for(tmp_path, f"""\
  - name: wire
    kind: feed
    url: http://127.0.0.1:{site.port}/rss.xml
""", crawl="  delay: 0\n  concurrency_per_domain: 2\n  obey_robots: false")
        result = run_digest("crawl", "--config", str(tmp_path / "config.yaml"))
        assert result.code == 0, result.err
        assert sum(n for path, n in site.hits.items() if path.startswith("/a/")) == ARTICLES
        assert site.most_in_flight == 2


def test_robots_txt_is_obeyed(tmp_path: Path, store_for) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    (site / "private").mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (site / "list.html").write_text(
        '<html><body><ul><li><a href="/ok.html">Open</a></li>'
        '<li><a href="/private/secret.html">Secret</a></li></ul></body></html>')
    body = "<p>" + "An article paragraph about a summit of foreign ministers. " * 6 + "</p>"
    for path in ("ok.html", "private/secret.html"):
        (site / path).write_text(f"<html><head><title>{path}</title></head><body><article>{body}"
                                 "</article></body></html>")
    with SampleSites(site) as served:
        config = config_for(tmp_path, f"""\
  - name: site
    kind: listing
    url: {served.base_url}/list.html
    links: "ul li a"
""")
        [report] = crawl(config, store_for(config))
    assert report.ok and report.stored == 1
    assert "/robots.txt" in served.requests and "/private/secret.html" not in served.requests


def test_hostile_feeds_read_no_local_file_and_expand_no_entities(tmp_path: Path, store_for) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LOCAL-FILE")
    site = tmp_path / "site"
    site.mkdir()
    body = "<p>" + "A long enough article paragraph about diplomats and treaties. " * 6 + "</p>"
    for name in ("a", "b"):  # one article per feed: the two crawls run at once
        (site / f"{name}.html").write_text(f"<html><head><title>Article {name}</title></head><body>"
                                           f"<article>{body}</article></body></html>")
    (site / "xxe.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title>'
        "<link>@ROOT@/a.html</link></item></channel></rss>")
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "lol" * 10}">' for i in range(1, 10))
    (site / "bomb.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]><rss version="2.0"><channel>'
        "<title>&lol9;</title><item><title>&lol9;</title><link>@ROOT@/b.html</link></item></channel></rss>")
    with SampleSites(site) as served:
        config = config_for(tmp_path, f"""\
  - name: xxe
    kind: feed
    url: {served.base_url}/xxe.xml
  - name: bomb
    kind: feed
    url: {served.base_url}/bomb.xml
""")
        store = store_for(config)
        reports = {r.name: r for r in crawl(config, store)}
    assert reports["xxe"].ok and reports["xxe"].stored == 1
    now = datetime.now(UTC)
    stored_text = " ".join(a.title + a.text for a in store.articles_between(now - timedelta(days=1), now))
    assert "TOP-SECRET" not in stored_text
    assert reports["bomb"].seconds < 30  # parsed or refused quickly; the crawl finished


def test_a_site_that_stops_answering_is_a_failure_even_with_a_cached_feed(tmp_path: Path, store_for) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import free_port

    port = free_port()
    with SampleSites(port=port) as served:
        config = config_for(tmp_path, f"""\
  - name: wire
    kind: feed
    url: {served.base_url}/wire/rss.xml
""")
        store = store_for(config)
        [first] = crawl(config, store)
        assert first.ok and first.stored == 4
    [second] = crawl(config, store)  # nothing listens on the port now
    assert not second.ok
    assert second.error is not None and ("did not answer" in second.error or "Connection" in second.error)


def test_a_crawler_that_cannot_start_says_why_for_every_source(tmp_path: Path, demo_config: Path) -> None:
    # what a fresh install without lxml's HTML cleaner did: every source failed with "the
    # source's page was not read (finish reason: unknown)"
    broken = tmp_path / "broken" / "lxml_html_clean"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text('raise ImportError("lxml_html_clean is broken on purpose")\n')
    result = run_digest("crawl", "--config", str(demo_config),
                        env={"PYTHONPATH": f"{broken.parent}{os.pathsep}{ROOT}"})
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if "FAILED" in line]
    assert len(lines) == 3, result.out
    assert all("the crawler failed: ImportError: " in line for line in lines), result.out
    assert "finish reason" not in result.out and "Traceback" not in result.err


def test_the_cause_of_a_crash_is_the_last_exception_in_the_log() -> None:
    from scraper.run import crash_cause

    crashed = subprocess.run([sys.executable, "-c", "import json; json.loads('{')"],
                             capture_output=True, text=True, check=False)
    assert crash_cause(crashed.stderr.splitlines()) == (
        "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)")
    assert crash_cause(["2026-11-30 [twisted] CRITICAL:", "builtins.KeyError: 'x'"]) == "KeyError: 'x'"
    assert crash_cause(["all fine"]) is None


def test_a_killed_crawl_takes_its_crawler_and_workers_with_it(tmp_path: Path) -> None:
    import psutil

    with CountingSite(delay=0.3) as site:
        config_for(tmp_path, f"""\
  - name: wire
    kind: feed
    url: http://127.0.0.1:{site.port}/rss.xml
""", crawl="  delay: 0\n  concurrency_per_domain: 2\n  obey_robots: false\n  extract_workers: 2")
        parent = start_digest("crawl", "--config",
                                   str(tmp_path / "config.yaml"), cwd=tmp_path,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def articles() -> int:
            return sum(n for path, n in site.hits.items() if path.startswith("/a/"))

        deadline = time.monotonic() + 60
        while articles() < 6:  # the crawler and its extraction pool are at work
            assert time.monotonic() < deadline and parent.poll() is None
            time.sleep(0.05)
        family = psutil.Process(parent.pid).children(recursive=True)
        assert len(family) >= 3  # the crawler, the fork server and the extraction workers
        parent.kill()  # kill -9: nothing of ours runs in the parent to stop them
        parent.wait()
        _, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, [p.cmdline() for p in alive]
        fetched = articles()
        time.sleep(1.0)
        assert articles() == fetched  # nobody fetches on behalf of the dead run

        again = run_digest("crawl", "--config", str(tmp_path / "config.yaml"))
        assert again.code == 0, again.err
        assert "taking over" not in again.err or "stale" in again.err
        store = Store(load_config(tmp_path / "config.yaml").database)
        assert len([u for u in store.known_urls("wire") if "/a/" in u]) == ARTICLES
        store.close()
        # pages fetched but not yet written when the run was killed are fetched again, no others
        assert articles() - ARTICLES <= fetched
