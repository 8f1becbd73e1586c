"""Throwaway servers on loopback ports for the tests and the benchmarks: a PostgreSQL cluster
and a Redis server from Debian's packages (installed by .ci/deps). Plain classes, no pytest."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

__all__ = ["ARTICLES", "CountingSite", "PostgresCluster", "RedisServer", "ServerUnavailable",
           "free_port"]

ARTICLES = 60


class ServerUnavailable(Exception):
    """The server's program is not installed here."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class PostgresCluster:
    """A throwaway PostgreSQL cluster (Debian's binaries) on a loopback port, in a temporary
    folder; :meth:`database` makes a fresh empty database per test. ``initdb`` refuses root,
    so as root the server runs as the ``postgres`` user."""

    def __init__(self, folder: Path) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not versions:
            raise ServerUnavailable("PostgreSQL is not installed (make test installs it on Debian as root)")
        self.bin = versions[-1].parent
        self.folder, self.port = folder, free_port()
        self.user = "postgres" if os.getuid() == 0 else None
        self.counter = 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        data = self.folder / "data"
        if self.user:
            shutil.chown(self.folder, self.user)
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        self._run("pg_ctl", "-D", str(data), "-l", str(self.folder / "log"), "-w", "start", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")

    def start_again(self) -> None:
        """Start a stopped cluster on the same port, its databases as they were."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-w",
                  "start", "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")

    def database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        self.counter += 1
        name = f"test_{os.getpid()}_{self.counter}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"


class RedisServer:
    """``redis-server`` on a loopback port, saving nothing; a context manager."""

    def __init__(self) -> None:
        self.program = shutil.which("redis-server")
        if self.program is None:
            raise ServerUnavailable("redis-server is not installed (make test installs it on Debian as root)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = Path(tempfile.mkdtemp(prefix="digest-redis-"))
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> RedisServer:
        assert self.program is not None
        self.proc = subprocess.Popen([self.program, "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not _accepts(self.port):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class CountingSite:
    """A news site with one RSS feed of ``ARTICLES`` article pages; counts each path served."""

    delay: float = 0.0
    hits: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0
    in_flight: int = 0
    most_in_flight: int = 0  # the most article requests answered at once
    # hold every article answer until this many article requests were in flight at once (or
    # ``gate_timeout`` passed): with per-process concurrency below it, several processes must
    # have taken work before any page is answered, whoever happened to start first
    gate: int = 0
    gate_timeout: float = 60.0
    opened: threading.Event = field(default_factory=threading.Event)

    def page(self, path: str) -> bytes | None:
        now = datetime.now(UTC)
        if path == "/rss.xml":
            items = "".join(
                f"<item><title>Report {i}</title><link>http://127.0.0.1:{self.port}/a/{i}.html</link>"
                f"<pubDate>{format_datetime(now - timedelta(minutes=i))}</pubDate></item>"
                for i in range(ARTICLES))
            return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()
        if path.startswith("/a/") and path.endswith(".html"):
            n = path[3:-5]
            body = " ".join(f"Delegates in city {n} discussed item {j} of the agenda at length, "
                            f"and the ministers of region {n} answered questions." for j in range(12))
            return (f"<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1>"
                    f"<p>{body}</p><p>{body}</p></article></body></html>").encode()
        return None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with site.lock:
                    site.hits[self.path] += 1
                body = site.page(self.path)
                if body is None:
                    self.send_error(404)
                    return
                if self.path.startswith("/a/"):
                    with site.lock:
                        site.in_flight += 1
                        site.most_in_flight = max(site.most_in_flight, site.in_flight)
                        if site.in_flight >= site.gate:
                            site.opened.set()
                    site.opened.wait(site.gate_timeout)
                    time.sleep(site.delay)
                    with site.lock:
                        site.in_flight -= 1
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml" if self.path.endswith(".xml")
                                 else "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> CountingSite:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
