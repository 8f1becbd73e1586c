"""Send every digest that is due, exactly once.

For each active subscriber whose local ``send_at`` has passed today, and who has no finished
delivery for that local date: pick the stories (their sources and topics), render, claim the
delivery row, send, and only then mark it sent. A temporary failure leaves the row to be tried
on the next run; a permanent one marks it failed with the server's reply. Called by the
``send`` and ``run`` commands and by the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from digest.config import Config
from digest.domain import Story
from digest.mail import MailParts, PermanentSendError, TemporarySendError, Transport, build_message
from digest.models import SubscriberRow
from digest.render import DigestContent, RenderedDigest, Renderer
from digest.store import Store

__all__ = ["SendReport", "Sender"]

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    retry: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    planned: list[tuple[str, str, list[str]]] = field(default_factory=list)  # dry run
    stopped: int = 0  # digests left unsent because a stop was requested

    @property
    def ok(self) -> bool:
        return not self.failed and not self.retry and not self.stopped

    def counts(self) -> dict[str, int]:
        return {"sent": len(self.sent), "failed": len(self.failed), "retry": len(self.retry),
                "skipped": len(self.skipped), "stopped": self.stopped}


@dataclass(frozen=True)
class _Due:
    subscriber: SubscriberRow
    day: date
    timezone: str


class Sender:
    """Builds and sends the due digests for one config and store."""

    def __init__(self, config: Config, store: Store, renderer: Renderer,
                 transport: Callable[[], Transport]) -> None:
        self.config = config
        self.store = store
        self.renderer = renderer
        self.transport = transport

    def due(self, now: datetime) -> list[_Due]:
        """Subscribers whose send time has passed in their zone and who have no finished
        delivery for their local date."""
        found = []
        for sub in self.store.subscribers():
            zone = sub.timezone or self.config.timezone
            local = now.astimezone(ZoneInfo(zone))
            send_at = time.fromisoformat(sub.send_at) if sub.send_at else self.config.digest.send_at
            if local.time() < send_at:
                continue
            existing = self.store.delivery(sub.id, local.date())
            if existing is not None and existing.status in ("sent", "failed"):
                continue
            found.append(_Due(sub, local.date(), zone))
        return found

    def stories_for(self, subscriber: SubscriberRow | None, now: datetime) -> tuple[list[Story], int]:
        """(stories for this subscriber, how many more matched beyond ``max_stories``)."""
        since = now - timedelta(hours=self.config.digest.window_hours)
        stories = self.store.stories_updated_since(since)
        if subscriber is not None:
            stories = [s for s in stories if _matches(s, subscriber)]
        limit = self.config.digest.max_stories
        return stories[:limit], max(0, len(stories) - limit)

    def content(self, subscriber: SubscriberRow | None, day: date, zone: str,
                now: datetime) -> DigestContent:
        stories, more = self.stories_for(subscriber, now)
        base = self.config.web.base_url
        return DigestContent(
            title=self.config.digest.title,
            day=day,
            timezone=zone,
            stories=stories,
            subscriber_name=subscriber.name if subscriber else None,
            archive_url=f"{base.rstrip('/')}/digests/{day.isoformat()}" if base else None,
            more_stories=more,
        )

    def send_due(self, now: datetime | None = None, *, dry_run: bool = False,
                 only: Callable[[SubscriberRow], bool] | None = None,
                 should_stop: Callable[[], bool] = lambda: False) -> SendReport:
        """Send every due digest (or, with ``dry_run``, list them).

        ``only`` narrows the subscribers (the scheduler's job for one send time); when
        ``should_stop`` turns true, the message being sent is finished and the rest are left
        for the next run.
        """
        now = now or datetime.now(UTC)
        self.store.sync_subscribers(self.config.subscribers)
        report = SendReport()
        rendered: dict[tuple[object, ...], RenderedDigest] = {}
        batch: list[tuple[_Due, DigestContent]] = []
        for item in self.due(now):
            if only is not None and not only(item.subscriber):
                continue
            content = self.content(item.subscriber, item.day, item.timezone, now)
            if not content.stories:
                report.skipped.append((item.subscriber.email, "no stories matched"))
            elif dry_run:
                report.planned.append((item.subscriber.email, item.day.isoformat(),
                                       [s.title for s in content.stories]))
            else:
                batch.append((item, content))
        if not batch:
            return report
        with self.transport() as transport:
            for done, (item, content) in enumerate(batch):
                if should_stop():
                    report.stopped = len(batch) - done
                    log.warning("stopping: %d digests left for the next run", report.stopped)
                    break
                key = (tuple(s.id for s in content.stories), content.subscriber_name,
                       content.timezone, content.day, content.more_stories)
                if key not in rendered:  # identical content is rendered once
                    rendered[key] = self.renderer.render(content)
                self._deliver(transport, item.subscriber, item.day, content, rendered[key], report)
        return report

    def _deliver(self, transport: Transport, sub: SubscriberRow, day: date,
                 content: DigestContent, digest: RenderedDigest, report: SendReport) -> None:
        claim = self.store.claim_delivery(sub.id, day, max_attempts=MAX_ATTEMPTS)
        if claim is None:
            report.skipped.append((sub.email, "already sent or given up"))
            return
        sender = self.config.mail.sender
        message = build_message(MailParts(
            sender_name=sender.name, sender_address=sender.email,
            to_name=sub.name, to_address=sub.email,
            subject=digest.subject, text=digest.text, html=digest.html,
            list_id=self.config.digest.title,
        ))
        story_ids = [s.id for s in content.stories]
        try:
            transport.send(message)
        except PermanentSendError as e:
            self.store.finish_delivery(claim.id, status="failed", error=str(e))
            report.failed.append((sub.email, str(e)))
            log.error("digest for %s failed for good: %s", sub.email, e)
            return
        except TemporarySendError as e:
            status = "failed" if claim.attempts >= MAX_ATTEMPTS else "pending"
            self.store.finish_delivery(claim.id, status=status, error=str(e))
            (report.failed if status == "failed" else report.retry).append((sub.email, str(e)))
            log.warning("digest for %s not sent (attempt %d): %s", sub.email, claim.attempts, e)
            return
        self.store.finish_delivery(claim.id, status="sent", message_id=str(message["Message-ID"]),
                                   subject=digest.subject, story_ids=story_ids)
        report.sent.append(sub.email)
        log.info("sent digest for %s to %s", day, sub.email)


def _matches(story: Story, subscriber: SubscriberRow) -> bool:
    wanted_sources: Sequence[str] = subscriber.sources or ()
    if wanted_sources and not any(s.name in wanted_sources for s in story.sources):
        return False
    topics = [t.lower() for t in (subscriber.topics or ())]
    if topics:
        haystack = " ".join([story.title, story.summary, *story.highlights]).lower()
        return any(t in haystack for t in topics)
    return True
