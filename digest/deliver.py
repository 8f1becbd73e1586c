"""Send every digest that is due, exactly once: how a digest goes out.

What each subscriber gets (who is due, which stories, their links) is :mod:`digest.edition`'s;
here each due digest is rendered (once per distinct story list, then personalised), its
delivery row claimed, the message sent at the configured pace, and only then marked sent. A
temporary failure is retried with backoff, then left to the next run; a permanent one marks
the row failed with the server's reply. A process killed between claim and
mark leaves the row ``sending``: the next run sends it again (logged), so a message whose SMTP
transaction was cut before the server's final reply may arrive twice, never zero times.
Called by the stages (:mod:`digest.stages`).
"""

from __future__ import annotations

import logging
import random
import time as time_module
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from digest.bounces import return_path
from digest.config import Config
from digest.domain import Subscriber
from digest.edition import Due, Editions
from digest.mail import (
    BodyTemplate,
    DkimSigner,
    LoginRefused,
    MailParts,
    OutgoingMessage,
    PermanentSendError,
    SendError,
    TemporarySendError,
    Transport,
    build_message,
)
from digest.render import HOLES, TOKEN, DigestContent, RenderedDigest, Renderer
from digest.store import Claim, Store
from digest.tokens import signing_key

__all__ = ["SendReport", "Sender"]

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
MAX_HTML_BYTES = 100_000  # Gmail clips a message whose HTML is over about 102 KB


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    retry: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    suspended: list[tuple[str, str]] = field(default_factory=list)  # hard bounces on 3 days
    planned: list[tuple[str, str, list[str]]] = field(default_factory=list)  # dry run
    stopped: int = 0  # digests left unsent because a stop was requested

    @property
    def ok(self) -> bool:
        return not self.failed and not self.retry and not self.stopped

    def counts(self) -> dict[str, int]:
        return {"sent": len(self.sent), "failed": len(self.failed), "retry": len(self.retry),
                "skipped": len(self.skipped), "suspended": len(self.suspended),
                "stopped": self.stopped}


class Sender:
    """Builds and sends the due digests for one config and store."""

    def __init__(self, config: Config, store: Store, renderer: Renderer,
                 transport: Callable[[], Transport], *, dkim: DkimSigner | None = None,
                 sleep: Callable[[float], None] = time_module.sleep) -> None:
        self.config = config
        self.store = store
        self.renderer = renderer
        self.transport = transport
        self.dkim = dkim
        self.sleep = sleep
        self.editions = Editions(config, store)
        self._encoded: dict[int, tuple[RenderedDigest, BodyTemplate, BodyTemplate]] = {}
        self._key: bytes | None = None

    def send_due(self, now: datetime | None = None, *, dry_run: bool = False,
                 only: Callable[[Subscriber], bool] | None = None,
                 should_stop: Callable[[], bool] = lambda: False) -> SendReport:
        """Send every due digest (or, with ``dry_run``, list them).

        ``only`` narrows the subscribers (the scheduler's job for one send time); when
        ``should_stop`` turns true, the message being sent is finished and the rest are left
        for the next run.
        """
        now = now or datetime.now(UTC)
        report = SendReport()
        stories = self.editions.stories(now)
        batch: list[tuple[Due, DigestContent]] = []
        for item in self.editions.due(now):
            if only is not None and not only(item.subscriber):
                continue
            content = self.editions.content(item.subscriber, now, stories, day=item.day)
            if not content.stories and self.config.digest.quiet_day == "skip":
                report.skipped.append((item.subscriber.email, "no stories matched"))
            elif dry_run:
                report.planned.append((item.subscriber.email, item.day.isoformat(),
                                       [s.title for s in content.stories]))
            else:
                batch.append((item, content))
        if not batch:
            return report
        # the web archive's copy, and what tells each subscriber later what is new to them:
        # the day's stories, and the week's when a weekly digest goes out that day
        weekly = {item.day for item, content in batch if content.weekly}
        for day in sorted({item.day for item, _ in batch}):
            kept = {s.id: s for s in stories}
            if day in weekly:
                kept.update((s.id, s) for s in self.editions.stories(now, days=7) if s.id not in kept)
            self.store.save_edition(day, list(kept.values()))
        if self.store.row_locks:  # other senders may work on the same list: start elsewhere
            self.store.ensure_deliveries([(item.subscriber.id, item.day) for item, _ in batch])
            start = random.randrange(len(batch))
            batch = batch[start:] + batch[:start]
        shared: dict[tuple[object, ...], RenderedDigest] = {}
        rate = self.config.mail.rate_per_second
        first_sent: float | None = None  # the pace counts from the first message out
        paced = 0
        with self.transport() as transport:
            for done, (item, content) in enumerate(batch):
                if should_stop():
                    report.stopped = len(batch) - done
                    log.warning("stopping: %d digests left for the next run", report.stopped)
                    break
                try:
                    content, digest = self._render(content, shared)
                except Exception as e:  # one subscriber's digest never stops the others'
                    log.exception("cannot render the digest for %s", item.subscriber.email)
                    report.retry.append((item.subscriber.email, f"cannot render the digest: {e!r}"))
                    continue
                if rate > 0:  # pace to the configured rate, not faster, whatever rendering took
                    clock = time_module.monotonic()
                    first_sent = clock if first_sent is None else first_sent
                    ahead = first_sent + paced / rate - clock
                    if ahead > 0:
                        self.sleep(ahead)
                    paced += 1
                self._deliver(transport, item.subscriber, item.day, content, digest, report)
        return report

    def _render(self, content: DigestContent, shared: dict[tuple[object, ...], RenderedDigest],
                ) -> tuple[DigestContent, RenderedDigest]:
        """Render once per distinct story list (and zone, day, name or not), then personalise;
        drop stories from the end while the HTML is over the size mail clients clip."""
        named = bool(content.subscriber_name)
        while True:
            key = (tuple((s.id, s.language, content.changes.get(s.id)) for s in content.stories),
                   tuple(s.id for s in content.still_developing), content.timezone, content.day,
                   content.more_stories, named, content.source_flags, content.reader_language)
            digest = shared.get(key)
            if digest is None:
                digest = shared[key] = self.renderer.render_shared(
                    self.editions.with_links(content, TOKEN), named=named)
            if digest.html_bytes <= MAX_HTML_BYTES or len(content.stories) <= 1:
                return content, digest
            cut = max(1, len(content.stories) * MAX_HTML_BYTES // digest.html_bytes)
            cut = min(cut, len(content.stories) - 1)
            content = replace(content, stories=content.stories[:cut],
                              more_stories=content.more_stories + len(content.stories) - cut)

    def _templates(self, shared: RenderedDigest) -> tuple[BodyTemplate, BodyTemplate]:
        """The shared digest's HTML and text, encoded once for all who get it."""
        found = self._encoded.get(id(shared))
        if found is None or found[0] is not shared:
            found = self._encoded[id(shared)] = (shared, BodyTemplate(shared.html, HOLES),
                                                 BodyTemplate(shared.text, HOLES))
        return found[1], found[2]

    def _deliver(self, transport: Transport, sub: Subscriber, day: date,
                 content: DigestContent, shared: RenderedDigest, report: SendReport) -> None:
        claim = self.store.claim_delivery(sub.id, day, max_attempts=MAX_ATTEMPTS)
        if claim is None:
            report.skipped.append((sub.email, "already sent or given up"))
            return
        try:
            self._send_claimed(transport, claim, sub, day, content, shared, report)
        except LoginRefused:
            raise
        except Exception as e:  # a bug or a surprise in one message: it alone is not sent
            log.exception("digest for %s not sent", sub.email)
            reason = f"unexpected error: {e!r}"
            status = "failed" if claim.attempts >= MAX_ATTEMPTS else "pending"
            self.store.finish_delivery(claim, status=status, error=reason)
            (report.failed if status == "failed" else report.retry).append((sub.email, reason))
        finally:
            self.store.release(claim)

    def _send_claimed(self, transport: Transport, claim: Claim, sub: Subscriber, day: date,
                      content: DigestContent, shared: RenderedDigest, report: SendReport) -> None:
        token = self.editions.token(sub)
        html_values, text_values = shared.personal_values(name=sub.name, token=token)
        url = self.editions.unsubscribe_url(token)
        html, text = self._templates(shared)
        sender = self.config.mail.sender
        digest = shared
        story_ids = [s.id for s in content.stories]
        try:
            message = build_message(MailParts(
                sender_name=sender.name, sender_address=sender.email,
                to_name=sub.name, to_address=sub.email, subject=shared.subject,
                text=text.fill(text_values), html=html.fill(html_values),
                list_id=self.config.digest.title, unsubscribe_url=url,
                unsubscribe_mailto=self.editions.mailto(token),
                return_path=self._return_path(claim.id),
            ), dkim=self.dkim)
            self._send_with_retries(transport, message)
        except LoginRefused as e:  # not this subscriber's fault: leave it for the next run
            self.store.finish_delivery(claim, status="pending", error=str(e))
            raise
        except PermanentSendError as e:
            self.store.finish_delivery(claim, status="failed", error=str(e))
            if self._bounced(claim, sub, day, e) == "suspended":
                report.suspended.append((sub.email, str(e)))
                log.warning("suspended %s: hard bounces on three days, the last: %s", sub.email, e)
                return
            report.failed.append((sub.email, str(e)))
            log.error("digest for %s failed for good: %s", sub.email, e)
            return
        except TemporarySendError as e:
            status = "failed" if claim.attempts >= MAX_ATTEMPTS else "pending"
            self.store.finish_delivery(claim, status=status, error=str(e))
            self._bounced(claim, sub, day, e)
            (report.failed if status == "failed" else report.retry).append((sub.email, str(e)))
            log.warning("digest for %s not sent (attempt %d): %s", sub.email, claim.attempts, e)
            return
        self.store.finish_delivery(claim, status="sent", message_id=message.message_id,
                                   subject=digest.subject, story_ids=story_ids)
        report.sent.append(sub.email)
        log.info("sent digest for %s to %s", day, sub.email)

    def _return_path(self, delivery_id: int) -> str | None:
        """The VERP envelope sender naming this delivery, with ``mail.bounce_address`` set."""
        address = self.config.mail.bounce_address
        if address is None:
            return None
        if self._key is None:
            self._key = signing_key(self.store)
        return return_path(self._key, str(address), delivery_id)

    def _bounced(self, claim: Claim, sub: Subscriber, day: date, error: SendError) -> str | None:
        """Keep a refusal of the recipient or the message as a bounce; what became of them."""
        if error.bounce is None:
            return None
        return self.store.record_bounce(sub.id, error.bounce, day=day, reason=str(error),
                                        delivery_id=claim.id)

    def _send_with_retries(self, transport: Transport, message: OutgoingMessage) -> None:
        """Temporary failures (4xx, dropped connections) are retried with exponential backoff
        (``mail.retries`` times in this run; later runs try again up to MAX_ATTEMPTS)."""
        mail = self.config.mail
        retrying = Retrying(
            retry=retry_if_exception_type(TemporarySendError),
            stop=stop_after_attempt(mail.retries + 1),
            wait=wait_exponential(multiplier=mail.retry_wait_seconds, max=60),
            sleep=self.sleep, reraise=True,
            before_sleep=lambda state: log.info(
                "retrying %s after: %s", message.recipient,
                state.outcome.exception() if state.outcome else "?"),
        )
        retrying(transport.send, message)

