"""The bundled sample sites, served on 127.0.0.1 for ``digest demo`` and for the tests.

Three small sites live in ``digest/sample_sites``: a foreign ministry with a paginated listing of
statements and a press-conference transcript, a news wire with an RSS feed, and a newspaper
with a Google News sitemap and an opinion section. The countries are fictional.

Like a real site, the server sends an ETag and answers a matching conditional request with
304 Not Modified. Pages carry tokens that the server fills in, so that the articles are always recent:
``@ROOT@`` (the server's base URL) and ``@T-5H@`` (five hours before the server started, ISO
8601), ``@T-5H:RFC822@`` (for RSS) and ``@T-5H:LONG@`` (e.g. 28 November 2026).
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import sys
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["SAMPLE_SITES", "SampleSites", "sample_config"]

SAMPLE_SITES = Path(__file__).parent / "sample_sites"
_TOKEN = re.compile(r"@T-(\d+)H(?::(RFC822|LONG))?@")
_TEXT_TYPES = (".html", ".xml", ".txt", ".json")


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-response (a crawler shutting down) is not an error here."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SampleSites:
    """A static file server on 127.0.0.1 with token substitution; use as a context manager.

    Args:
        root: the folder to serve (the bundled sample sites by default).
        now: the moment the ``@T-…@`` tokens count back from (default: now, to the minute).
        port: 0 picks a free port.
    """

    def __init__(self, root: Path = SAMPLE_SITES, *, now: datetime | None = None,
                 port: int = 0) -> None:
        self.root = root.resolve()
        self.now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
        self.requests: list[str] = []
        self.statuses: list[tuple[str, int]] = []
        self._server = _QuietServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> SampleSites:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def render(self, text: str) -> str:
        """Fill in the tokens of one file's text."""

        def when(match: re.Match[str]) -> str:
            moment = self.now - timedelta(hours=int(match[1]))
            if match[2] == "RFC822":
                return format_datetime(moment)
            if match[2] == "LONG":
                return f"{moment.day} {moment:%B %Y}"
            return moment.isoformat()

        return _TOKEN.sub(when, text.replace("@ROOT@", self.base_url))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        sites = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = unquote(urlsplit(self.path).path)
                sites.requests.append(path)
                file = (sites.root / path.lstrip("/")).resolve()
                if file.is_dir():
                    file = file / "index.html"
                if not file.is_relative_to(sites.root) or not file.is_file():
                    sites.statuses.append((path, 404))
                    self.send_error(404)
                    return
                body = file.read_bytes()
                if file.suffix in _TEXT_TYPES:
                    body = sites.render(body.decode("utf-8")).encode("utf-8")
                kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if file.suffix in _TEXT_TYPES:
                    kind += "; charset=utf-8"
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:  # a conditional request
                    sites.statuses.append((path, 304))
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                sites.statuses.append((path, 200))
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        return Handler


def sample_config(base_url: str, *, database: str, outbox: str, send_at: str = "00:00",
                  web_url: str | None = None) -> str:
    """A config.yaml for the sample sites served at ``base_url``; with ``web_url``, mail links
    to ``digest serve`` there."""
    web = (f"web:\n  base_url: {web_url}   # where `digest serve` runs: the links in the mail\n"
           if web_url else "")
    return f"""\
# Written by `digest demo`: the bundled sample sites, served on {base_url}.
database: {database}
timezone: UTC
sources:
  - name: norland-mfa
    title: Ministry of Foreign Affairs of Norland
    kind: listing
    url: {base_url}/mfa/press/
    official: true
    links: "ul.press-list li a"
    follow: "a.next"
    content: "#news-body"
    max_pages: 3
  - name: globe-wire
    title: Globe Wire
    kind: feed
    url: {base_url}/wire/rss.xml
  - name: daily-courier
    title: The Daily Courier
    kind: sitemap
    url: {base_url}/courier/news-sitemap.xml
mail:
  from: "Foreign Affairs Digest <digest@example.org>"
  outbox: {outbox}
digest:
  send_at: "{send_at}"
  max_stories: 10
  window_hours: 48
subscribers:
  - email: reader@example.org
    name: Demo Reader
crawl:
  delay: 0
  timeout: 10
  extract_workers: 1   # a dozen small pages: no worker processes needed
{web}"""
