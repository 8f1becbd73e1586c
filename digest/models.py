"""SQLAlchemy tables: sources, articles, stories and their members, subscribers, deliveries, runs.

Every time is stored in UTC and read back as an aware ``datetime`` (SQLite keeps no zone, so
``UTCDateTime`` adds it back). The schema is migrated by Alembic (``digest/migrations``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from digest.text import clean

__all__ = [
    "AdminSessionRow",
    "ArticleRow",
    "Base",
    "BounceRow",
    "CleanJSON",
    "CleanString",
    "CleanText",
    "DeliveryRow",
    "EditionRow",
    "EditionStoryRow",
    "LockRow",
    "MetaRow",
    "RunRow",
    "SeenUrlRow",
    "SegmentRow",
    "SourceChangeRow",
    "SourceRow",
    "StoryArticleRow",
    "StoryRow",
    "SubscriberRow",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: times must carry a zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CleanText(TypeDecorator[str]):
    """Text stored without control characters or lone surrogates (digest.text.clean): a NUL
    in a typed name or a U+0001 in a scraped title never reaches the database."""

    impl: Any = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return clean(value) if isinstance(value, str) else value


class CleanString(CleanText):
    """A bounded string, cleaned as :class:`CleanText`."""

    impl = String
    cache_ok = True


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    return value


class CleanJSON(TypeDecorator[Any]):
    """JSON whose strings are cleaned as :class:`CleanText`."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return _cleaned(value)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: CleanJSON,
        list[Any]: CleanJSON,
        str: CleanText,
    }


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(CleanString(64), unique=True)
    kind: Mapped[str] = mapped_column(CleanString(16))
    url: Mapped[str] = mapped_column(CleanString(2048))
    title: Mapped[str | None] = mapped_column(CleanString(256))
    official: Mapped[bool] = mapped_column(Boolean, default=False)
    country: Mapped[str | None] = mapped_column(CleanString(8))  # ISO code, from config.yaml
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_crawl_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(CleanText)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_yield: Mapped[int] = mapped_column(Integer, default=0)
    last_links: Mapped[int] = mapped_column(Integer, default=0)  # links/entries the index listed
    consecutive_empty: Mapped[int] = mapped_column(Integer, default=0)  # runs listing nothing
    # what the story stage found wrong in how its pages read (a briefing read as a flood)
    reading_note: Mapped[str | None] = mapped_column(CleanText)


class SourceChangeRow(Base):
    """A change to the sources in config.yaml made by the program: who (the admin's login, or
    ``cli`` and the user), when, which source, what (``added``, ``changed``, ``disabled``,
    ``enabled``, ``removed``, ``imported``) and how, in words."""

    __tablename__ = "source_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    who: Mapped[str] = mapped_column(CleanString(256))
    source: Mapped[str] = mapped_column(CleanString(64))
    action: Mapped[str] = mapped_column(CleanString(16))
    detail: Mapped[str] = mapped_column(CleanText)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(CleanString(2048), unique=True)
    title: Mapped[str] = mapped_column(CleanText)
    text: Mapped[str] = mapped_column(CleanText)
    published: Mapped[datetime | None] = mapped_column(index=True)
    updated: Mapped[datetime | None] = mapped_column(index=True)  # the page's dateModified
    author: Mapped[str | None] = mapped_column(CleanString(512))
    language: Mapped[str | None] = mapped_column(CleanString(16))
    content_hash: Mapped[str] = mapped_column(CleanString(64), index=True)
    is_opinion: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # the transcript reader's version that read this (official) article; None: not read yet
    segments_read: Mapped[int | None] = mapped_column(Integer)
    # what it is about (digest/vectors.py: float16 bytes), and how that and its segments'
    # vectors were made (digest.vectors.MODEL); None: not made yet
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)
    vectors_made: Mapped[str | None] = mapped_column(String(64))
    # what search finds it by (digest/search_terms.py): stems in its language and pairs of
    # CJK characters (on PostgreSQL, which stems words itself, the pairs only)
    search_title: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str | None] = mapped_column(Text)


class SegmentRow(Base):
    """One segment of a briefing's transcript, as read once (digest/transcripts.py): numbered
    from 1 in the order of the text, as ``story_articles.segment`` refers to them."""

    __tablename__ = "segments"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    paragraphs: Mapped[list[Any]]
    question: Mapped[str | None] = mapped_column(CleanText)
    asked_by: Mapped[str | None] = mapped_column(CleanString(256))
    speaker: Mapped[str | None] = mapped_column(CleanString(256))
    answer: Mapped[str] = mapped_column(CleanText)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)  # see ArticleRow.vector


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(CleanString(32), primary_key=True)
    title: Mapped[str] = mapped_column(CleanText)
    first_published: Mapped[datetime] = mapped_column(index=True)
    updated: Mapped[datetime] = mapped_column(index=True)
    highlights: Mapped[list[Any]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(CleanText, default="")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    language: Mapped[str | None] = mapped_column(CleanString(16))
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the story in each of its other languages: StoryVersion.to_json() dicts (None: none)
    versions: Mapped[list[Any] | None]


class StoryArticleRow(Base):
    """An article's place in a story: ``source`` (reporting), ``similar`` (a near-duplicate of
    ``duplicate_of``) or ``opinion``. ``segment`` numbers the parts of a press-conference
    transcript, whose answers can each belong to a different story (0 for a whole article)."""

    __tablename__ = "story_articles"

    story_id: Mapped[str] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True, index=True)
    segment: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    role: Mapped[str] = mapped_column(CleanString(16))
    duplicate_of: Mapped[int | None] = mapped_column(Integer)


class SubscriberRow(Base):
    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(CleanString(320), unique=True)
    name: Mapped[str | None] = mapped_column(CleanString(256))
    timezone: Mapped[str | None] = mapped_column(CleanString(64))
    send_at: Mapped[str | None] = mapped_column(CleanString(5))
    topics: Mapped[list[Any]] = mapped_column(default=list)
    sources: Mapped[list[Any]] = mapped_column(default=list)
    exclude: Mapped[list[Any]] = mapped_column(default=list)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    max_stories: Mapped[int | None] = mapped_column(Integer)
    frequency: Mapped[str | None] = mapped_column(CleanString(8))  # daily | weekly (None: the config's)
    weekday: Mapped[str | None] = mapped_column(CleanString(10))  # monday … sunday, for weekly
    origin: Mapped[str] = mapped_column(CleanString(16), default="cli")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    unsubscribed_at: Mapped[datetime | None]
    # set when the subscriber changed their preferences on the web: config.yaml no longer
    # overwrites topics, sources, send time and timezone
    prefs_updated_at: Mapped[datetime | None]
    # when a sign-up last mailed this address a confirmation link (one a day at most)
    confirm_sent_at: Mapped[datetime | None]
    # no more digests after hard bounces on three different days (digest/bounces.py), and why
    suspended_at: Mapped[datetime | None]
    suspended_reason: Mapped[str | None] = mapped_column(CleanText)


class DeliveryRow(Base):
    """One digest for one subscriber on one local date: the unit that is sent exactly once.

    ``status``: ``sending`` (claimed; a crash here leaves it to be retried once), ``sent``
    (the server accepted it), ``failed`` (permanent failure, with the server's reply).
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("subscriber_id", "digest_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id"), index=True)
    digest_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(CleanString(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[str | None] = mapped_column(CleanString(256))
    subject: Mapped[str | None] = mapped_column(CleanText)
    story_ids: Mapped[list[Any]] = mapped_column(default=list)
    last_error: Mapped[str | None] = mapped_column(CleanText)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]


class BounceRow(Base):
    """A delivery refused or complained about: ``hard`` (a 5xx at RCPT or DATA, or a failed
    delivery-status notification), ``soft`` (4xx, or a delayed one) or ``complaint`` (an ARF
    report). ``day`` is the digest's date: three hard bounces on different days suspend."""

    __tablename__ = "bounces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(CleanString(16))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(CleanText)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    command: Mapped[str] = mapped_column(CleanString(32))
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(CleanString(16), default="running")
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    host: Mapped[str | None] = mapped_column(CleanString(256))  # who ran it: a run left "running"
    pid: Mapped[int | None] = mapped_column(Integer)  # by a killed process is marked "killed"


class LockRow(Base):
    """A named lock held by one process (``digest run`` from cron, the daemon, ``digest send``).

    ``token`` identifies the holder; ``host`` and ``pid`` let a process on the same machine see
    that the holder is gone, and ``heartbeat_at`` lets any machine see that it stopped beating.
    """

    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(CleanString(64), primary_key=True)
    token: Mapped[str] = mapped_column(CleanString(64))
    host: Mapped[str] = mapped_column(CleanString(256))
    pid: Mapped[int] = mapped_column(Integer)
    command: Mapped[str] = mapped_column(CleanString(64))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)


class MetaRow(Base):
    """Small named values the installation keeps (the key that signs unsubscribe links)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(CleanString(64), primary_key=True)
    value: Mapped[str] = mapped_column(CleanText)


class SeenUrlRow(Base):
    """An article URL a source listed and the crawler fetched, whatever became of the page
    (stored under another canonical URL, a duplicate, no text): not fetched again."""

    __tablename__ = "seen_urls"
    __table_args__ = (UniqueConstraint("source_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(CleanString(2048))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class EditionStoryRow(Base):
    """Which editions showed a story: a story page found in the archive by its id."""

    __tablename__ = "edition_stories"

    story_id: Mapped[str] = mapped_column(CleanString(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, ForeignKey("editions.day", ondelete="CASCADE"), primary_key=True)


class AdminSessionRow(Base):
    """An admin's login: the session cookie names it, and a logout ends it here, so a copy of
    the cookie is worth nothing after."""

    __tablename__ = "admin_sessions"

    id: Mapped[str] = mapped_column(CleanString(64), primary_key=True)
    user: Mapped[str] = mapped_column(CleanString(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class EditionRow(Base):
    """What the digest of one day showed: every story that was a candidate for a subscriber
    that day (``Story.snapshot`` dicts, most important first), kept for the web archive even
    after the stories are regrouped. Deliveries name which of them each subscriber got."""

    __tablename__ = "editions"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    stories: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
