"""Operating the pipeline unattended: one run at a time (the database lock), stale locks from
killed processes, graceful SIGTERM in the middle of sending, status and JSON logs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.errors import LockHeld
from digest.locks import PIPELINE, RunLock, holder_of
from digest.models import LockRow
from digest.samples import SampleSites
from digest.store import Store
from tests.conftest import ROOT, SmtpSink, free_port, run_digest, serving, wait_for
from tests.processes import start_digest


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path}/digest.db")
    s.migrate()
    yield s
    s.close()


# --- the lock ------------------------------------------------------------------------------------

def test_a_held_lock_names_its_holder_and_is_free_again_after_release(store: Store) -> None:
    first = RunLock(store, PIPELINE, "run")
    first.acquire()
    with pytest.raises(LockHeld) as caught:
        RunLock(store, PIPELINE, "send").acquire()
    assert f"'run' (pid {os.getpid()} on " in str(caught.value)
    first.release()
    assert holder_of(store, PIPELINE) is None
    with RunLock(store, PIPELINE, "send"):
        holder = holder_of(store, PIPELINE)
        assert holder is not None and holder.command == "send"


def test_a_waiting_run_gets_the_lock_when_the_holder_finishes(store: Store) -> None:
    first = RunLock(store, PIPELINE, "crawl")
    first.acquire()
    threading.Timer(0.5, first.release).start()
    second = RunLock(store, PIPELINE, "schedule: send")
    second.acquire(wait=10, poll=0.1)
    assert holder_of(store, PIPELINE).command == "schedule: send"  # type: ignore[union-attr]
    second.release()


def test_a_lock_left_by_a_dead_process_is_taken_over(store: Store) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)
    now = datetime.now(UTC)
    with store.session() as s:
        s.add(LockRow(name=PIPELINE, token="x", host=RunLock(store, PIPELINE, "t").host,
                      pid=dead_pid, command="run", acquired_at=now, heartbeat_at=now))
    with RunLock(store, PIPELINE, "run"):
        assert holder_of(store, PIPELINE).pid == os.getpid()  # type: ignore[union-attr]


def test_a_lock_whose_heartbeat_stopped_is_taken_over_from_another_host(store: Store) -> None:
    old = datetime.now(UTC) - timedelta(minutes=30)
    with store.session() as s:
        s.add(LockRow(name=PIPELINE, token="x", host="other-host", pid=1, command="run",
                      acquired_at=old, heartbeat_at=old))
    with RunLock(store, PIPELINE, "run", stale_after=timedelta(minutes=10)):
        assert holder_of(store, PIPELINE).host != "other-host"  # type: ignore[union-attr]
    fresh = datetime.now(UTC)
    with store.session() as s:
        s.add(LockRow(name=PIPELINE, token="y", host="other-host", pid=1, command="run",
                      acquired_at=fresh, heartbeat_at=fresh))
    with pytest.raises(LockHeld, match="other-host"):
        RunLock(store, PIPELINE, "run").acquire()


def test_the_heartbeat_keeps_a_long_run_fresh(store: Store) -> None:
    lock = RunLock(store, PIPELINE, "run", heartbeat=timedelta(seconds=0.2))
    lock.acquire()
    first = holder_of(store, PIPELINE).heartbeat_at  # type: ignore[union-attr]
    time.sleep(0.8)
    assert holder_of(store, PIPELINE).heartbeat_at > first  # type: ignore[union-attr]
    lock.release()


# --- overlapping runs against one database --------------------------------------------------------



def lock_holder(db: Path) -> int | None:
    if not db.exists():
        return None
    s = Store(f"sqlite:///{db}")
    try:
        holder = holder_of(s, PIPELINE)
    except Exception:  # the table is not created yet
        return None
    finally:
        s.close()
    return holder.pid if holder else None


def started(*args: str) -> subprocess.Popen[str]:
    """``digest`` in a session of its own (a signal to its group reaches its children too)."""
    return start_digest(*args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                        start_new_session=True)


def test_overlapping_runs_never_crawl_or_send_twice(demo_config: Path) -> None:
    db = demo_config.parent / "digest.db"
    first = started("run", "--config", str(demo_config))
    try:
        wait_for(lambda: lock_holder(db) == first.pid)
        second = run_digest("run", "--config", str(demo_config))
        _out, err = first.communicate(timeout=180)
    finally:
        if first.poll() is None:
            first.kill()
    assert second.code == 1
    assert f"another run holds the pipeline lock: 'run' (pid {first.pid} " in second.err
    assert first.returncode == 0, err
    assert len(list((demo_config.parent / "outbox").glob("*.eml"))) == 1
    again = run_digest("run", "--config", str(demo_config))
    assert again.code == 0, again.err
    assert "nothing due" in again.out
    assert len(list((demo_config.parent / "outbox").glob("*.eml"))) == 1
    crawls = [r for r in Store(f"sqlite:///{db}").runs() if r.command == "run"]
    assert [r.status for r in crawls] == ["ok", "ok"]  # the refused run did not start one


def running_pid(db: Path) -> int | None:
    if not db.exists():
        return None
    s = Store(f"sqlite:///{db}")
    try:
        runs = s.runs(1)
    except Exception:  # the table is not created yet
        return None
    finally:
        s.close()
    return runs[0].pid if runs and runs[0].status == "running" else None


def test_a_run_killed_with_sigkill_leaves_a_lock_the_next_run_recovers(demo_config: Path) -> None:
    db = demo_config.parent / "digest.db"
    victim = started("run", "--config", str(demo_config))
    # the run is recorded just after the lock is taken: kill it once both are there
    wait_for(lambda: lock_holder(db) == victim.pid and running_pid(db) == victim.pid)
    os.killpg(victim.pid, signal.SIGKILL)  # the crawler child too
    victim.wait()
    assert lock_holder(db) == victim.pid
    after = run_digest("run", "--config", str(demo_config))
    assert after.code == 0, after.err
    assert "taking over the stale pipeline lock" in after.err
    assert len(list((demo_config.parent / "outbox").glob("*.eml"))) == 1
    assert lock_holder(db) is None
    runs = [(r.command, r.status, r.pid) for r in Store(f"sqlite:///{db}").runs()]
    assert runs == [("run", "ok", runs[0][2]), ("run", "killed", victim.pid)]


# --- SIGTERM in the middle of sending -------------------------------------------------------------

@dataclass
class SlowSink(SmtpSink):
    """Answers each message after ``delay``; with ``gate``, holds every answer until that many
    messages were being sent at once (or ``gate_timeout`` passed), so that several senders
    must have taken work before any message goes through, whoever started first."""

    delay: float = 0.0
    gate: int = 0
    gate_timeout: float = 50.0
    at_once: int = 0
    most_at_once: int = 0
    opened: asyncio.Event | None = None

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.opened is None:
            self.opened = asyncio.Event()  # in the server's own event loop
        self.at_once += 1
        self.most_at_once = max(self.most_at_once, self.at_once)
        if self.at_once >= self.gate:
            self.opened.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.opened.wait(), self.gate_timeout)
        await asyncio.sleep(self.delay)
        self.at_once -= 1
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp() -> Iterator[SlowSink]:
    with serving(SlowSink(port=free_port(), delay=0.7)) as sink:
        yield sink


READERS = [f"reader{i}@example.org" for i in range(6)]


def stored_stories_config(tmp_path: Path, smtp_port: int) -> Path:
    """Six subscribers, stories built from imported articles (nothing to crawl)."""
    subscribers = "".join(f"  - email: {r}\n" for r in READERS)
    config = tmp_path / "config.yaml"
    config.write_text(f"""\
database: sqlite:///digest.db
sources:
  - {{name: wire, kind: feed, url: "http://127.0.0.1:9/rss.xml"}}
mail:
  from: "Digest <digest@example.org>"
  smtp: {{host: 127.0.0.1, port: {smtp_port}, timeout: 10}}
digest: {{send_at: "00:00"}}
subscribers:
{subscribers}""")
    now = datetime.now(UTC)
    lines = [json.dumps({
        "url": f"https://wire.example/{i}", "source": "wire",
        "published": (now - timedelta(hours=i + 1)).isoformat(),
        "title": f"Ceasefire talks resume in {city}",
        "text": (f"Negotiators returned to {city} on Tuesday for a new round of ceasefire talks. "
                 f"Officials in {city} said the delegations would meet for three days. "
                 "A joint statement is expected at the end of the week."),
    }) for i, city in enumerate(["Geneva", "Doha"])]
    (tmp_path / "articles.jsonl").write_text("\n".join(lines) + "\n")
    assert run_digest("import", "--config", str(config), str(tmp_path / "articles.jsonl")).code == 0
    built = run_digest("stories", "--config", str(config))
    assert built.code == 0, built.err
    return config


def test_sigterm_mid_send_finishes_the_message_and_the_next_run_sends_the_rest_once(
        tmp_path: Path, slow_smtp: SlowSink) -> None:
    config = stored_stories_config(tmp_path, slow_smtp.port)
    sender = started("send", "--config", str(config))
    try:
        wait_for(lambda: len(slow_smtp.messages) >= 1, timeout=60)
        sender.send_signal(signal.SIGTERM)
        out, err = sender.communicate(timeout=60)
    finally:
        if sender.poll() is None:
            sender.kill()
    assert sender.returncode == 1, err
    assert "received SIGTERM" in err and "digests left for the next run" in err
    sent_first = len(slow_smtp.messages)
    assert 1 <= sent_first < len(READERS)
    assert out.count("sent to ") == sent_first  # each accepted message was recorded as sent
    status = json.loads(run_digest("status", "--config", str(config), "--json").out)
    assert status["locks"]["pipeline"] is None
    assert status["runs"][0]["command"] == "send" and status["runs"][0]["status"] == "partial"
    assert status["runs"][0]["summary"]["stopped"] == len(READERS) - sent_first

    rest = run_digest("send", "--config", str(config))
    assert rest.code == 0, rest.err
    assert sorted(slow_smtp.recipients) == sorted(READERS)  # everyone exactly once


# --- status and logs -----------------------------------------------------------------------------

def test_json_logs_carry_the_run_id_and_status_shows_stage_timings(tmp_path: Path,
                                                                   sites: SampleSites) -> None:
    from digest.samples import sample_config

    config = tmp_path / "config.yaml"
    config.write_text(sample_config(sites.base_url, database="sqlite:///digest.db", outbox="outbox"))
    result = run_digest("--log-format", "json", "-v", "run", "--config", str(config))
    assert result.code == 0, result.err
    records = [json.loads(line) for line in result.err.splitlines() if line.strip()]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    run_ids = {r["run_id"] for r in records if r.get("run_id") is not None}
    assert len(run_ids) == 1
    assert any(r["logger"].startswith("scrapy") and r.get("run_id") in run_ids for r in records)

    status = run_digest("status", "--config", str(config), "--json")
    data = json.loads(status.out)
    last = data["runs"][0]
    assert last["id"] in run_ids and last["command"] == "run" and last["status"] == "ok"
    assert set(last["summary"]["stages"]) == {"crawl", "stories", "send"}
    assert {s["name"] for s in data["sources"]} == {"norland-mfa", "globe-wire", "daily-courier"}
    assert all(s["flag"] is None and s["last_success_at"] for s in data["sources"])
    text = run_digest("status", "--config", str(config))
    assert text.code == 0
    assert "Last runs:" in text.out and "Next runs" in text.out and "Deliveries: 0 pending" in text.out
