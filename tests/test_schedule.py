"""The scheduler: daily triggers across daylight-saving changes, crontab semantics, the plan,
and the daemon's persisted jobs on a controlled clock (time-machine; no real waiting)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.base import BaseScheduler

from digest.config import load_config
from digest.domain import NewArticle
from digest.errors import ConfigError
from digest.schedule import Daemon
from digest.store import Store
from digest.triggers import DailyAt, cron_trigger
from tests.conftest import ROOT, run_digest, wait_for
from tests.processes import start_digest

LONDON, NEW_YORK, SYDNEY = "Europe/London", "America/New_York", "Australia/Sydney"


def fire_times(trigger: Any, start: datetime, days: int) -> list[datetime]:
    out, at = [], trigger.get_next_fire_time(None, start)
    while at is not None and at < start + timedelta(days=days):
        out.append(at)
        at = trigger.get_next_fire_time(at, at)
    return out


# --- DailyAt across DST -------------------------------------------------------------------------

@pytest.mark.parametrize(("zone", "spring", "autumn"), [
    (LONDON, date(2026, 3, 29), date(2026, 10, 25)),
    (NEW_YORK, date(2026, 3, 8), date(2026, 11, 1)),
    (SYDNEY, date(2026, 10, 4), date(2026, 4, 5)),  # southern hemisphere: October forward
])
def test_seven_oclock_is_seven_oclock_on_both_sides_of_each_change(zone: str, spring: date,
                                                                   autumn: date) -> None:
    trigger = DailyAt(time(7, 0), zone)
    for change in (spring, autumn):
        start = datetime.combine(change - timedelta(days=2), time(12), tzinfo=ZoneInfo(zone))
        times = fire_times(trigger, start, 4)
        local = [t.astimezone(ZoneInfo(zone)) for t in times]
        assert [t.date() for t in local] == [change - timedelta(days=1) + timedelta(days=i)
                                             for i in range(4)]
        assert {(t.hour, t.minute) for t in local} == {(7, 0)}
        offsets = {t.utcoffset() for t in local}
        assert len(offsets) == 2  # the UTC instant moved by an hour; the local time did not


@pytest.mark.parametrize(("zone", "day", "at", "expected_local"), [
    (LONDON, date(2026, 3, 29), time(1, 30), datetime(2026, 3, 29, 2, 0)),  # 01:00 -> 02:00
    (NEW_YORK, date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 3, 0)),  # 02:00 -> 03:00
    (SYDNEY, date(2026, 10, 4), time(2, 30), datetime(2026, 10, 4, 3, 0)),  # 02:00 -> 03:00
])
def test_a_time_skipped_by_spring_forward_fires_once_at_the_next_valid_minute(
        zone: str, day: date, at: time, expected_local: datetime) -> None:
    tz = ZoneInfo(zone)
    times = fire_times(DailyAt(at, zone), datetime.combine(day - timedelta(days=1), time(12), tz), 3)
    that_day = [t.astimezone(tz) for t in times if t.astimezone(tz).date() == day]
    assert len(that_day) == 1
    assert that_day[0].replace(tzinfo=None) == expected_local
    # the day after is back to the configured time
    after = [t.astimezone(tz) for t in times if t.astimezone(tz).date() == day + timedelta(days=1)]
    assert [(t.hour, t.minute) for t in after] == [(at.hour, at.minute)]


@pytest.mark.parametrize(("zone", "day", "at"), [
    (LONDON, date(2026, 10, 25), time(1, 30)),  # 02:00 BST -> 01:00 GMT: 01:30 twice
    (NEW_YORK, date(2026, 11, 1), time(1, 30)),
    (SYDNEY, date(2026, 4, 5), time(2, 30)),  # 03:00 AEDT -> 02:00 AEST
])
def test_a_time_repeated_by_fall_back_fires_once(zone: str, day: date, at: time) -> None:
    tz = ZoneInfo(zone)
    start = datetime.combine(day - timedelta(days=1), time(12), tz)
    times = fire_times(DailyAt(at, zone), start, 3)
    that_day = [t for t in times if t.astimezone(tz).date() == day]
    assert len(that_day) == 1
    assert (that_day[0].astimezone(tz).hour, that_day[0].astimezone(tz).minute) == (at.hour, at.minute)
    # the first of the two occurrences
    assert that_day[0].astimezone(tz).utcoffset() == (datetime.combine(day, time(0), tz).utcoffset())
    # APScheduler's own CronTrigger fires this twice (NOTES.md); ours must not
    cron = cron_trigger(f"{at.minute} {at.hour} * * *", zone)
    assert len([t for t in fire_times(cron, start, 3) if t.astimezone(tz).date() == day]) == 2


def test_daily_trigger_survives_pickling_and_compares_by_value() -> None:
    import pickle

    trigger = DailyAt(time(7, 5), SYDNEY)
    again = pickle.loads(pickle.dumps(trigger))
    assert again == trigger and str(again) == "daily at 07:05 Australia/Sydney"
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert again.get_next_fire_time(None, now) == trigger.get_next_fire_time(None, now)


# --- crontab semantics --------------------------------------------------------------------------

def test_crontab_weekday_numbers_mean_what_cron_means() -> None:
    sunday = cron_trigger("0 7 * * 0", "UTC")
    start = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
    fired = fire_times(sunday, start, 14)
    assert [t.strftime("%a %H:%M") for t in fired] == ["Sun 07:00", "Sun 07:00"]
    assert fire_times(cron_trigger("0 7 * * 7", "UTC"), start, 14) == fired
    weekdays = fire_times(cron_trigger("0 7 * * 1-5", "UTC"), start, 7)
    assert [t.strftime("%a") for t in weekdays] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    every_other = fire_times(cron_trigger("0 7 * * */2", "UTC"), start, 7)
    assert sorted(t.strftime("%a") for t in every_other) == ["Sat", "Sun", "Thu", "Tue"]
    names = fire_times(cron_trigger("0 7 * * sat,sun", "UTC"), start, 7)
    assert [t.strftime("%a") for t in names] == ["Sat", "Sun"]


def test_crontab_triggers_always_carry_the_configured_zone() -> None:
    trigger = cron_trigger("0 6 * * *", "Asia/Tokyo")
    assert str(trigger.timezone) == "Asia/Tokyo"
    first = trigger.get_next_fire_time(None, datetime(2026, 6, 1, tzinfo=UTC))
    assert first is not None and first.astimezone(ZoneInfo("Asia/Tokyo")).hour == 6


@pytest.mark.parametrize(("expr", "message"), [
    ("0 7 * *", "needs 5 fields"),
    ("0 25 * * *", "not a valid crontab"),
    ("0 7 1 * 1", "both the day of month and the day of week"),
    ("0 7 * * 9", "not 0-7"),
])
def test_bad_crontab_lines_are_config_errors_with_their_line(tmp_path: Path, expr: str,
                                                             message: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(f'mail: {{from: "d@example.org", outbox: out}}\nschedule:\n  crawl: "{expr}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems[0].startswith("line 3: schedule.crawl:")
    assert message in caught.value.problems[0]


# --- the plan -----------------------------------------------------------------------------------

def write_config(folder: Path, subscribers: str, *, crawl: str = "0 3 * * *",
                 extra: str = "") -> Path:
    path = folder / "config.yaml"
    path.write_text(f"""\
database: sqlite:///digest.db
timezone: {LONDON}
sources:
  - name: wire
    kind: feed
    url: http://127.0.0.1:9/rss.xml
mail:
  from: "Digest <digest@example.org>"
  outbox: outbox
digest:
  send_at: "07:00"
  window_hours: 48
schedule:
  crawl: "{crawl}"
  misfire_grace_minutes: 120
  lock_wait_minutes: 0
subscribers:
{subscribers}{extra}""")
    return path


SUBSCRIBERS = """\
  - email: london@example.org
  - email: london2@example.org
  - email: night@example.org
    send_at: "01:30"
  - email: ny@example.org
    timezone: America/New_York
  - email: sydney@example.org
    timezone: Australia/Sydney
    send_at: "02:30"
"""


def test_plan_prints_each_groups_runs_in_utc_and_local_time(tmp_path: Path) -> None:
    config = write_config(tmp_path, SUBSCRIBERS)
    result = run_digest("schedule", "--config", str(config), "--plan",
                        "--from", "2026-03-27T12:00:00+00:00", "--days", "3")
    assert result.code == 0, result.err
    runs = [json.loads(line) for line in result.out.splitlines()]
    assert [r["at"] for r in runs] == sorted(r["at"] for r in runs)
    assert set(runs[0]) == {"job", "at", "local", "subscribers"}
    london = [r for r in runs if r["job"] == "send Europe/London 07:00"]
    assert [(r["at"], r["local"]) for r in london] == [
        ("2026-03-28T07:00:00+00:00", "2026-03-28T07:00:00+00:00"),
        ("2026-03-29T06:00:00+00:00", "2026-03-29T07:00:00+01:00"),  # clocks went forward
        ("2026-03-30T06:00:00+00:00", "2026-03-30T07:00:00+01:00"),
    ]
    assert london[0]["subscribers"] == ["london2@example.org", "london@example.org"]
    night = [r["local"] for r in runs if r["job"] == "send Europe/London 01:30"]
    # 01:30 did not exist on the 29th: it went out at 02:00 BST, once
    assert night == ["2026-03-28T01:30:00+00:00", "2026-03-29T02:00:00+01:00",
                     "2026-03-30T01:30:00+01:00"]
    assert [r["job"] for r in runs].count("crawl") == 3
    assert all(r["subscribers"] == ["ny@example.org"] for r in runs
               if r["job"] == "send America/New_York 07:00")


@pytest.mark.parametrize(("args", "says"), [
    (["--plan", "--days", "0"], "0.0 is not in the range 0<x<=366"),
    (["--plan", "--days", "-2"], "is not in the range 0<x<=366"),
    (["--plan", "--days", "nan"], "--days must be a number of days, more than 0"),
    (["--plan", "--days", "400"], "is not in the range 0<x<=366"),
    (["--days", "2"], "--days applies only with --plan"),
    (["--from", "2026-03-27T12:00:00+00:00"], "--from applies only with --plan"),
    (["--plan", "--from", "someday"], "'someday' is not an ISO date/time"),
])
def test_impossible_plan_flags_are_exit_2(tmp_path: Path, args: list[str], says: str) -> None:
    config = write_config(tmp_path, SUBSCRIBERS)
    result = run_digest("schedule", "--config", str(config), *args)
    assert result.code == 2 and says in result.err and "Traceback" not in result.err
    assert result.out == ""


def test_other_impossible_flags_are_exit_2(tmp_path: Path) -> None:
    config = write_config(tmp_path, SUBSCRIBERS)
    backwards = run_digest("stories", "--config", str(config), "--since", "2026-03-27T12:00:00+00:00",
                           "--until", "2026-03-26T12:00:00+00:00")
    assert backwards.code == 2 and "is not after --since" in backwards.err
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    nowhere = run_digest("preview", "--config", str(config), "--out", str(blocked / "sub"))
    assert nowhere.code == 2 and "--out: cannot write to" in nowhere.err and "Traceback" not in nowhere.err


# --- the daemon on a controlled clock ------------------------------------------------------------

class ClockScheduler(BaseScheduler):
    """APScheduler with no thread of its own: due jobs run when the test calls ``tick``,
    at whatever time time-machine says it is."""

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def wakeup(self) -> None:
        pass

    def tick(self) -> None:
        self._process_jobs()


@pytest.fixture
def travel() -> Iterator[Any]:
    travellers: list[Any] = []

    def go(when: datetime) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(when, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    if travellers:
        travellers.pop().stop()


def start_daemon(config: Path) -> tuple[Daemon, ClockScheduler]:
    daemon = Daemon(config, executor=DebugExecutor(), scheduler_class=ClockScheduler)
    daemon.start()
    assert isinstance(daemon.scheduler, ClockScheduler)
    return daemon, daemon.scheduler


def next_run(daemon: Daemon, job_id: str) -> datetime | None:
    return dict(daemon.next_runs())[job_id]


def seed_articles(config: Path, day: date) -> None:
    store = Store(load_config(config).database)
    store.migrate()
    store.sync_sources(load_config(config).sources)
    for i, city in enumerate(["Geneva", "Vienna", "Oslo"]):
        store.add_article(NewArticle(
            source="wire", url=f"https://wire.example/{i}", title=f"Talks open in {city}",
            text=(f"Foreign ministers met in {city} on Monday to open talks on a ceasefire. "
                  f"The talks in {city} are expected to last three days. Delegations from "
                  "twelve countries attended the opening session, officials said."),
            published=datetime.combine(day, time(3, i), UTC)))
    store.close()


def outbox(folder: Path) -> list[Path]:
    return sorted((folder / "outbox").glob("*.eml"))


def test_a_send_missed_while_down_runs_once_on_restart_within_the_grace_time(
        tmp_path: Path, travel: Any) -> None:
    config = write_config(tmp_path, "  - email: london@example.org\n")
    seed_articles(config, date(2026, 6, 1))
    job = "send Europe/London 07:00"
    seven = datetime(2026, 6, 1, 7, 0, tzinfo=ZoneInfo(LONDON))

    travel(datetime(2026, 6, 1, 5, 0, tzinfo=UTC))  # 06:00 BST: the daemon starts, then dies
    daemon, scheduler = start_daemon(config)
    assert next_run(daemon, job) == seven
    scheduler.tick()
    assert outbox(tmp_path) == []  # not yet due
    daemon.stop()

    travel(datetime(2026, 6, 1, 6, 30, tzinfo=UTC))  # 07:30 BST: back up, 30 min late
    daemon, scheduler = start_daemon(config)
    assert next_run(daemon, job) == seven  # the stored job was kept, not re-added
    scheduler.tick()
    assert len(outbox(tmp_path)) == 1
    assert next_run(daemon, job) == seven + timedelta(days=1)
    scheduler.tick()
    daemon.stop()

    travel(datetime(2026, 6, 1, 6, 40, tzinfo=UTC))  # another restart the same morning
    daemon, scheduler = start_daemon(config)
    scheduler.tick()
    daemon.stop()
    assert len(outbox(tmp_path)) == 1  # never twice

    travel(datetime(2026, 6, 2, 9, 0, tzinfo=UTC))  # next day, down until 10:00 BST: too late
    daemon, scheduler = start_daemon(config)
    scheduler.tick()
    assert len(outbox(tmp_path)) == 1
    assert next_run(daemon, job) == seven + timedelta(days=2)
    daemon.stop()

    store = Store(load_config(config).database)
    sends = [r for r in store.runs(50) if r.command == "schedule:send"]
    assert len(sends) == 1 and sends[0].status == "ok"
    assert sends[0].summary["sent"] == 1 and set(sends[0].summary["stages"]) == {"stories", "send"}


def test_sync_adds_replaces_and_removes_jobs_to_match_the_config(tmp_path: Path,
                                                                 travel: Any) -> None:
    travel(datetime(2026, 6, 1, 5, 0, tzinfo=UTC))
    config = write_config(tmp_path, SUBSCRIBERS)
    daemon, _ = start_daemon(config)
    assert {job for job, _ in daemon.next_runs()} == {
        "crawl", "send Europe/London 07:00", "send Europe/London 01:30",
        "send America/New_York 07:00", "send Australia/Sydney 02:30"}
    assert daemon.sync_jobs() == []  # nothing changed: nothing touched
    write_config(tmp_path, "  - email: tokyo@example.org\n    timezone: Asia/Tokyo\n",
                 crawl="30 */4 * * *")
    changes = daemon.sync_jobs()
    assert any(c.startswith("replaced crawl") for c in changes)
    assert {job for job, _ in daemon.next_runs()} == {"crawl", "send Asia/Tokyo 07:00"}
    store = Store(load_config(config).database)
    assert [s.email for s in store.subscribers()] == ["tokyo@example.org"]
    daemon.stop()


def test_a_broken_config_stops_the_daemon_from_starting(tmp_path: Path) -> None:
    config = write_config(tmp_path, "  - email: london@example.org\n    timezone: Mars/Base\n")
    result = run_digest("schedule", "--config", str(config))
    assert result.code == 2
    assert "subscribers.0.timezone" in result.err and "Mars/Base" in result.err


# --- the daemon as a process ---------------------------------------------------------------------

def job_ids(db: Path) -> set[str]:
    try:
        with sqlite3.connect(db) as conn:
            return {row[0] for row in conn.execute("select id from apscheduler_jobs")}
    except sqlite3.OperationalError:
        return set()




def test_daemon_rereads_the_config_on_sighup_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    config = write_config(tmp_path, "  - email: london@example.org\n")
    db = tmp_path / "digest.db"
    proc = start_digest("-v", "schedule", "--config", str(config),
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: job_ids(db) == {"crawl", "send Europe/London 07:00"})
        second = run_digest("schedule", "--config", str(config))
        assert second.code == 1 and "holds the daemon lock" in second.err
        write_config(tmp_path, "  - email: london@example.org\n"
                               "  - email: tokyo@example.org\n    timezone: Asia/Tokyo\n"
                               '    send_at: "06:15"\n')
        proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "send Asia/Tokyo 06:15" in job_ids(db))
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "SIGHUP" in err and "scheduler stopped" in err
    status = run_digest("status", "--config", str(config), "--json")
    assert status.code == 0, status.err
    data = json.loads(status.out)
    assert data["locks"] == {"pipeline": None, "daemon": None}  # released on the way out
    assert {r["job"] for r in data["next_runs"]} >= {"send Asia/Tokyo 06:15", "crawl"}
