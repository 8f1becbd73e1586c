"""The store: one SQLAlchemy database (SQLite file by default, any SQLAlchemy URL accepted).

Every stage talks to the database through :class:`Store`; the tables are in ``digest.models``
and the schema is kept current by Alembic on :meth:`Store.migrate`.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from digest.domain import (
    Highlight,
    NewArticle,
    StoredArticle,
    Story,
    StoryOpinion,
    StorySource,
    Subscriber,
    SubscriberDefaults,
)
from digest.models import (
    ArticleRow,
    DeliveryRow,
    EditionRow,
    RunRow,
    SeenUrlRow,
    SourceRow,
    StoryArticleRow,
    StoryRow,
    SubscriberRow,
    utcnow,
)
from digest.transcripts import Segment, Transcript, read_transcript

__all__ = ["Claim", "Store"]

log = logging.getLogger(__name__)


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
    create = insert(_DELIVERIES).values(
        subscriber_id=bindparam("sid"), digest_date=bindparam("day"), status="sending",
        attempts=1, story_ids=[], created_at=bindparam("now"), updated_at=bindparam("now"))
    claim = (update(_DELIVERIES).where(d.id == bindparam("did"), d.attempts == bindparam("seen"))
             .values(status="sending", attempts=bindparam("next"), updated_at=bindparam("now")))
    sent = (update(_DELIVERIES).where(d.id == bindparam("did"))
            .values(status="sent", last_error=None, updated_at=bindparam("now"),
                    sent_at=bindparam("now"), message_id=bindparam("mid"),
                    subject=bindparam("subject"), story_ids=bindparam("stories")))
    unsent = (update(_DELIVERIES).where(d.id == bindparam("did"))
              .values(status=bindparam("status"), last_error=bindparam("error"),
                      updated_at=bindparam("now")))


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


_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 0x6469676573740001  # PostgreSQL advisory lock key: "digest" + 1

_T = TypeVar("_T")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; never corrupts in WAL mode
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Store:
    """Access to the database. Create one per process with the configured URL."""

    def __init__(self, url: str, *, echo: bool = False,
                 subscriber_defaults: SubscriberDefaults | None = None) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine: Engine = create_engine(url, echo=echo)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._source_ids: dict[str, int] = {}  # a source's row id never changes
        self.subscriber_defaults = subscriber_defaults or SubscriberDefaults()

    def migrate(self) -> None:
        """Bring the schema to the newest version (creates it in an empty database). On
        PostgreSQL, processes starting together (workers, senders) migrate one at a time."""
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":  # held until this transaction ends
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # --- sources ---------------------------------------------------------------------------------

    def sync_sources(self, sources: Iterable[Any]) -> dict[str, int]:
        """Insert or update one row per configured source; returns name -> id."""
        ids: dict[str, int] = {}
        with self.session() as s:
            existing = {row.name: row for row in s.scalars(select(SourceRow))}
            for src in sources:
                row = existing.get(src.name)
                if row is None:
                    row = SourceRow(name=src.name, kind=src.kind, url=src.url)
                    s.add(row)
                row.kind, row.url, row.title, row.official = src.kind, src.url, src.title, src.official
                row.country = (getattr(src, "country", None) or "").upper() or None
                s.flush()
                ids[src.name] = row.id
        return ids

    def record_crawl(self, name: str, *, ok: bool, stored: int, error: str | None,
                     links: int | None = None) -> None:
        """Update a source's health after a crawl: a run whose index listed no links at all
        counts as empty (a stale selector, or a feed that stopped)."""
        now = utcnow()
        with self.session() as s:
            row = s.scalars(select(SourceRow).where(SourceRow.name == name)).one_or_none()
            if row is None:
                return
            row.last_crawl_at = now
            row.last_yield = stored
            if links is not None:
                row.last_links = links
                row.consecutive_empty = row.consecutive_empty + 1 if links == 0 else 0
            if ok:
                row.last_success_at, row.consecutive_failures, row.last_error = now, 0, None
            else:
                row.consecutive_failures += 1
                row.last_error = error

    def source_health(self) -> list[dict[str, Any]]:
        with self.session() as s:
            counts = dict(
                s.execute(select(ArticleRow.source_id, func.count()).group_by(ArticleRow.source_id)).all()
            )
            return [
                {
                    "name": r.name,
                    "kind": r.kind,
                    "official": r.official,
                    "articles": counts.get(r.id, 0),
                    "last_crawl_at": r.last_crawl_at.isoformat() if r.last_crawl_at else None,
                    "last_success_at": r.last_success_at.isoformat() if r.last_success_at else None,
                    "last_yield": r.last_yield,
                    "last_links": r.last_links,
                    "consecutive_failures": r.consecutive_failures,
                    "consecutive_empty": r.consecutive_empty,
                    "last_error": r.last_error,
                }
                for r in s.scalars(select(SourceRow).order_by(SourceRow.name))
            ]

    # --- articles --------------------------------------------------------------------------------

    def known_urls(self, source: str) -> set[str]:
        """Article URLs of ``source`` not to fetch again: stored, or fetched before."""
        with self.session() as s:
            rows = s.scalars(
                select(ArticleRow.url).join(SourceRow).where(SourceRow.name == source)
            )
            seen = s.scalars(
                select(SeenUrlRow.url).join(SourceRow).where(SourceRow.name == source)
            )
            return set(rows) | set(seen)

    def _source_id(self, s: Session, name: str) -> int | None:
        """A source's row id, looked up once per name (the crawler asks for every page)."""
        if name not in self._source_ids:
            found = s.scalar(select(SourceRow.id).where(SourceRow.name == name))
            if found is None:
                return None
            self._source_ids[name] = found
        return self._source_ids[name]

    def add_article(self, article: NewArticle) -> int | None:
        """Store an article; returns its id, or None when its URL (or its text, from the same
        source) is already stored.

        Raises:
            KeyError: the article's source is not in the store (call ``sync_sources`` first).
        """
        return self.add_articles([article])[0]

    def add_articles(self, articles: Sequence[NewArticle], *,
                     seen: Iterable[tuple[str, str]] = ()) -> list[int | None]:
        """Store articles and remember fetched URLs (``(source, url)``, see :meth:`known_urls`)
        in one transaction. Returns each article's id, or None for one whose URL (or text, from
        the same source) is stored already or earlier in the batch.

        Raises:
            KeyError: an article's source is not in the store (call ``sync_sources`` first).
        """
        seen = list(seen)
        try:
            with self.session() as s:
                return self._add_articles(s, articles, seen)
        except IntegrityError:  # another process stored one of them meanwhile
            pass
        self.add_articles([], seen=seen)
        if len(articles) == 1:
            return [None]
        return [self.add_articles([a])[0] for a in articles]

    def _add_articles(self, s: Session, articles: Sequence[NewArticle],
                      seen: list[tuple[str, str]]) -> list[int | None]:
        now = utcnow()
        seen_rows = [{"source_id": sid, "url": url, "seen_at": now}
                     for source, url in seen if (sid := self._source_id(s, source)) is not None]
        if seen_rows:
            upsert = (pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert)(SeenUrlRow)
            s.execute(upsert.on_conflict_do_nothing(index_elements=["source_id", "url"]), seen_rows)
        if not articles:
            return []
        source_ids = []
        for a in articles:
            sid = self._source_id(s, a.source)
            if sid is None:
                raise KeyError(a.source)
            source_ids.append(sid)
        # The same text at another URL of the same source is one article; the same text from
        # another source is wire copy, kept so that the story stage can show it as similar.
        digests = [a.content_hash for a in articles]
        urls: set[str] = set()
        texts: set[tuple[int, str]] = set()
        for chunk in _chunks([a.url for a in articles], 500):
            urls.update(s.scalars(select(ArticleRow.url).where(ArticleRow.url.in_(chunk))))
        for chunk in _chunks(sorted(set(digests)), 500):
            texts.update((sid, digest) for sid, digest in s.execute(
                select(ArticleRow.source_id, ArticleRow.content_hash)
                .where(ArticleRow.content_hash.in_(chunk))))
        rows: list[dict[str, Any]] = []
        positions: list[int] = []
        for n, (a, sid, digest) in enumerate(zip(articles, source_ids, digests, strict=True)):
            if a.url in urls or (sid, digest) in texts:
                continue
            urls.add(a.url)
            texts.add((sid, digest))
            rows.append({"source_id": sid, "url": a.url, "title": a.title, "text": a.text,
                         "published": a.published, "author": a.author, "language": a.language,
                         "content_hash": digest, "is_opinion": a.is_opinion, "fetched_at": now})
            positions.append(n)
        ids: list[int | None] = [None] * len(articles)
        if rows:  # one multi-row INSERT ... RETURNING, not the ORM's unit of work per row
            inserted = s.scalars(insert(ArticleRow).returning(ArticleRow.id, sort_by_parameter_order=True),
                                 rows)
            for n, id_ in zip(positions, inserted, strict=True):
                ids[n] = id_
        return ids

    def articles_between(self, since: datetime, until: datetime) -> list[StoredArticle]:
        """Articles published (or, without a date, fetched) in [since, until), oldest first."""
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        query = (
            select(ArticleRow, SourceRow)
            .join(SourceRow)
            .where(when >= since, when < until)
            .order_by(when, ArticleRow.id)
        )
        with self.session() as s:
            return [
                StoredArticle(
                    id=a.id,
                    source=src.name,
                    source_title=src.title or src.name,
                    official=src.official,
                    url=a.url,
                    title=a.title,
                    text=a.text,
                    published=a.published or a.fetched_at,
                    language=a.language,
                    is_opinion=a.is_opinion,
                    country=src.country,
                )
                for a, src in s.execute(query).all()
            ]


    # --- stories ---------------------------------------------------------------------------------

    def save_stories(self, stories: Sequence[Story], article_ids: Iterable[int]) -> None:
        """Replace the grouping of ``article_ids`` by ``stories``; stories left empty are removed."""
        ids = list(article_ids)
        with self.session() as s:
            for chunk in _chunks(ids, 500):
                s.execute(delete(StoryArticleRow).where(StoryArticleRow.article_id.in_(chunk)))
            for story in stories:
                row = s.get(StoryRow, story.id)
                if row is None:
                    row = StoryRow(id=story.id)
                    s.add(row)
                row.title, row.summary, row.score = story.title, story.summary, story.score
                row.first_published, row.updated = story.first_published, story.updated
                row.highlights = [Highlight.from_json(h).to_json() for h in story.highlights]
                row.language, row.built_at = story.language, utcnow()
            s.flush()  # story rows before their members (no ORM relationship orders them)
            for story in stories:
                for src in story.sources:
                    s.add(StoryArticleRow(story_id=story.id, article_id=src.article_id,
                                          segment=src.segment, role="source"))
                    for dup in src.similar:
                        s.merge(StoryArticleRow(story_id=story.id, article_id=dup, segment=0,
                                                role="similar", duplicate_of=src.article_id))
                for op in story.opinions:
                    s.add(StoryArticleRow(story_id=story.id, article_id=op.article_id, role="opinion"))
            s.flush()
            empty = select(StoryRow.id).where(
                ~select(StoryArticleRow.story_id).where(StoryArticleRow.story_id == StoryRow.id).exists()
            )
            s.execute(delete(StoryRow).where(StoryRow.id.in_(empty)))

    def stories_updated_since(self, since: datetime, *, limit: int | None = None) -> list[Story]:
        """Stored stories updated at or after ``since``, most important first."""
        query = select(StoryRow).where(StoryRow.updated >= since).order_by(
            StoryRow.score.desc(), StoryRow.updated.desc(), StoryRow.id
        )
        if limit is not None:
            query = query.limit(limit)
        with self.session() as s:
            rows = list(s.scalars(query))
            members = s.execute(
                select(StoryArticleRow, ArticleRow, SourceRow)
                .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
                .join(SourceRow, SourceRow.id == ArticleRow.source_id)
                .where(StoryArticleRow.story_id.in_([r.id for r in rows]))
                .order_by(ArticleRow.published, ArticleRow.id)
            ).all()
        by_story: dict[str, list[tuple[StoryArticleRow, ArticleRow, SourceRow]]] = {}
        for m in members:
            by_story.setdefault(m[0].story_id, []).append(m)
        return [_story_from_rows(r, by_story.get(r.id, [])) for r in rows]

    # --- subscribers -----------------------------------------------------------------------------

    def sync_subscribers(self, subscribers: Iterable[Any]) -> None:
        """Make the store's config-origin subscribers match config.yaml's list."""
        wanted = {sub.email.lower(): sub for sub in subscribers}
        _again_on_conflict(lambda: self._sync_subscribers(wanted))

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
                    row.exclude, row.languages = list(sub.exclude), list(sub.languages)
                    row.max_stories = sub.max_stories
                if row.prefs_updated_at is None and (row.origin == "config"
                                                     or row.unsubscribed_at is None):
                    row.timezone = sub.timezone  # the subscriber's own choices (web) win
                    row.send_at = sub.send_at.strftime("%H:%M") if sub.send_at else None
                    row.topics, row.sources = list(sub.topics), list(sub.sources)
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
                setattr(row, key, value)
            row.active, row.unsubscribed_at = True, None
            return not was_active

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
                        sources: Sequence[str], send_at: str | None, timezone: str | None) -> None:
        """The subscriber's own choices, kept over config.yaml's from now on."""
        with self.session() as s:
            s.execute(update(SubscriberRow).where(SubscriberRow.id == subscriber_id).values(
                topics=list(topics), sources=list(sources), send_at=send_at, timezone=timezone,
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
            chosen_timezone=row.timezone, chosen_send_at=chosen_send_at,
            unsubscribed_at=row.unsubscribed_at, prefs_updated_at=row.prefs_updated_at)

    # --- deliveries ------------------------------------------------------------------------------

    def finished_deliveries(self, days: Iterable[date]) -> set[tuple[int, date]]:
        """(subscriber id, day) of every delivery on those days that is sent or given up."""
        days = list(days)
        if not days:
            return set()
        with self.session() as s:
            rows = s.execute(select(DeliveryRow.subscriber_id, DeliveryRow.digest_date).where(
                DeliveryRow.digest_date.in_(days), DeliveryRow.status.in_(("sent", "failed"))))
            return {(sid, day) for sid, day in rows}

    def delivery(self, subscriber_id: int, day: date) -> DeliveryRow | None:
        with self.session() as s:
            return s.scalars(
                select(DeliveryRow).where(
                    DeliveryRow.subscriber_id == subscriber_id, DeliveryRow.digest_date == day
                )
            ).one_or_none()

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
        with self.engine.begin() as conn:
            row = conn.execute(_SQL.find, {"sid": subscriber_id, "day": day}).first()
            if row is None:
                try:
                    result = conn.execute(_SQL.create, {"sid": subscriber_id, "day": day, "now": now})
                except IntegrityError:  # another sender created it first
                    return None
                key = result.inserted_primary_key
                assert key is not None
                return Claim(int(key[0]), 1)
            if row.status in ("sent", "failed") or row.attempts >= max_attempts:
                return None
            if row.status == "sending":
                log.warning("delivery %s for %s was interrupted; sending it again", row.id, day)
            claimed = conn.execute(_SQL.claim, {"did": row.id, "seen": row.attempts,
                                                "next": row.attempts + 1, "now": now})
            if claimed.rowcount != 1:  # another sender claimed it in between
                return None
            return Claim(int(row.id), int(row.attempts) + 1)

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
        with self.engine.begin() as conn:
            conn.execute(statement, params)

    def deliveries(self, *, statuses: Sequence[str] | None = None) -> list[tuple[DeliveryRow, str]]:
        query = select(DeliveryRow, SubscriberRow.email).join(SubscriberRow).order_by(
            DeliveryRow.digest_date.desc(), SubscriberRow.email
        )
        if statuses:
            query = query.where(DeliveryRow.status.in_(statuses))
        with self.session() as s:
            return [(d, e) for d, e in s.execute(query).all()]

    def delivered_stories(self, subscriber_id: int, day: date) -> list[str] | None:
        """The story ids a subscriber was sent for a day, or None if nothing was sent."""
        row = self.delivery(subscriber_id, day)
        return list(row.story_ids) if row is not None and row.status == "sent" else None

    # --- editions (the web archive) --------------------------------------------------------------

    def save_edition(self, day: date, stories: Sequence[Story]) -> None:
        """Add the stories a day's digests chose from to that day's edition (a story seen
        again replaces its earlier version)."""
        _again_on_conflict(lambda: self._save_edition(day, stories))

    def _save_edition(self, day: date, stories: Sequence[Story]) -> None:
        now = utcnow()
        with self.session() as s:
            row = s.get(EditionRow, day, with_for_update=True)  # parallel senders: one at a time
            if row is None:
                row = EditionRow(day=day, stories=[], created_at=now)
                s.add(row)
            merged = {item["id"]: item for item in row.stories}
            merged.update((story.id, story.snapshot()) for story in stories)
            items = sorted(merged.values(), key=lambda d: d["updated"], reverse=True)
            row.stories = sorted(items, key=lambda d: -d["score"])  # stable: newest first on ties
            row.updated_at = now

    def edition(self, day: date) -> list[Story] | None:
        """A day's stories, most important first, or None if no digest went out that day."""
        with self.session() as s:
            row = s.get(EditionRow, day)
            return None if row is None else [Story.from_snapshot(d) for d in row.stories]

    def editions(self, *, limit: int = 60, before: date | None = None) -> list[tuple[date, int, str]]:
        """(day, number of stories, top story's title) of the newest editions."""
        query = select(EditionRow).order_by(EditionRow.day.desc()).limit(limit)
        if before is not None:
            query = query.where(EditionRow.day < before)
        with self.session() as s:
            return [(row.day, len(row.stories), row.stories[0]["title"] if row.stories else "")
                    for row in s.scalars(query)]

    # --- runs ------------------------------------------------------------------------------------

    def start_run(self, command_name: str) -> int:
        with self.session() as s:
            row = RunRow(command=command_name, started_at=datetime.now(UTC),
                         host=socket.gethostname(), pid=os.getpid())
            s.add(row)
            s.flush()
            return row.id

    def finish_run(self, run_id: int, *, status: str, summary: dict[str, Any]) -> None:
        with self.session() as s:
            s.execute(
                update(RunRow).where(RunRow.id == run_id).values(
                    status=status, summary=summary, finished_at=utcnow()
                )
            )

    def mark_runs_killed(self, host: str, pid: int) -> int:
        """Runs a vanished process left "running" are marked "killed"; returns how many."""
        with self.session() as s:
            result = s.execute(
                update(RunRow).where(RunRow.status == "running", RunRow.host == host,
                                     RunRow.pid == pid)
                .values(status="killed", finished_at=utcnow(),
                        summary={"error": "the process was killed or lost its lock"})
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def runs(self, limit: int = 10) -> list[RunRow]:
        with self.session() as s:
            return list(s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit)))


def _again_on_conflict(work: Callable[[], None]) -> None:
    """Run ``work``; if another process inserted the same rows first, once more (now they
    exist and are updated instead)."""
    try:
        work()
    except IntegrityError:
        work()


def _chunks(items: list[_T], size: int) -> Iterator[list[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _story_from_rows(row: StoryRow, members: list[tuple[StoryArticleRow, ArticleRow, SourceRow]]) -> Story:
    similar: dict[int, list[int]] = {}
    copies: dict[int, list[tuple[str, bool, str | None, str | None]]] = {}
    for link, art, src in members:
        if link.role == "similar" and link.duplicate_of is not None:
            similar.setdefault(link.duplicate_of, []).append(art.id)
            copies.setdefault(link.duplicate_of, []).append(
                (src.name, src.official, src.country, art.language))
    briefings: dict[int, Transcript | None] = {}

    def part(art: ArticleRow, segment: int) -> Segment | None:
        """A briefing's segment, read again from its article (who asked what, who answered)."""
        if segment <= 0:
            return None
        if art.id not in briefings:
            briefings[art.id] = read_transcript(art.text, title=art.title)
        transcript = briefings[art.id]
        if transcript is None or segment > len(transcript.segments):
            return None
        return transcript.segments[segment - 1]

    sources = []
    for link, art, src in members:
        if link.role != "source":
            continue
        seg = part(art, link.segment)
        sources.append(StorySource(
            article_id=art.id,
            segment=link.segment,
            name=src.name,
            display_name=src.title or src.name,
            url=art.url,
            title=art.title,
            published=art.published or art.fetched_at,
            official=src.official,
            similar=tuple(similar.get(art.id, ())),
            similar_sources=tuple(copies.get(art.id, ())),
            language=art.language,
            country=src.country,
            question=seg.question if seg else None,
            asked_by=seg.asked_by if seg else None,
            speaker=seg.speaker if seg else None,
        ))
    sources.sort(key=lambda s: (not s.official, s.published, s.article_id, s.segment))
    opinions = [
        StoryOpinion(article_id=art.id, name=src.name, display_name=src.title or src.name,
                     url=art.url, title=art.title)
        for link, art, src in members
        if link.role == "opinion"
    ]
    return Story(
        id=row.id,
        title=row.title,
        first_published=row.first_published,
        updated=row.updated,
        highlights=tuple(Highlight.from_json(h) for h in row.highlights),
        summary=row.summary,
        sources=tuple(sources),
        opinions=tuple(opinions),
        score=row.score,
        language=row.language,
    )
