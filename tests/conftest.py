"""Shared fixtures: the sample sites on 127.0.0.1, a real SMTP server on loopback (aiosmtpd),
config files in tmp_path, and the ``digest`` command run as a real process."""

from __future__ import annotations

import email
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiosmtpd.controller import Controller

from digest.samples import SampleSites, sample_config

ROOT = Path(__file__).resolve().parent.parent

# The tests start `digest` as a real process a few hundred times. Where the environment turns
# bytecode caching off, each start compiles every module again (4 s instead of 1.7 s here).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
S = TypeVar("S", bound="SmtpSink")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresCluster:
    """A throwaway PostgreSQL cluster (Debian's binaries) on a loopback port, in a temporary
    folder; :meth:`database` makes a fresh empty database per test. ``initdb`` refuses root,
    so as root the server runs as the ``postgres`` user."""

    def __init__(self, folder: Path) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not versions:
            pytest.skip("PostgreSQL is not installed (make test installs it on Debian as root)")
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

    def database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        self.counter += 1
        name = f"test_{os.getpid()}_{self.counter}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    # not under pytest's tmp folder: as root, that is closed to the postgres user
    folder = Path(tempfile.mkdtemp(prefix="digest-test-pg-"))
    cluster = PostgresCluster(folder)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs on SQLite (a file in tmp_path) and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/sub/dir/digest.db"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.database()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throwaway Redis server (Debian's redis-server) on a loopback port, nothing saved."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (make test installs it on Debian as root)")
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="digest-test-redis-"))
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: _accepts(port), timeout=30)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def sites() -> Iterator[SampleSites]:
    with SampleSites() as served:
        yield served


@dataclass
class SmtpSink:
    """An aiosmtpd handler that keeps what it receives; ``replies`` queues failures to give."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.replies:
            return self.replies.pop(0)
        raw = envelope.original_content or envelope.content  # type: ignore[attr-defined]
        msg = email.message_from_bytes(raw, policy=default_policy)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        self.recipients.extend(envelope.rcpt_tos)  # type: ignore[attr-defined]
        return "250 OK"


@contextmanager
def serving(sink: S) -> Iterator[S]:
    """Run aiosmtpd on 127.0.0.1 at ``sink.port`` with ``sink`` as its handler."""
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with serving(SmtpSink(port=free_port())) as sink:
        yield sink


@pytest.fixture
def demo_config(tmp_path: Path, sites: SampleSites) -> Path:
    """A config for the sample sites with an outbox, in tmp_path."""
    path = tmp_path / "config.yaml"
    path.write_text(sample_config(sites.base_url, database="sqlite:///digest.db", outbox="outbox"))
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_digest(*args: str, cwd: Path | None = None, stdin: str | None = None,
               env: dict[str, str] | None = None, timeout: float = 180) -> Result:
    """Run the real ``digest`` command in a child process."""
    proc = subprocess.run(
        [sys.executable, "-m", "digest", *args], cwd=cwd, input=stdin, capture_output=True,
        text=True, timeout=timeout, env={**os.environ, **(env or {})}, check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def wait_for(condition: Any, timeout: float = 60.0) -> None:
    """Poll ``condition()`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)
