"""The ``digest schedule`` daemon: APScheduler 3 jobs kept in the database.

Jobs:

* ``crawl``: crawl every source and rebuild the stories, on ``schedule.crawl`` (a crontab line
  in the config's ``timezone``).
* ``send <zone> <HH:MM>``: one per (time zone, send time) shared by subscribers; rebuilds the
  stories and sends those subscribers' digests. Its trigger, :class:`~digest.triggers.DailyAt`,
  fires once a day at that local time across daylight-saving changes.

The jobs live in APScheduler's SQLAlchemy job store in the project's database, referenced as
``digest.schedule:crawl_job`` / ``send_job`` with the config path as argument, so a restart
neither loses nor repeats them: a job that came due while the daemon was down runs once
(``coalesce``) if it is at most ``schedule.misfire_grace_minutes`` late. Jobs run one at a time
and take the pipeline lock, so a cron ``digest run`` never overlaps them; sending is exactly-once
per subscriber and day in any case (deliveries, :mod:`digest.deliver`).

The config is read again by every job, and the job list is brought in line with it (and with
subscribers added by ``digest subscribers``) after every job and on SIGHUP.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime, time
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger

from digest import shutdown
from digest.config import load_config
from digest.locks import DAEMON, AdvisoryLock, RunLock
from digest.plan import CRAWL_JOB, crawl_trigger, send_groups
from digest.stages import crawl_and_build, open_store, send_due, subscriber_defaults

__all__ = ["Daemon", "crawl_job", "send_job"]

log = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"
STANDBY_POLL_SECONDS = 2.0  # how often a standby daemon (PostgreSQL) tries to take over


# --- the jobs (module-level functions: the job store refers to them by name) ---------------------

def crawl_job(config_path: str) -> None:
    """Crawl every source and rebuild the stories."""
    config = load_config(config_path)
    report = crawl_and_build(config, command="schedule:crawl",
                             lock_wait=config.schedule.lock_wait_minutes * 60.0, interactive=False)
    for r in report.sources:
        if not r.ok:
            log.warning("source %s failed: %s", r.name, r.error)


def send_job(config_path: str, timezone: str, send_at: str) -> None:
    """Rebuild the stories and send the digests of the subscribers in one send group."""
    config = load_config(config_path)
    at = time.fromisoformat(send_at)
    report = send_due(
        config, command="schedule:send", rebuild=True,
        only=lambda sub: (sub.timezone, sub.send_at) == (timezone, at),
        lock_wait=config.schedule.lock_wait_minutes * 60.0)
    for email, reason in report.failed:
        log.error("digest for %s failed: %s", email, reason)


# --- the daemon ----------------------------------------------------------------------------------

class Daemon:
    """APScheduler with a database job store, kept in line with the config."""

    def __init__(self, config_path: Path, *, executor: Any = None,
                 scheduler_class: type[BaseScheduler] = BackgroundScheduler) -> None:
        self.config_path = str(Path(config_path).resolve())
        self.config = load_config(self.config_path)
        self.store = open_store(self.config)
        self.scheduler = scheduler_class(
            jobstores={"default": SQLAlchemyJobStore(url=self.config.database,
                                                     tablename=JOBS_TABLE)},
            executors={"default": executor or ThreadPoolExecutor(max_workers=1)},
            timezone=ZoneInfo(self.config.timezone),
        )
        self._reload = threading.Event()

    def sync_jobs(self) -> list[str]:
        """Add, replace or remove jobs so the store matches the config; returns what changed.

        A job whose function, arguments and trigger are unchanged is left alone, so that its
        stored next run time (and with it a run missed while the daemon was down) survives.
        """
        self.config = load_config(self.config_path)
        self.store.sync_sources(self.config.sources)
        self.store.sync_subscribers(self.config.subscribers)
        self.store.subscriber_defaults = subscriber_defaults(self.config)  # the zone may change
        grace = self.config.schedule.misfire_grace_minutes * 60
        wanted: dict[str, tuple[str, tuple[str, ...], BaseTrigger]] = {
            CRAWL_JOB: ("digest.schedule:crawl_job", (self.config_path,), crawl_trigger(self.config)),
        }
        for group in send_groups(self.store.subscribers()):
            wanted[group.job_id] = ("digest.schedule:send_job",
                                    (self.config_path, group.timezone, f"{group.send_at:%H:%M}"),
                                    group.trigger())
        changes = []
        existing = {job.id: job for job in self.scheduler.get_jobs()}
        for job_id in existing:
            if job_id not in wanted:
                self.scheduler.remove_job(job_id)
                changes.append(f"removed {job_id}")
        for job_id, (func, args, trigger) in wanted.items():
            old = existing.get(job_id)
            if (old is not None and old.func_ref == func and tuple(old.args) == args
                    and str(old.trigger) == str(trigger) and old.misfire_grace_time == grace):
                continue
            self.scheduler.add_job(func, trigger, args=args, id=job_id, name=job_id,
                                   replace_existing=True, coalesce=True, max_instances=1,
                                   misfire_grace_time=grace)
            changes.append(f"{'replaced' if old else 'added'} {job_id} ({trigger})")
        for change in changes:
            log.info("schedule: %s", change)
        return changes

    def next_runs(self) -> list[tuple[str, datetime | None]]:
        return [(job.id, job.next_run_time) for job in self.scheduler.get_jobs()]

    def start(self, *, paused: bool = False) -> None:
        """Start the scheduler (in its own thread) with the job list synced."""
        self.scheduler.start(paused=True)
        self.sync_jobs()
        self.scheduler.add_listener(self._after_job, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        if not paused:
            self.scheduler.resume()

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)  # the running job finishes its current message
        self.store.close()

    def run_forever(self) -> None:
        """The daemon's main loop: holds the daemon lock; SIGHUP re-reads the config;
        SIGTERM/SIGINT stop after the job in hand."""
        shutdown.install()
        standby = None
        if self.store.row_locks:  # PostgreSQL: stand by while another daemon is active
            standby = AdvisoryLock(self.store, DAEMON)
            if not standby.try_acquire():
                log.warning("another scheduler daemon is active on this database: standing by")
                while not standby.try_acquire():
                    if shutdown.wait(STANDBY_POLL_SECONDS):
                        self.store.close()
                        return
                log.warning("the active scheduler daemon is gone: taking over")
        lock = RunLock(self.store, DAEMON, "schedule", takeover=standby is not None)
        lock.acquire()
        signal.signal(signal.SIGHUP, self._on_hup)
        try:
            self.start()
            for job_id, at in self.next_runs():
                log.info("next %s at %s", job_id, at.isoformat() if at else "never (paused)")
            while not shutdown.requested():
                if self._reload.wait(1.0):
                    self._reload.clear()
                    log.info("SIGHUP: reading %s again", self.config_path)
                    self._sync_logged()
        finally:
            self.stop()
            lock.release()
            if standby is not None:
                standby.release()
            log.info("scheduler stopped")

    def _on_hup(self, number: int, frame: FrameType | None) -> None:
        self._reload.set()

    def _after_job(self, event: JobExecutionEvent) -> None:
        if event.exception is not None:
            log.error("job %s failed: %s", event.job_id, event.exception)
        if not shutdown.requested():
            self._sync_logged()

    def _sync_logged(self) -> None:
        try:
            self.sync_jobs()
        except Exception as e:  # a broken config must not kill the daemon: keep the old jobs
            log.error("config not applied, keeping the current jobs: %s", e)
