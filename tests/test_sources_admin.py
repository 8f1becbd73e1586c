"""`digest sources test` and `digest sources discover` against the sample sites on 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from digest.samples import SampleSites
from tests.conftest import run_digest


def test_sources_test_shows_links_and_extraction_and_stores_nothing(demo_config: Path,
                                                                    sites: SampleSites) -> None:
    result = run_digest("sources", "test", "--config", str(demo_config), "globe-wire",
                        "--limit", "2")
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert first.startswith("globe-wire: ok  links 4  fetched 2  extracted 2")
    assert "Powerful earthquake kills at least 40" in result.out or "Karesh" in result.out
    assert "characters" in result.out
    assert not (demo_config.parent / "digest.db").exists()  # nothing stored, no health touched


def test_sources_test_warns_about_a_stale_selector(tmp_path: Path, demo_config: Path) -> None:
    demo_config.write_text(demo_config.read_text().replace('links: "ul.press-list li a"',
                                                           'links: "div.gone a"'))
    result = run_digest("sources", "test", "--config", str(demo_config), "norland-mfa")
    assert result.code == 1
    assert "FAILED" in result.out and "selector matched nothing" in result.err


def test_sources_test_reads_a_saved_listing_page_offline(tmp_path: Path, demo_config: Path) -> None:
    saved = Path(__file__).resolve().parent.parent / "digest" / "sample_sites" / "mfa" / "press" / "index.html"
    result = run_digest("sources", "test", "--config", str(demo_config), "norland-mfa",
                        "--file", str(saved))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0].startswith("norland-mfa: ")
    assert "/mfa/press/statement-diplomats-expelled.html" in result.out
    bad = run_digest("sources", "test", "--config", str(demo_config), "nope")
    assert bad.code == 2 and "no source named 'nope'" in bad.err


def test_discover_finds_the_feed_and_the_sitemap(tmp_path: Path, sites: SampleSites) -> None:
    result = run_digest("sources", "discover", "--config", str(tmp_path / "none.yaml"),
                        f"{sites.base_url}/wire/world/valdoria-earthquake.html")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("feed ") and f"{sites.base_url}/wire/rss.xml" in lines[0]
    assert "link rel=alternate" in lines[0]
    assert any(line.startswith("sitemap") and "news-sitemap.xml" in line and "robots.txt" in line
               for line in lines)
    assert "  - name: 127-0-0-1" in result.out and "    kind: feed" in result.out
    bad = run_digest("sources", "discover", "file:///etc/passwd")
    assert bad.code == 2 and "not an http(s) URL" in bad.err


FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        '<item><title>a</title><link>{root}/a.html</link></item></channel></rss>')


class _Site(BaseHTTPRequestHandler):
    """A site whose page names a feed on another port, and whose /feed redirects there."""

    other = ""
    requests: ClassVar[list[str]] = []  # every URL asked for, on either port

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        root = f"http://127.0.0.1:{self.server.server_address[1]}"
        _Site.requests.append(root + self.path)
        if self.path == "/":
            body = (f'<html><head><link rel="alternate" type="application/rss+xml" '
                    f'href="{_Site.other}/rss.xml"></head><body>home</body></html>').encode()
        elif self.path == "/rss.xml":
            body = FEED.format(title="Own feed" if _Site.other not in root else "Elsewhere",
                               root=root).encode()
        elif self.path in ("/feed", "/moved"):
            self.send_response(302)
            self.send_header("Location", f"{_Site.other}/rss.xml")
            self.end_headers()
            return
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_discover_follows_no_redirect_to_another_site_and_marks_feeds_elsewhere(tmp_path: Path) -> None:
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _Site) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    here, there = (f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
    _Site.other = there
    try:
        result = run_digest("sources", "discover", "--config", str(tmp_path / "none.yaml"), f"{here}/")
        assert result.code == 0, result.err
        lines = [line for line in result.out.splitlines() if line.startswith(("feed", "sitemap"))]
        own = [line for line in lines if line.split()[3] == f"{here}/rss.xml"]
        assert own and "[" not in own[0]
        elsewhere = [line for line in lines if there in line]
        assert elsewhere and all(f"[on another host, not checked: 127.0.0.1:{there.rsplit(':', 1)[1]}]"
                                 in line for line in elsewhere)
        assert f"{here}/feed" not in result.out  # its redirect to the other port was not followed
        assert lines[0].split()[3] == f"{here}/rss.xml"  # the site's own feed comes first
        assert not [url for url in _Site.requests if url.startswith(there)]  # nothing fetched there
        entry = result.out.split("# paste under")[1]
        assert f"{here}/rss.xml" in entry and there not in entry

        moved = run_digest("sources", "discover", "--config", str(tmp_path / "none.yaml"), f"{here}/moved")
        assert moved.code == 1 and f"redirects to {there}/rss.xml, another site: not followed" in moved.err
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    for bad in (f"{here}/\r\nX-Injected: 1", "http://exa mple.org/"):
        refused = run_digest("sources", "discover", bad)
        assert refused.code == 2 and "not an http(s) URL" in refused.err and "Traceback" not in refused.err
