"""Scaling out on PostgreSQL (a throwaway cluster on a loopback port): several `digest send`
processes share one delivery list through row locks, and of several `digest schedule` daemons
one is active while the others stand by (an advisory lock)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.store import Store
from tests.builders import CITIES, import_stories, smtp_mail, write_config
from tests.conftest import PostgresCluster, free_port, run_digest, serving, wait_for
from tests.processes import start_digest
from tests.test_operations import SlowSink


@pytest.fixture
def pg_url(postgres: PostgresCluster) -> str:
    return postgres.database()


@pytest.fixture
def slow_sink() -> Iterator[SlowSink]:
    with serving(SlowSink(port=free_port(), delay=0.02)) as sink:
        yield sink


def config_for(tmp_path: Path, database: str, mail: str, readers: int) -> Path:
    subscribers = "".join(f"  - email: reader{i}@example.org\n" for i in range(readers))
    return write_config(tmp_path, mail=mail, subscribers=subscribers, database=database,
                        extra='schedule: {crawl: "0 5 * * *"}\n')


def test_parallel_senders_share_the_work_and_send_each_digest_once(tmp_path: Path, pg_url: str,
                                                                   slow_sink: SlowSink) -> None:
    readers = 240
    # no message is accepted before two are being sent at once: two senders must have taken
    # work, however the four happened to start (the SMTP timeout outlasts the gate's)
    slow_sink.gate = 2
    mail = f"  smtp: {{host: 127.0.0.1, port: {slow_sink.port}, timeout: 90}}\n  retries: 0"
    config = config_for(tmp_path, pg_url, mail, readers)
    import_stories(config, cities=CITIES[:3])
    senders = [start_digest("send", "--config", str(config),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(4)]
    outputs = [p.communicate(timeout=300) for p in senders]
    assert [p.returncode for p in senders] == [0, 0, 0, 0], "\n".join(err for _, err in outputs)

    counts = Counter(slow_sink.recipients)
    assert len(counts) == readers  # nobody missing
    assert max(counts.values()) == 1  # nobody twice
    shares = [out.count("sent to ") for out, _ in outputs]
    assert sum(shares) == readers
    assert slow_sink.most_at_once >= 2  # the gate opened on shared work, not on its time-out
    assert sum(1 for n in shares if n > 0) >= 2, shares  # the work was shared, not serialised

    store = Store(pg_url)
    assert {d.status for d in store.deliveries()} == {"sent"}
    again = run_digest("send", "--config", str(config))
    assert again.code == 0 and "nothing due" in again.out
    store.close()


def test_a_killed_sender_leaves_its_message_to_the_others(tmp_path: Path, pg_url: str) -> None:
    with serving(SlowSink(port=free_port(), delay=0.5)) as sink:
        config = config_for(tmp_path, pg_url, smtp_mail(sink.port), 6)
        import_stories(config, cities=CITIES[:2])
        victim = start_digest("send", "--config", str(config),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: len(sink.recipients) >= 2, timeout=60)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        rest = run_digest("send", "--config", str(config))
        assert rest.code == 0, rest.err
        counts = Counter(sink.recipients)
        assert len(counts) == 6
        # only the message in flight when the sender died can arrive twice
        assert sum(counts.values()) - 6 <= 1


def _status(config: Path) -> dict[str, object]:
    result = run_digest("status", "--config", str(config), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert isinstance(data, dict)
    return data


def test_one_daemon_is_active_and_a_standby_takes_over_when_it_dies(tmp_path: Path, pg_url: str) -> None:
    config = config_for(tmp_path, pg_url, "  outbox: outbox", 1)

    def daemon(name: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "digest", "-v", "schedule", "--config", str(config)],
            stdout=subprocess.DEVNULL, stderr=(tmp_path / f"{name}.log").open("w"), text=True)

    def log_of(name: str) -> str:
        return (tmp_path / f"{name}.log").read_text()

    first = daemon("first")
    try:
        wait_for(lambda: "next " in log_of("first"), timeout=60)
        second = daemon("second")
        try:
            wait_for(lambda: "standing by" in log_of("second"), timeout=60)
            holder = _status(config)["locks"]["daemon"]  # type: ignore[index]
            assert holder["pid"] == first.pid  # type: ignore[index]
            assert "next " not in log_of("second")  # it fires nothing while standing by

            first.send_signal(signal.SIGKILL)  # no clean release: the server drops the lock
            first.wait()
            wait_for(lambda: "taking over" in log_of("second"), timeout=30)
            wait_for(lambda: "next " in log_of("second"), timeout=30)
            holder = _status(config)["locks"]["daemon"]  # type: ignore[index]
            assert holder["pid"] == second.pid  # type: ignore[index]
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=60) == 0
    finally:
        if first.poll() is None:
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
