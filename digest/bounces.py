"""Bounces: the return path each digest goes out with, and the reports mailed back to it.

With ``mail.bounce_address`` set (``bounces@example.org``), each digest's envelope sender is a
VERP address naming its delivery, ``bounces+d42.5f1c0a9e@example.org``, signed so that a forged
report cannot suspend anyone. Delivery-status notifications (RFC 3464) and complaints (ARF, RFC
5965) that come back are read from ``mail.bounce_maildir`` (the Maildir the MTA delivers that
address to) with the standard library's ``mailbox`` and ``email`` parsers, matched to their
delivery by that address or, failing it, by the Message-ID of the returned message, and kept:
a failed delivery is a hard bounce, a delayed one a soft bounce, a complaint unsubscribes.
Three hard bounces on different days suspend an address (:mod:`digest.store.bounces`); refusals
met while sending are counted the same way (:mod:`digest.deliver`).
"""

from __future__ import annotations

import email
import hashlib
import hmac
import logging
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from email.policy import compat32
from pathlib import Path

from digest.store import Store
from digest.tokens import signing_key

__all__ = ["BounceReport", "read_reports", "read_return_path", "return_path"]

log = logging.getLogger(__name__)
_VERP = re.compile(r"\+d(\d{1,12})\.([0-9a-f]{10})@", re.IGNORECASE)


def _signature(key: bytes, delivery_id: int) -> str:
    return hmac.new(key, f"bounce {delivery_id}".encode(), hashlib.sha256).hexdigest()[:10]


def return_path(key: bytes, bounce_address: str, delivery_id: int) -> str:
    """The envelope sender for one delivery: ``local+d<id>.<signature>@domain``."""
    local, _, domain = bounce_address.rpartition("@")
    return f"{local}+d{delivery_id}.{_signature(key, delivery_id)}@{domain}"


def read_return_path(key: bytes, text: str) -> int | None:
    """The delivery a VERP address in ``text`` names, when its signature holds."""
    for found in _VERP.finditer(text):
        delivery_id = int(found.group(1))
        if hmac.compare_digest(found.group(2).lower(), _signature(key, delivery_id)):
            return delivery_id
    return None


@dataclass
class BounceReport:
    """What one reading of the mailbox did."""

    read: int = 0
    hard: int = 0
    soft: int = 0
    complaints: int = 0
    unmatched: int = 0  # reports naming no delivery this installation sent
    ignored: int = 0  # mail that is no report (an auto-reply, spam)
    suspended: list[str] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)
    error: str | None = None  # the mailbox could not be read

    def counts(self) -> dict[str, int]:
        return {"read": self.read, "hard": self.hard, "soft": self.soft,
                "complaints": self.complaints, "unmatched": self.unmatched,
                "ignored": self.ignored, "suspended": len(self.suspended)}


@dataclass(frozen=True)
class _Report:
    kind: str  # hard | soft | complaint
    reason: str
    addresses: str  # where a VERP address may be: the report's recipients
    message_id: str | None  # the returned message's


def _parts(message: Message) -> Iterator[Message]:
    yield from (part for part in message.walk() if isinstance(part, Message))


def _classify(message: Message) -> _Report | None:
    """A delivery-status notification or a complaint, or None for any other mail."""
    content_type = message.get_content_type()
    report_type = (message.get_param("report-type") or "")
    report_type = report_type.lower() if isinstance(report_type, str) else ""
    if content_type != "multipart/report" or report_type not in ("delivery-status",
                                                                 "feedback-report"):
        return None
    addresses = " ".join(str(message.get_all(h, [])) for h in
                         ("To", "Delivered-To", "X-Original-To", "Envelope-To"))
    message_id = None
    kind, reason = "", ""
    for part in _parts(message):
        ctype = part.get_content_type()
        if ctype in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            payload = part.get_payload()
            returned = (payload[0] if isinstance(payload, list) and payload
                        else email.message_from_string(str(payload), policy=compat32))
            if isinstance(returned, Message):
                message_id = message_id or returned.get("Message-ID")
                addresses += " " + str(returned.get("Return-Path", ""))
        elif ctype == "message/feedback-report":
            kind = "complaint"
            fields = _fields(part)
            reason = f"complaint ({fields.get('feedback-type', 'abuse')})"
        elif ctype == "message/delivery-status" and kind != "complaint":
            for block in _status_blocks(part):
                action = block.get("action", "").lower()
                status = block.get("status", "")
                code = block.get("diagnostic-code", "") or status
                if action == "failed" or status.startswith("5"):
                    kind, reason = "hard", f"{status} {code}".strip()
                    break
                if action == "delayed" or status.startswith("4"):
                    kind, reason = "soft", f"{status} {code}".strip()
    if not kind:
        return None
    return _Report(kind, " ".join(reason.split())[:500], addresses,
                   message_id.strip() if message_id else None)


def _fields(part: Message) -> dict[str, str]:
    payload = part.get_payload()
    first = payload[0] if isinstance(payload, list) and payload else payload
    text = first.as_string() if isinstance(first, Message) else str(first)
    return {k.strip().lower(): v.strip() for k, _, v in
            (line.partition(":") for line in text.splitlines()) if v}


def _status_blocks(part: Message) -> list[dict[str, str]]:
    """The per-recipient fields of a ``message/delivery-status`` part (the parser gives one
    sub-message per block: the per-message block first)."""
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else [email.message_from_string(str(payload))]
    found = []
    for block in blocks[1:] or blocks:
        if isinstance(block, Message):
            found.append({k.lower(): " ".join(str(v).split()) for k, v in block.items()})
    return found


def read_reports(store: Store, maildir: Path, *, bounce_address: str | None) -> BounceReport:
    """Read every message not read before in ``maildir``, keep the bounces and complaints it
    holds, and mark it read (the Maildir "S" flag): a message is counted once."""
    key = signing_key(store)
    report = BounceReport()
    try:
        box = mailbox.Maildir(maildir, factory=None, create=False)
        keys = list(box.iterkeys())
    except (OSError, mailbox.Error) as e:  # the run sends all the same
        report.error = f"cannot read the bounce mailbox {maildir}: {e}"
        log.error("%s", report.error)
        return report
    for message_key in keys:
        try:
            message = box.get_message(message_key)
        except (OSError, KeyError):
            continue
        if "S" in message.get_flags():
            continue
        report.read += 1
        try:
            _keep(store, key, message, report, bounce_address)
        except Exception:  # one unreadable report never stops the others
            log.exception("cannot read bounce report %s", message_key)
        message.add_flag("S")
        message.set_subdir("cur")
        box[message_key] = message
    return report


def _keep(store: Store, key: bytes, message: mailbox.MaildirMessage, report: BounceReport,
          bounce_address: str | None) -> None:
    found = _classify(message)
    if found is None:
        report.ignored += 1
        return
    delivery_id = read_return_path(key, found.addresses) if bounce_address else None
    delivery = store.delivery_for_bounce(delivery_id=delivery_id, message_id=found.message_id)
    if delivery is None:
        report.unmatched += 1
        log.info("a %s report names no delivery sent from here", found.kind)
        return
    did, subscriber_id, day = delivery
    outcome = store.record_bounce(subscriber_id, found.kind, day=day, reason=found.reason,
                                  delivery_id=did)
    counter = "complaints" if found.kind == "complaint" else found.kind
    setattr(report, counter, getattr(report, counter) + 1)
    subscriber = store.subscriber_by_id(subscriber_id)
    who = subscriber.email if subscriber else str(subscriber_id)
    if outcome == "suspended":
        report.suspended.append(who)
        log.warning("suspended %s: hard bounces on three days", who)
    elif outcome == "unsubscribed":
        report.unsubscribed.append(who)
        log.warning("unsubscribed %s: they reported the digest as spam", who)
