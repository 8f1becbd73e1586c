"""Shared fixtures: the sample sites on 127.0.0.1, a real SMTP server on loopback (aiosmtpd),
config files in tmp_path, and the ``digest`` command run as a real process."""

from __future__ import annotations

import email
import os
import shutil
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
from tests.servers import PostgresCluster, RedisServer, ServerUnavailable, free_port

ROOT = Path(__file__).resolve().parent.parent

# The tests start `digest` as a real process a few hundred times. Where the environment turns
# bytecode caching off, each start compiles every module again (4 s instead of 1.7 s here).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
S = TypeVar("S", bound="SmtpSink")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    # not under pytest's tmp folder: as root, that is closed to the postgres user
    folder = Path(tempfile.mkdtemp(prefix="digest-test-pg-"))
    try:
        cluster = PostgresCluster(folder)
    except ServerUnavailable as e:
        pytest.skip(str(e))
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
    try:
        server = RedisServer()
    except ServerUnavailable as e:
        pytest.skip(str(e))
    with server:
        yield server.url


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
