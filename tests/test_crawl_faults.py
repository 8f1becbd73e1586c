"""The crawler against a site that misbehaves on purpose, served on 127.0.0.1: every fault is
bounded, reported, and never stops the other sources or reads anything but the web."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from digest.config import load_config
from digest.store import Store
from scraper.run import crawl
from tests.builders import config_file, feed, listing

ARTICLE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>"
           + "Foreign ministers met in the capital to discuss the new border treaty in detail. " * 6
           + "</p></article></body></html>")


class Faulty(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}  # noqa: RUF012 - shared by design, reset per server
    other = 0  # the port of a second server of this kind on the same host
    times: dict[str, list[float]] = {}  # noqa: RUF012

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send(self, status: int, body: bytes = b"", kind: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        Faulty.hits[path] = Faulty.hits.get(path, 0) + 1
        Faulty.times.setdefault(path, []).append(time.monotonic())
        root = f"http://127.0.0.1:{self.server.server_address[1]}"
        if path == "/feed.xml":
            items = "".join(f"<item><title>{p}</title><link>{root}{p}</link></item>" for p in (
                "/good.html", "/truncated.html", "/stall.html", "/empty.html", "/binary.html",
                "/huge.html", "/loop.html", "/to-file.html", "/offsite.html", "/error.html",
                "/pdf.html", "/moved.html"))
            self.send(200, f'<rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode(),
                      "application/rss+xml")
        elif path == "/good.html":
            self.send(200, ARTICLE.format(title="A good article").encode())
        elif path == "/truncated.html":
            self.send(200, ARTICLE.format(title="A truncated article").encode()[:-60])
        elif path == "/stall.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html><body>")
            time.sleep(8)
        elif path == "/empty.html":
            self.send(200, b"")
        elif path == "/binary.html":
            self.send(200, os.urandom(20000))
        elif path == "/pdf.html":
            self.send(200, b"%PDF-1.7" + os.urandom(5000), "application/pdf")
        elif path == "/huge.html":
            self.send(200, b"<html><body>" + b"<p>word</p>" * 300_000 + b"</body></html>")
        elif path == "/loop.html":
            self.send(302, headers={"Location": "/loop.html"})
        elif path == "/to-file.html":
            self.send(302, headers={"Location": "file:///etc/hostname"})
        elif path == "/offsite.html":
            self.send(302, headers={"Location": "http://elsewhere.invalid/page.html"})
        elif path == "/error.html":
            self.send(503)
        elif path == "/moved.html":  # a meta-refresh redirect, as old ministry pages do
            self.send(200, b'<html><head><meta http-equiv="refresh" content="0; url=/moved-here.html">'
                           b"</head><body>Moved.</body></html>")
        elif path == "/moved-here.html":
            self.send(200, ARTICLE.format(title="A moved article").replace("border", "trade").encode())
        elif path == "/busy.xml":  # 429 once, then the feed
            if Faulty.hits[path] == 1:
                self.send(429, headers={"Retry-After": "1"})
            else:
                self.send(200, f'<rss version="2.0"><channel><title>b</title><item><title>g</title>'
                               f"<link>{root}/good.html</link></item></channel></rss>".encode(),
                          "application/rss+xml")
        elif path == "/down.xml":
            self.send(500)
        elif path == "/canon.xml":  # lists an alias of a page whose rel=canonical is elsewhere
            self.send(200, f'<rss version="2.0"><channel><title>c</title><item><title>a</title>'
                           f"<link>{root}/alias.html?from=feed</link></item></channel></rss>".encode(),
                      "application/rss+xml")
        elif path == "/alias.html":
            self.send(200, ARTICLE.format(title="An aliased article").replace(
                "<head>", f'<head><link rel="canonical" href="{root}/original.html">').encode())
        elif path == "/hop.xml":  # the source's own page moved to another port of this host
            self.send(302, headers={"Location": f"http://127.0.0.1:{Faulty.other}/feed.xml"})
        elif path == "/ports.xml":  # lists an article on another port, and one whose canonical is there
            self.send(200, f'<rss version="2.0"><channel><title>p</title>'
                           f"<item><title>o</title><link>http://127.0.0.1:{Faulty.other}/good.html</link></item>"
                           f"<item><title>c</title><link>{root}/port-canon.html</link></item>"
                           f"</channel></rss>".encode(), "application/rss+xml")
        elif path == "/port-canon.html":
            self.send(200, ARTICLE.format(title="A canonical elsewhere").replace("border", "port").replace(
                "<head>", f'<head><link rel="canonical" href="http://127.0.0.1:{Faulty.other}/x.html">').encode())
        elif path == "/script-canon.html":
            self.send(200, ARTICLE.format(title="A scripted canonical").replace("border", "script").replace(
                "<head>", '<head><link rel="canonical" href="javascript:alert(1)">').encode())
        elif path == "/bomb.xml.gz":  # a small gzip that is a huge sitemap once decompressed
            import gzip

            urls = "".join(f"<url><loc>{root}/a{i}.html</loc></url>" for i in range(60_000))
            body = gzip.compress(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode())
            self.send(200, body, "application/x-gzip")
        elif path == "/maintenance.xml":  # come back in two hours
            self.send(503, headers={"Retry-After": "7200"})
        else:
            self.send(404)


@pytest.fixture
def faulty() -> Iterator[str]:
    Faulty.hits, Faulty.times = {}, {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Faulty)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_fault_is_bounded_and_only_real_articles_are_stored(tmp_path: Path, faulty: str) -> None:
    config = load_config(config_file(tmp_path, sources=[
        feed("faulty", f"{faulty}/feed.xml"), feed("busy", f"{faulty}/busy.xml"),
        feed("down", f"{faulty}/down.xml"), feed("maintenance", f"{faulty}/maintenance.xml"),
        feed("canon", f"{faulty}/canon.xml"), listing("looping", f"{faulty}/loop.html", "a"),
        listing("file-redirect", f"{faulty}/to-file.html", "a"),
    ], crawl={"timeout": 3, "max_page_kb": 1000, "obey_robots": False, "extract_workers": 0}))
    store = Store(config.database)
    store.migrate()
    started = time.monotonic()
    reports = {r.name: r for r in crawl(config, store)}
    assert time.monotonic() - started < 90

    assert reports["faulty"].ok
    now = datetime.now(UTC)
    titles = sorted(a.title for a in store.articles_between(now - timedelta(days=1), now + timedelta(days=1)))
    assert titles == ["A good article", "A moved article", "A truncated article", "An aliased article"]
    assert reports["busy"].ok  # 429 retried, after the second the server asked for
    assert Faulty.hits["/busy.xml"] == 2
    first, second = Faulty.times["/busy.xml"]
    assert second - first >= 0.95
    # a Retry-After longer than the crawl can wait: asked once, reported, not hammered
    assert Faulty.hits["/maintenance.xml"] == 1
    assert not reports["maintenance"].ok
    assert "Retry-After 7200s" in (reports["maintenance"].error or "")
    assert not reports["down"].ok and "HTTP 500" in (reports["down"].error or "")
    assert not reports["looping"].ok
    assert not reports["file-redirect"].ok
    stored = " ".join(a.text for a in store.articles_between(now - timedelta(days=1), now + timedelta(days=1)))
    assert Path("/etc/hostname").read_text().strip() not in stored.split()
    assert Faulty.hits.get("/error.html", 0) == 3  # first try + 2 retries, then given up
    tries = Faulty.times["/error.html"]  # with exponential backoff between them: 1 s, then 2 s
    assert tries[1] - tries[0] >= 0.95 and tries[2] - tries[1] >= 1.95
    again = {r.name: r for r in crawl(config, store, ["canon", "faulty"])}
    assert Faulty.hits["/alias.html"] == 1  # stored as /original.html, still not fetched again
    assert again["canon"].fetched == 0 and again["canon"].already_stored == 1
    assert Faulty.hits["/empty.html"] == 1  # pages with no text are not fetched every run either
    assert Faulty.hits["/error.html"] == 6  # a page that failed is tried again next time
    store.close()


@pytest.fixture
def two_ports() -> Iterator[tuple[str, str]]:
    """Two servers of the faulty site on one host: another port is another site."""
    Faulty.hits, Faulty.times = {}, {}
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Faulty) for _ in range(2)]
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    Faulty.other = servers[1].server_address[1]
    yield tuple(f"http://127.0.0.1:{s.server_address[1]}" for s in servers)  # type: ignore[misc]
    for server in servers:
        server.shutdown()
        server.server_close()


def test_another_port_of_the_host_is_another_site_unless_allowed(tmp_path: Path,
                                                                 two_ports: tuple[str, str]) -> None:
    here, there = two_ports
    other = there.rsplit(":", 1)[1]
    config = load_config(config_file(tmp_path, sources=[
        feed("hop", f"{here}/hop.xml"), feed("ports", f"{here}/ports.xml"),
        {"name": "bomb", "kind": "sitemap", "url": f"{here}/bomb.xml.gz"},
        feed("allowed", f"{here}/ports.xml", allow=[rf"127\.0\.0\.1:{other}/", "/port-canon"]),
    ], crawl={"timeout": 3, "max_page_kb": 1000, "obey_robots": False, "extract_workers": 0}))
    store = Store(config.database)
    store.migrate()
    reports = {r.name: r for r in crawl(config, store, ["hop", "ports", "bomb"])}
    assert not reports["bomb"].ok  # said as it is, not "finish reason: finished"
    assert "larger than crawl.max_page_kb (1000 KB) once decompressed" in (reports["bomb"].error or "")
    assert not reports["hop"].ok
    assert f"redirected to {there}/feed.xml" in (reports["hop"].error or "")
    assert "another site" in (reports["hop"].error or "") and "allow" in (reports["hop"].error or "")
    assert Faulty.hits.get("/feed.xml", 0) == 0  # the other port was never asked
    assert reports["ports"].ok and reports["ports"].stored == 1
    assert Faulty.hits.get("/good.html", 0) == 0
    assert store.known_urls("ports") >= {f"{here}/port-canon.html"}  # its own URL, not the other port's
    assert not any(other in url for url in store.known_urls("ports"))

    allowed = {r.name: r for r in crawl(config, store, ["allowed"])}["allowed"]
    assert allowed.ok and Faulty.hits.get("/good.html", 0) == 1  # the source's allow lets it in
    store.close()


def test_only_web_links_are_stored(tmp_path: Path, faulty: str) -> None:
    from scraper.extract import extract_article

    page = ARTICLE.format(title="A scripted canonical").replace(
        "<head>", '<head><link rel="canonical" href="javascript:alert(1)">')
    assert extract_article(page.encode()).canonical_url is None  # type: ignore[union-attr]
    assert extract_article(page.encode(), url=f"{faulty}/script-canon.html").canonical_url is None  # type: ignore[union-attr]
