"""Bounces: an address refused at RCPT on three different days is suspended and the others are
unaffected; delivery-status notifications and complaints mailed back to the VERP return path
are read from a Maildir; exit codes say what an operator must look at."""

from __future__ import annotations

import json
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import delete, update

from digest.config import load_config
from digest.models import BounceRow, DeliveryRow
from digest.stages import send_due
from digest.store import Store
from tests.builders import CITIES, import_stories, smtp_mail, write_config
from tests.conftest import SmtpSink, free_port, run_digest, serving

GONE = "gone@example.org"
READERS = ["ann@example.org", "bob@example.org"]


@dataclass
class EnvelopeSink(SmtpSink):
    """Keeps every envelope sender it saw."""

    senders: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.senders.append(envelope.mail_from)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp() -> Iterator[EnvelopeSink]:
    with serving(EnvelopeSink(port=free_port())) as sink:
        yield sink


@dataclass
class RefusingSink(EnvelopeSink):
    """Refuses ``GONE`` at RCPT with 550 5.1.1, as a receiving server does for an address that
    no longer exists."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address == GONE:
            return "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing() -> Iterator[RefusingSink]:
    with serving(RefusingSink(port=free_port())) as sink:
        yield sink


def _config(tmp_path: Path, port: int, *, bounces: bool = False) -> Path:
    mail = smtp_mail(port, retries=0)
    if bounces:
        mail += "\n  bounce_address: bounces@example.org\n  bounce_maildir: bounces"
    subscribers = "".join(f"  - email: {r}\n" for r in [*READERS, GONE])
    config = write_config(tmp_path, mail=mail, subscribers=subscribers)
    # a day with no new story still sends a short note: one delivery a day, as a reader's
    text = config.read_text().replace('max_stories: 10}', 'max_stories: 10, quiet_day: note}')
    config.write_text(text)
    return config


def test_a_hard_bounce_on_three_days_suspends_the_address_and_spares_the_others(
        tmp_path: Path, refusing: RefusingSink) -> None:
    config_path = _config(tmp_path, refusing.port)
    import_stories(config_path, cities=CITIES[:2])
    config = load_config(config_path)
    start = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    outcomes = []
    for day in range(4):
        with time_machine.travel(start + timedelta(days=day), tick=True):
            report = send_due(config)
        outcomes.append((report.ok, [e for e, _ in report.failed], [e for e, _ in report.suspended],
                         sorted(report.sent)))
    assert outcomes == [
        (False, [GONE], [], READERS),  # a 550: reported, as before
        (False, [GONE], [], READERS),
        (True, [], [GONE], READERS),  # the third day's: suspended, and nothing left to look at
        (True, [], [], READERS),  # not tried again
    ]
    assert sorted(refusing.recipients) == sorted(READERS * 4)
    store = Store(config.database)
    gone = store.subscriber(GONE)
    assert gone is not None and gone.suspended_at is not None and gone.active
    assert "550 5.1.1" in (gone.suspended_reason or "")
    assert [b.kind for b in store.bounces(gone.id)] == ["hard"] * 3
    assert len({b.day for b in store.bounces(gone.id)}) == 3

    listed = run_digest("subscribers", "list", "--config", str(config_path))
    assert f"{GONE}" in listed.out and "(suspended" in listed.out and "550 5.1.1" in listed.out
    rows = [json.loads(line) for line in run_digest("subscribers", "list", "--config",
                                                     str(config_path), "--json").out.splitlines()]
    assert [r["email"] for r in rows if r["suspended"]] == [GONE]
    status = run_digest("status", "--config", str(config_path))
    assert "suspended" in status.out and GONE in status.out

    # re-adding the address by hand lifts the suspension, and forgives its past bounces
    assert run_digest("subscribers", "add", "--config", str(config_path), GONE).code == 2  # listed
    store.add_subscriber(GONE)
    again = store.subscriber(GONE)
    assert again is not None and again.suspended_at is None and store.bounces(again.id) == []


def test_exit_codes_a_hard_bounce_is_1_until_it_suspends_then_0(tmp_path: Path,
                                                                 refusing: RefusingSink) -> None:
    config_path = _config(tmp_path, refusing.port)
    import_stories(config_path, cities=CITIES[:2])
    first = run_digest("send", "--config", str(config_path))
    assert first.code == 1 and "550 5.1.1" in first.err
    store = Store(load_config(config_path).database)
    gone = store.subscriber(GONE)
    assert gone is not None
    # as if that run had been the day before yesterday's and another refused yesterday's digest:
    # the next refusal is the third day's
    today = date.today()
    with store.session() as s:
        s.execute(update(BounceRow).values(day=today - timedelta(days=2)))
        s.execute(delete(DeliveryRow).where(DeliveryRow.subscriber_id == gone.id))
    store.record_bounce(gone.id, "hard", day=today - timedelta(days=1),
                        reason="SMTP 550 5.1.1 User unknown")
    assert store.subscriber(GONE).suspended_at is None  # type: ignore[union-attr]
    second = run_digest("send", "--config", str(config_path))
    assert second.code == 0, second.err
    assert f"suspended {GONE}" in second.err and "FAILED" not in second.err
    assert sorted(refusing.recipients) == sorted(READERS)  # each reader once, nobody twice


# --- reports mailed back --------------------------------------------------------------------------

def _dsn(to: str, original: str, *, status: str = "5.1.1", action: str = "failed") -> bytes:
    """A delivery-status notification as Postfix writes one (RFC 3464)."""
    return f"""\
Return-Path: <>
Delivered-To: {to}
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {to}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--B1
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon,  7 Dec 2026 07:00:01 +0000 (UTC)

Final-Recipient: rfc822; {GONE}
Original-Recipient: rfc822;{GONE}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} <{GONE}>: Recipient address rejected: User unknown

--B1
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{original}
--B1--
""".replace("\n", "\r\n").encode()


def _arf(original: str) -> bytes:
    """A complaint (ARF, RFC 5965) as a mailbox provider's feedback loop sends it."""
    return f"""\
From: feedback@mailbox.example.net
To: postmaster@example.org
Subject: FW: complaint
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="B2"

--B2
Content-Type: text/plain

This is an email abuse report.

--B2
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeFBL/1.0
Version: 1

--B2
Content-Type: text/rfc822-headers

{original}
--B2--
""".replace("\n", "\r\n").encode()


def test_reports_in_the_bounce_maildir_are_matched_by_the_verp_address(
        tmp_path: Path, smtp: EnvelopeSink) -> None:
    config_path = _config(tmp_path, smtp.port, bounces=True)
    import_stories(config_path, cities=CITIES[:2])
    missing = run_digest("bounces", "--config", str(config_path))
    assert missing.code == 2 and "cannot read the bounce mailbox" in missing.err
    sent = run_digest("send", "--config", str(config_path))  # sends all the same
    assert sent.code == 0 and "cannot read the bounce mailbox" in sent.err
    # each digest went out from its own signed return path
    envelope = {m["To"]: m for m in smtp.messages}
    assert set(envelope) == {*READERS, GONE}
    config = load_config(config_path)
    store = Store(config.database)
    gone = store.subscriber(GONE)
    assert gone is not None
    delivery = store.delivery(gone.id, date.today())
    assert delivery is not None
    from digest.bounces import read_return_path, return_path
    from digest.tokens import signing_key

    key = signing_key(store)
    verp = return_path(key, "bounces@example.org", delivery.id)
    assert verp.startswith("bounces+d") and read_return_path(key, f"<{verp}>") == delivery.id
    signature = verp.split("@")[0].split(".")[-1]
    forged = verp.replace(signature, f"{int(signature, 16) ^ 1:010x}")
    assert read_return_path(key, forged) is None
    assert verp in smtp.senders  # the envelope sender the server saw

    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    headers = f"From: Digest Desk <digest@example.org>\nTo: {GONE}\nMessage-ID: {delivery.message_id}\n"
    box.add(_dsn(verp, headers))
    box.add(_dsn(verp.replace("+d", "+d9"), "To: someone\n"))  # forged: names no delivery
    box.add(b"From: a@b.example\r\nTo: bounces@example.org\r\nSubject: out of office\r\n\r\nAway.\r\n")
    read = run_digest("bounces", "--config", str(config_path))
    assert read.code == 0, read.err
    assert "read 3, hard 1, soft 0, complaints 0, unmatched 1, ignored 1" in read.out
    assert [b.kind for b in store.bounces(gone.id)] == ["hard"]
    # read once: the next reading finds nothing new
    assert "read 0" in run_digest("bounces", "--config", str(config_path)).out

    # a complaint with only the returned message's Message-ID unsubscribes the reader
    ann = store.subscriber(READERS[0])
    assert ann is not None
    ann_delivery = store.delivery(ann.id, date.today())
    assert ann_delivery is not None
    box.add(_arf(f"To: {READERS[0]}\nMessage-ID: {ann_delivery.message_id}\n"))
    assert "complaints 1" in run_digest("bounces", "--config", str(config_path)).out
    ann = store.subscriber(READERS[0])
    assert ann is not None and not ann.active


def test_three_failed_notifications_on_different_days_suspend(tmp_path: Path,
                                                               smtp: EnvelopeSink) -> None:
    config_path = _config(tmp_path, smtp.port, bounces=True)
    import_stories(config_path, cities=CITIES[:1])
    config = load_config(config_path)
    store = Store(config.database)
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    from digest.bounces import return_path
    from digest.tokens import signing_key

    start = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for day in range(3):
        with time_machine.travel(start + timedelta(days=day), tick=True):
            report = send_due(config)  # reads the reports mailed back since the last run
            gone = store.subscriber(GONE)
            assert gone is not None
            if day < 2:
                assert GONE in report.sent
            delivery = store.delivery(gone.id, (start + timedelta(days=day)).date())
            if delivery is not None and delivery.status == "sent":
                verp = return_path(signing_key(store), "bounces@example.org", delivery.id)
                box.add(_dsn(verp, f"Message-ID: {delivery.message_id}\n"))
        # a delayed notification is a soft bounce: it never suspends
        box.add(_dsn(verp, "", status="4.4.1", action="delayed"))
    assert run_digest("bounces", "--config", str(config_path)).code == 0
    gone = store.subscriber(GONE)
    assert gone is not None and gone.suspended_at is not None
    kinds = [b.kind for b in store.bounces(gone.id)]
    assert kinds.count("hard") == 3 and kinds.count("soft") == 3
    with time_machine.travel(start + timedelta(days=3), tick=True):
        report = send_due(config)
    assert sorted(report.sent) == READERS  # the suspended address gets nothing more
