"""Deliveries: one row per subscriber and local date, claimed, then marked sent or failed,
so that a digest is sent exactly once (see :mod:`digest.deliver`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from digest.domain import Delivery
from digest.models import DeliveryRow, SubscriberRow, utcnow
from digest.store._database import Database, log
from digest.text import clean

_DELIVERIES: Table = DeliveryRow.__table__  # type: ignore[assignment]


class _SQL:
    """The per-message delivery statements, built once (building one costs more than running
    it on SQLite)."""

    d = _DELIVERIES.c
    find = (select(d.id, d.status, d.attempts)
            .where(d.subscriber_id == bindparam("sid"), d.digest_date == bindparam("day"))
            .with_for_update())
    lock = find.with_for_update(skip_locked=True)  # PostgreSQL: a row another sender holds is skipped
    exists = select(d.id).where(d.subscriber_id == bindparam("sid"), d.digest_date == bindparam("day"))
    claim = (update(_DELIVERIES).where(d.id == bindparam("did"), d.attempts == bindparam("seen"))
             .values(status="sending", attempts=bindparam("next"), updated_at=bindparam("now")))
    sent = (update(_DELIVERIES).where(d.id == bindparam("did"))
            .values(status="sent", last_error=None, updated_at=bindparam("now"),
                    sent_at=bindparam("now"), message_id=bindparam("mid"),
                    subject=bindparam("subject"), story_ids=bindparam("stories")))
    unsent = (update(_DELIVERIES).where(d.id == bindparam("did"))
              .values(status=bindparam("status"), last_error=bindparam("error"),
                      updated_at=bindparam("now")))


class _SQLITE:
    """The same statements in SQLite's own SQL, values as SQLAlchemy stores them there (times
    as naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff``, dates ISO, JSON as text)."""

    create = ("INSERT INTO deliveries (subscriber_id, digest_date, status, attempts, story_ids, "
              "created_at, updated_at) VALUES (?, ?, 'sending', 1, '[]', ?, ?) "
              "ON CONFLICT (subscriber_id, digest_date) DO NOTHING RETURNING id")
    find = "SELECT id, status, attempts FROM deliveries WHERE subscriber_id = ? AND digest_date = ?"
    claim = ("UPDATE deliveries SET status = 'sending', attempts = ?, updated_at = ? "
             "WHERE id = ? AND attempts = ?")
    sent = ("UPDATE deliveries SET status = 'sent', last_error = NULL, updated_at = ?, "
            "sent_at = ?, message_id = ?, subject = ?, story_ids = ? WHERE id = ?")
    unsent = "UPDATE deliveries SET status = ?, last_error = ?, updated_at = ? WHERE id = ?"


def _sqlite_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(frozen=True)
class Claim:
    """A delivery claimed for sending: its row id and how many times it has been tried.

    On PostgreSQL the claim is a row lock (``FOR UPDATE SKIP LOCKED``) held in an open
    transaction on ``connection`` until :meth:`Store.finish_delivery` commits the outcome; if the
    sender dies, the transaction rolls back and another sender takes the row.
    """

    id: int
    attempts: int
    connection: Connection | None = field(default=None, compare=False, repr=False)


class DeliveryStore(Database):
    """One delivery per subscriber and local date, sent exactly once."""

    def finished_deliveries(self, days: Iterable[date]) -> set[tuple[int, date]]:
        """(subscriber id, day) of every delivery on those days that is sent or given up."""
        days = list(days)
        if not days:
            return set()
        with self.session() as s:
            rows = s.execute(select(DeliveryRow.subscriber_id, DeliveryRow.digest_date).where(
                DeliveryRow.digest_date.in_(days), DeliveryRow.status.in_(("sent", "failed"))))
            return {(sid, day) for sid, day in rows}

    def delivery(self, subscriber_id: int, day: date) -> Delivery | None:
        query = (select(DeliveryRow, SubscriberRow.email).join(SubscriberRow)
                 .where(DeliveryRow.subscriber_id == subscriber_id, DeliveryRow.digest_date == day))
        with self.session() as s:
            found = s.execute(query).one_or_none()
            return _delivery(*found) if found is not None else None

    @property
    def row_locks(self) -> bool:
        """Whether several senders can work side by side (PostgreSQL's row locks)."""
        return self.engine.dialect.name == "postgresql"

    def ensure_deliveries(self, pairs: Sequence[tuple[int, date]]) -> None:
        """Create the pending delivery rows that do not exist yet (PostgreSQL: before parallel
        senders claim them, so that no sender waits on another's uncommitted insert)."""
        now = utcnow()
        for start in range(0, len(pairs), 1000):
            rows = [{"subscriber_id": sid, "digest_date": day, "status": "pending", "attempts": 0,
                     "story_ids": [], "created_at": now, "updated_at": now}
                    for sid, day in pairs[start:start + 1000]]
            with self.engine.begin() as conn:
                conn.execute(pg_insert(_DELIVERIES).on_conflict_do_nothing(), rows)

    def claim_delivery(self, subscriber_id: int, day: date, *, max_attempts: int) -> Claim | None:
        """Claim the (subscriber, day) delivery for sending, or None if it is done, given up or
        (PostgreSQL) being sent by another sender right now.

        A row left in ``sending`` by a crash is claimed again (its message may be resent once:
        logged), until ``max_attempts``. Prepared SQL in one short transaction: this runs once
        per message, and the ORM's unit of work would cost more than the SMTP transaction.
        """
        if self.row_locks:
            return self._claim_row_lock(subscriber_id, day, max_attempts)
        now = utcnow()
        with self._sqlite() as db:
            moment, the_day = _sqlite_time(now), day.isoformat()
            created = db.execute(_SQLITE.create, (subscriber_id, the_day, moment, moment)).fetchone()
            if created is not None:  # most deliveries are new: claimed in one statement
                return Claim(int(created[0]), 1)
            row = db.execute(_SQLITE.find, (subscriber_id, the_day)).fetchone()
            if row is None:
                return None
            row_id, status, attempts = row
            if status in ("sent", "failed") or attempts >= max_attempts:
                return None
            if status == "sending":
                log.warning("delivery %s for %s was interrupted; sending it again", row_id, day)
            claimed = db.execute(_SQLITE.claim, (attempts + 1, moment, row_id, attempts))
            if claimed.rowcount != 1:  # another sender claimed it in between
                return None
            return Claim(int(row_id), int(attempts) + 1)

    @contextmanager
    def _sqlite(self) -> Iterator[Any]:
        """The pooled SQLite connection's own driver connection, for the two statements each
        message costs (SQLAlchemy's per-statement work is twice the driver's); committed
        when the block ends, rolled back when it raises."""
        with self.engine.connect() as conn:
            db = conn.connection.dbapi_connection
            assert db is not None
            try:
                yield db
            except BaseException:
                db.rollback()
                raise
            db.commit()

    def _claim_row_lock(self, subscriber_id: int, day: date, max_attempts: int) -> Claim | None:
        params = {"sid": subscriber_id, "day": day}
        conn = self.engine.connect()
        try:
            conn.begin()
            row = conn.execute(_SQL.lock, params).first()
            if row is None:
                if conn.execute(_SQL.exists, params).first() is not None:
                    conn.close()  # another sender holds it
                    return None
                conn.rollback()
                self.ensure_deliveries([(subscriber_id, day)])
                conn.begin()
                row = conn.execute(_SQL.lock, params).first()
            if row is None or row.status in ("sent", "failed") or row.attempts >= max_attempts:
                conn.close()
                return None
            conn.execute(_SQL.claim, {"did": row.id, "seen": row.attempts,
                                      "next": row.attempts + 1, "now": utcnow()})
            return Claim(int(row.id), int(row.attempts) + 1, conn)
        except BaseException:
            conn.close()
            raise

    def release(self, claim: Claim) -> None:
        """Give up a claim that was not finished (an unexpected error): nothing is recorded."""
        if claim.connection is not None and not claim.connection.closed:
            claim.connection.close()

    def finish_delivery(self, claim: Claim, *, status: str, message_id: str | None = None,
                        subject: str | None = None, story_ids: Sequence[str] = (),
                        error: str | None = None) -> None:
        now = utcnow()
        if status == "sent":
            statement, params = _SQL.sent, {"did": claim.id, "now": now, "mid": message_id,
                                            "subject": subject, "stories": list(story_ids)}
        else:
            statement, params = _SQL.unsent, {"did": claim.id, "status": status, "error": error,
                                              "now": now}
        if claim.connection is not None:
            with claim.connection as conn:
                conn.execute(statement, params)
                conn.commit()
            return
        with self._sqlite() as db:
            moment = _sqlite_time(now)
            if status == "sent":
                db.execute(_SQLITE.sent, (moment, moment, clean(message_id or "") or None,
                                          clean(subject) if subject is not None else None,
                                          json.dumps(list(story_ids)), claim.id))
            else:
                db.execute(_SQLITE.unsent, (status, clean(error) if error is not None else None,
                                            moment, claim.id))

    def deliveries(self, *, statuses: Sequence[str] | None = None) -> list[Delivery]:
        """Every delivery (or those in ``statuses``), newest day first, then by address."""
        query = select(DeliveryRow, SubscriberRow.email).join(SubscriberRow).order_by(
            DeliveryRow.digest_date.desc(), SubscriberRow.email
        )
        if statuses:
            query = query.where(DeliveryRow.status.in_(statuses))
        with self.session() as s:
            return [_delivery(row, email) for row, email in s.execute(query).all()]

    def sent_stories(self, since: date, before: date,
                     subscriber_ids: Sequence[int] | None = None) -> dict[int, dict[str, date]]:
        """For each subscriber (or those named), the stories they were sent in [since, before):
        story id -> the last day it was sent to them."""
        query = (select(DeliveryRow.subscriber_id, DeliveryRow.digest_date, DeliveryRow.story_ids)
                 .where(DeliveryRow.status == "sent", DeliveryRow.digest_date >= since,
                        DeliveryRow.digest_date < before)
                 .order_by(DeliveryRow.digest_date))
        if subscriber_ids is not None:
            query = query.where(DeliveryRow.subscriber_id.in_(list(subscriber_ids)))
        sent: dict[int, dict[str, date]] = {}
        with self.session() as s:
            for subscriber_id, day, story_ids in s.execute(query):
                sent.setdefault(subscriber_id, {}).update(dict.fromkeys(story_ids or (), day))
        return sent

    def delivered_stories(self, subscriber_id: int, day: date) -> list[str] | None:
        """The story ids a subscriber was sent for a day, or None if nothing was sent."""
        row = self.delivery(subscriber_id, day)
        return list(row.story_ids) if row is not None and row.status == "sent" else None


def _delivery(row: DeliveryRow, email: str) -> Delivery:
    return Delivery(id=row.id, subscriber_id=row.subscriber_id, email=email,
                    digest_date=row.digest_date, status=row.status, attempts=row.attempts,
                    story_ids=tuple(row.story_ids or ()), message_id=row.message_id,
                    subject=row.subject, last_error=row.last_error, updated_at=row.updated_at,
                    sent_at=row.sent_at)
