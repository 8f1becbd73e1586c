"""Subscribers: synced from the config, added from the CLI, changed on the web; read back as
:class:`~digest.domain.Subscriber` with the config's defaults resolved."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update

from digest.domain import Subscriber
from digest.models import BounceRow, DeliveryRow, SubscriberRow, utcnow
from digest.store._database import Database, again_on_conflict


class SubscriberStore(Database):
    """Subscribers, as values with the config's defaults resolved."""

    def sync_subscribers(self, subscribers: Iterable[Any]) -> None:
        """Make the store's config-origin subscribers match config.yaml's list."""
        wanted = {sub.email.lower(): sub for sub in subscribers}
        again_on_conflict(lambda: self._sync_subscribers(wanted))

    def _sync_subscribers(self, wanted: dict[str, Any]) -> None:
        with self.session() as s:
            rows = {row.email.lower(): row for row in s.scalars(select(SubscriberRow))}
            for key, sub in wanted.items():
                row = rows.get(key)
                if row is None:
                    row = SubscriberRow(email=sub.email, origin="config")
                    s.add(row)
                if row.origin == "config" or row.unsubscribed_at is None:
                    row.name = sub.name
                    row.exclude = list(sub.exclude)
                    row.max_stories = sub.max_stories
                if row.prefs_updated_at is None and (row.origin == "config"
                                                     or row.unsubscribed_at is None):
                    row.timezone = sub.timezone  # the subscriber's own choices (web) win
                    row.send_at = _clock(sub.send_at)
                    row.topics, row.sources = list(sub.topics), list(sub.sources)
                    row.languages = list(sub.languages)
                    row.frequency, row.weekday = sub.frequency, sub.weekday
                if row.unsubscribed_at is None:
                    row.active = True
            for key, row in rows.items():
                if row.origin == "config" and key not in wanted:
                    row.active = False

    def add_subscriber(self, email: str, **fields: Any) -> bool:
        """Add, re-activate or update a subscriber; returns False if it was already active
        (its fields are updated all the same)."""
        with self.session() as s:
            query = select(SubscriberRow).where(func.lower(SubscriberRow.email) == email.lower())
            row = s.scalars(query).one_or_none()
            was_active = row is not None and row.active
            if row is None:
                row = SubscriberRow(email=email, origin="cli")
                s.add(row)
            for key, value in fields.items():
                setattr(row, key, _clock(value) if key == "send_at" else value)
            if row.suspended_at is not None:  # reinstated: its past hard bounces are forgiven
                s.execute(delete(BounceRow).where(BounceRow.subscriber_id == row.id,
                                                  BounceRow.kind == "hard"))
                was_active = False
            row.active, row.unsubscribed_at = True, None
            row.suspended_at = row.suspended_reason = None
            return not was_active

    def sign_up(self, email: str, name: str | None, *, now: datetime | None = None,
                interval: timedelta = timedelta(days=1)) -> tuple[Subscriber, bool]:
        """Someone asks for the digest on the web: (them, whether to mail them a confirmation
        link now). A new address is kept, inactive until confirmed. A row the sign-up did not
        create is never changed by it (an unsubscribed reader stays unsubscribed until they
        follow the link); an active subscriber gets no mail, nor does an address that was sent
        one less than ``interval`` ago."""
        now = now or utcnow()
        with self.session() as s:
            query = select(SubscriberRow).where(func.lower(SubscriberRow.email) == email.lower())
            row = s.scalars(query).one_or_none()
            if row is None:
                row = SubscriberRow(email=email, name=name, origin="signup", active=False,
                                    confirm_sent_at=now)
                s.add(row)
                s.flush()
                return self._subscriber(row), True
            last = row.confirm_sent_at
            if row.active or (last is not None and now - last < interval):
                return self._subscriber(row), False
            row.confirm_sent_at = now  # bookkeeping: the subscription itself is left as it is
            return self._subscriber(row), True

    def confirm(self, subscriber_id: int, *, issued: date) -> bool:
        """A sign-up confirmed from the link mailed to the address (``issued`` that day): they
        get digests from now on, even if they unsubscribed before the link was sent; False when
        they already did, or unsubscribed after (an old link does not undo that)."""
        with self.session() as s:
            row = s.get(SubscriberRow, subscriber_id)
            if row is None or row.active:
                return False
            if row.unsubscribed_at is not None and row.unsubscribed_at.date() > issued:
                return False
            row.active, row.unsubscribed_at = True, None
            return True

    def subscriber(self, email: str) -> Subscriber | None:
        with self.session() as s:
            query = select(SubscriberRow).where(func.lower(SubscriberRow.email) == email.lower())
            row = s.scalars(query).one_or_none()
            return self._subscriber(row) if row is not None else None

    def subscriber_by_id(self, subscriber_id: int) -> Subscriber | None:
        with self.session() as s:
            row = s.get(SubscriberRow, subscriber_id)
            return self._subscriber(row) if row is not None else None

    def remove_subscriber(self, email: str) -> bool:
        with self.session() as s:
            result = s.execute(
                update(SubscriberRow)
                .where(func.lower(SubscriberRow.email) == email.lower(), SubscriberRow.active.is_(True))
                .values(active=False, unsubscribed_at=utcnow())
            )
            return bool(getattr(result, "rowcount", 0))

    def delete_subscriber(self, subscriber_id: int) -> None:
        """Erase a subscriber: their row, deliveries and bounces (the editions, which name no
        one, stay). An address config.yaml lists keeps a bare unsubscribed row, address only,
        so that the next run does not subscribe it again."""
        with self.session() as s:
            s.execute(delete(BounceRow).where(BounceRow.subscriber_id == subscriber_id))
            s.execute(delete(DeliveryRow).where(DeliveryRow.subscriber_id == subscriber_id))
            row = s.get(SubscriberRow, subscriber_id)
            if row is None:
                return
            if row.origin != "config":
                s.delete(row)
                return
            for column in SubscriberRow.__table__.columns:
                if column.key not in ("id", "email", "origin", "created_at"):
                    setattr(row, column.key, [] if isinstance(getattr(row, column.key), list)
                            else None)
            row.active, row.unsubscribed_at = False, utcnow()

    def expire_signups(self, *, days: int = 7, now: datetime | None = None) -> int:
        """Erase the sign-ups never confirmed within ``days``; returns how many."""
        before = (now or utcnow()) - timedelta(days=days)
        with self.session() as s:
            result = s.execute(delete(SubscriberRow).where(
                SubscriberRow.origin == "signup", SubscriberRow.active.is_(False),
                SubscriberRow.unsubscribed_at.is_(None), SubscriberRow.created_at < before,
                ~SubscriberRow.id.in_(select(DeliveryRow.subscriber_id))))
            return int(getattr(result, "rowcount", 0) or 0)

    def subscriber_record(self, subscriber_id: int) -> dict[str, Any] | None:
        """Everything kept about one subscriber, as ``subscribers export`` prints it."""
        with self.session() as s:
            row = s.get(SubscriberRow, subscriber_id)
            if row is None:
                return None
            columns = SubscriberRow.__table__.columns
            record = {c.name: _plain(getattr(row, c.key)) for c in columns}
            record["deliveries"] = [
                {"date": d.digest_date.isoformat(), "status": d.status, "attempts": d.attempts,
                 "subject": d.subject, "stories": list(d.story_ids or ()),
                 "message_id": d.message_id, "last_error": d.last_error,
                 "sent_at": _plain(d.sent_at)}
                for d in s.scalars(select(DeliveryRow).where(DeliveryRow.subscriber_id == row.id)
                                   .order_by(DeliveryRow.digest_date))]
            record["bounces"] = [
                {"kind": b.kind, "date": b.day.isoformat(), "reason": b.reason, "at": _plain(b.at)}
                for b in s.scalars(select(BounceRow).where(BounceRow.subscriber_id == row.id)
                                   .order_by(BounceRow.at))]
            return record

    def unsubscribe(self, subscriber_id: int) -> bool:
        """Stop sending to a subscriber (the web's unsubscribe link); False if already stopped.
        Config subscribers stay stopped: ``sync_subscribers`` does not re-activate them."""
        with self.session() as s:
            result = s.execute(
                update(SubscriberRow)
                .where(SubscriberRow.id == subscriber_id, SubscriberRow.active.is_(True))
                .values(active=False, unsubscribed_at=utcnow())
            )
            return bool(getattr(result, "rowcount", 0))

    def resubscribe(self, subscriber_id: int) -> None:
        with self.session() as s:
            s.execute(update(SubscriberRow).where(SubscriberRow.id == subscriber_id)
                      .values(active=True, unsubscribed_at=None))

    def set_preferences(self, subscriber_id: int, *, topics: Sequence[str],
                        sources: Sequence[str], send_at: time | None, timezone: str | None,
                        languages: Sequence[str] = (), frequency: str | None = None,
                        weekday: str | None = None) -> None:
        """The subscriber's own choices, kept over config.yaml's from now on."""
        with self.session() as s:
            s.execute(update(SubscriberRow).where(SubscriberRow.id == subscriber_id).values(
                topics=list(topics), sources=list(sources), send_at=_clock(send_at), timezone=timezone,
                languages=list(languages), frequency=frequency, weekday=weekday,
                prefs_updated_at=utcnow()))

    def subscribers(self, *, active_only: bool = True) -> list[Subscriber]:
        query = select(SubscriberRow).order_by(SubscriberRow.email)
        if active_only:
            query = query.where(SubscriberRow.active.is_(True))
        with self.session() as s:
            return [self._subscriber(row) for row in s.scalars(query)]

    def _subscriber(self, row: SubscriberRow) -> Subscriber:
        """The row as a value, with the defaults for what the subscriber did not choose."""
        defaults = self.subscriber_defaults
        chosen_send_at = time.fromisoformat(row.send_at) if row.send_at else None
        return Subscriber(
            id=row.id, email=row.email, name=row.name,
            timezone=row.timezone or defaults.timezone, send_at=chosen_send_at or defaults.send_at,
            max_stories=row.max_stories or defaults.max_stories,
            topics=tuple(row.topics or ()), exclude=tuple(row.exclude or ()),
            sources=tuple(row.sources or ()), languages=tuple(row.languages or ()),
            admin=row.email.lower() in defaults.admins, active=row.active, origin=row.origin,
            frequency=row.frequency or defaults.frequency, weekday=row.weekday or defaults.weekday,
            chosen_frequency=row.frequency, chosen_weekday=row.weekday,
            chosen_timezone=row.timezone, chosen_send_at=chosen_send_at,
            unsubscribed_at=row.unsubscribed_at, prefs_updated_at=row.prefs_updated_at,
            suspended_at=row.suspended_at, suspended_reason=row.suspended_reason)


def _plain(value: Any) -> Any:
    """A column's value as JSON holds it."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def _clock(at: time | None) -> str | None:
    """A send time as the table keeps it: "HH:MM" (read back by ``time.fromisoformat``)."""
    return at.strftime("%H:%M") if at is not None else None
