"""Bounces and what they do to a subscriber: three hard bounces on different days suspend the
address, a complaint unsubscribes it (see :mod:`digest.bounces`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import distinct, func, select

from digest.models import BounceRow, DeliveryRow, SubscriberRow, utcnow
from digest.store._database import Database

SUSPEND_AFTER_DAYS = 3  # hard bounces on this many different days suspend an address


@dataclass(frozen=True, kw_only=True)
class Bounce:
    """One refusal or complaint, as ``digest subscribers export`` and the admin page show it."""

    kind: str
    day: date
    reason: str | None
    at: datetime
    delivery_id: int | None = None


class BounceStore(Database):
    """Bounces kept per subscriber, and the suspension they lead to."""

    def record_bounce(self, subscriber_id: int, kind: str, *, day: date, reason: str | None,
                      delivery_id: int | None = None, now: datetime | None = None) -> str | None:
        """Keep one bounce; returns what became of the subscriber: ``suspended`` (this was
        the hard bounce on a third different day), ``unsubscribed`` (a complaint) or None."""
        now = now or utcnow()
        with self.session() as s:
            row = s.get(SubscriberRow, subscriber_id)
            if row is None:
                return None
            s.add(BounceRow(subscriber_id=subscriber_id, delivery_id=delivery_id, kind=kind,
                            day=day, reason=reason, at=now))
            s.flush()
            if kind == "complaint":
                if not row.active:
                    return None
                row.active, row.unsubscribed_at = False, now
                return "unsubscribed"
            if kind != "hard" or row.suspended_at is not None:
                return None
            # (a relay's acceptance says nothing: its notification may follow days later; an
            # address added again has its hard bounces forgiven, see add_subscriber)
            days = s.scalar(select(func.count(distinct(BounceRow.day))).where(
                BounceRow.subscriber_id == subscriber_id, BounceRow.kind == "hard"))
            if (days or 0) < SUSPEND_AFTER_DAYS:
                return None
            row.suspended_at = now
            row.suspended_reason = (f"hard bounces on {days} days, the last: {reason}"
                                    if reason else f"hard bounces on {days} days")
            return "suspended"

    def bounces(self, subscriber_id: int) -> list[Bounce]:
        query = (select(BounceRow).where(BounceRow.subscriber_id == subscriber_id)
                 .order_by(BounceRow.at))
        with self.session() as s:
            return [Bounce(kind=b.kind, day=b.day, reason=b.reason, at=b.at,
                           delivery_id=b.delivery_id) for b in s.scalars(query)]

    def delivery_for_bounce(self, *, delivery_id: int | None = None,
                            message_id: str | None = None) -> tuple[int, int, date] | None:
        """(delivery id, subscriber id, digest date) of the delivery a bounce names, by its id
        (the VERP return path) or the Message-ID of the message that bounced."""
        query = select(DeliveryRow.id, DeliveryRow.subscriber_id, DeliveryRow.digest_date)
        if delivery_id is not None:
            query = query.where(DeliveryRow.id == delivery_id)
        elif message_id:
            query = query.where(DeliveryRow.message_id == message_id)
        else:
            return None
        with self.session() as s:
            row = s.execute(query.limit(1)).first()
            return (int(row[0]), int(row[1]), row[2]) if row is not None else None
