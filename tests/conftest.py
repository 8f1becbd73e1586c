"""Shared fixtures: the sample sites on 127.0.0.1, a real SMTP server on loopback (aiosmtpd),
config files in tmp_path, and the ``digest`` command run as a real process."""

from __future__ import annotations

import contextlib
import email
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from digest.config import SourceConfig
from digest.samples import SampleSites, sample_config
from digest.store import Store
from tests.processes import Result, run_digest, wait_for
from tests.servers import PostgresCluster, RedisServer, ServerUnavailable, free_port

__all__ = ["ROOT", "Result", "SmtpSink", "free_port", "run_digest", "serving", "wait_for"]

ROOT = Path(__file__).resolve().parent.parent

# The tests start `digest` as a real process a few hundred times. Where the environment turns
# bytecode caching off, each start compiles every module again (4 s instead of 1.7 s here).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
S = TypeVar("S", bound="SmtpSink")

# The time zones the tests' subscribers read in. A digest is due once per local day, so a test that
# runs `digest run` twice and expects "nothing due" the second time fails when a local midnight falls
# between the runs (it did, at 23:59 UTC). No test takes longer than this to run.
READERS_ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
LONGEST_TEST = timedelta(minutes=3)


def until_next_midnight(now: datetime, zones: tuple[str, ...] = READERS_ZONES) -> timedelta:
    """How long until the next local midnight in any of the zones."""
    def left(zone: str) -> timedelta:
        local = now.astimezone(ZoneInfo(zone))
        midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), local.tzinfo)
        return midnight.astimezone(UTC) - now.astimezone(UTC)
    return min(left(zone) for zone in zones)


@pytest.fixture(autouse=True)
def _one_local_day() -> None:
    """Start each test where no reader's day ends before it does: wait out a midnight near at hand."""
    wait = until_next_midnight(datetime.now(UTC))
    if wait < LONGEST_TEST:
        time.sleep(wait.total_seconds() + 1)


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster, started, then stopped and removed (skips the test when
    PostgreSQL is not installed)."""
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
        with contextlib.suppress(Exception):  # a test may have stopped it already
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    with postgres_cluster() as cluster:
        yield cluster


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


@pytest.fixture(scope="module")
def sent_digests(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with config.yaml, a database and the outbox of one real ``digest send``
    (made once per module; each test works on its own copy through ``site``)."""
    from tests.web_site import make_sent_digests

    return make_sent_digests(tmp_path_factory.mktemp("web"))


@pytest.fixture
def site(tmp_path: Path, sent_digests: Path) -> Iterator[Any]:
    """The web app on a copy of ``sent_digests`` (tests/web_site.py's ``Site``)."""
    from tests.web_site import open_site

    yield from open_site(tmp_path, sent_digests)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated store on SQLite and on PostgreSQL, with one feed source, "wire"."""
    s = Store(database_url)
    s.migrate()
    s.sync_sources([SourceConfig(name="wire", kind="feed", url="https://example.org/rss")])
    yield s
    s.close()
