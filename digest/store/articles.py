"""Articles: what is stored, what is known not to fetch again, a window of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from digest.domain import NewArticle, Segment, StoredArticle
from digest.models import ArticleRow, SeenUrlRow, SegmentRow, SourceRow, utcnow
from digest.search_terms import search_columns
from digest.store._database import Database, chunks


class ArticleStore(Database):
    """Stored articles and the URLs not to fetch again."""

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
        for chunk in chunks([a.url for a in articles], 500):
            urls.update(s.scalars(select(ArticleRow.url).where(ArticleRow.url.in_(chunk))))
        for chunk in chunks(sorted(set(digests)), 500):
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
                         "updated": a.updated if a.updated and (a.published is None
                                                                or a.updated > a.published) else None,
                         "content_hash": digest, "is_opinion": a.is_opinion, "fetched_at": now,
                         **search_columns(a.title, a.text, a.language,
                                          words=self.engine.dialect.name != "postgresql")})
            positions.append(n)
        ids: list[int | None] = [None] * len(articles)
        if rows:  # one multi-row INSERT ... RETURNING, not the ORM's unit of work per row
            inserted = s.scalars(insert(ArticleRow).returning(ArticleRow.id, sort_by_parameter_order=True),
                                 rows)
            for n, id_ in zip(positions, inserted, strict=True):
                ids[n] = id_
        return ids

    def articles_between(self, since: datetime, until: datetime, *,
                         segments_version: int | None = None,
                         vectors: str | None = None) -> list[StoredArticle]:
        """Articles published (or, without a date, fetched) in [since, until), or updated in
        it (a page changed since: the story it belongs to moves on), oldest first. With
        ``segments_version``, each comes with the segments of its transcript when they were
        read by that version of the reader (else ``segments`` is None: not read). With
        ``vectors`` (a ``digest.vectors.MODEL``), each article and segment comes with its
        vector when one was made that way (else ``vector`` is None: not made)."""
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        query = (
            select(ArticleRow, SourceRow)
            .join(SourceRow)
            .where(or_(and_(when >= since, when < until),
                       and_(ArticleRow.updated >= since, ArticleRow.updated < until)))
            .order_by(when, ArticleRow.id)
        )
        if vectors is None:
            query = query.options(defer(ArticleRow.vector))
        with self.session() as s:
            rows = s.execute(query).all()
            read = [a.id for a, _ in rows if segments_version is not None
                    and a.segments_read == segments_version]
            made = {a.id for a, _ in rows if vectors is not None and a.vectors_made == vectors}
            segments: dict[int, list[Segment]] = {i: [] for i in read}
            segment_query = select(SegmentRow)
            if vectors is None:
                segment_query = segment_query.options(defer(SegmentRow.vector))
            for chunk in chunks(read, 500):
                for row in s.scalars(segment_query.where(SegmentRow.article_id.in_(chunk))
                                     .order_by(SegmentRow.article_id, SegmentRow.number)):
                    segments[row.article_id].append(
                        segment_of(row, with_vector=row.article_id in made))
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
                    updated=a.updated,
                    segments=tuple(segments[a.id]) if a.id in segments else None,
                    vector=a.vector if a.id in made else None,
                )
                for a, src in rows
            ]

    def save_segments(self, transcripts: Mapping[int, Sequence[Segment]], *, version: int) -> None:
        """Keep the segments each article's transcript was read into (none: no transcript),
        by ``version`` of the reader, in place of any read before."""
        ids = list(transcripts)
        with self.session() as s:
            for chunk in chunks(ids, 500):
                s.execute(delete(SegmentRow).where(SegmentRow.article_id.in_(chunk)))
                s.execute(update(ArticleRow).where(ArticleRow.id.in_(chunk)).values(segments_read=version))
            rows = [{"article_id": article_id, "number": n, "paragraphs": list(part.paragraphs),
                     "question": part.question, "asked_by": part.asked_by, "speaker": part.speaker,
                     "answer": part.answer, "vector": part.vector}
                    for article_id, parts in transcripts.items() for n, part in enumerate(parts, 1)]
            for part_rows in chunks(rows, 500):
                s.execute(insert(SegmentRow), part_rows)

    def save_vectors(self, articles: Mapping[int, bytes],
                     segments: Mapping[tuple[int, int], bytes], *, made: str) -> None:
        """Keep vectors made the ``made`` way (``digest.vectors.MODEL``): of articles, by id,
        and of their segments, by article id and segment number (from 1). An article given
        here is marked as made that way: give its segments' vectors too."""
        with self.session() as s:
            rows = [{"id": i, "vector": v, "vectors_made": made} for i, v in articles.items()]
            for part in chunks(rows, 500):
                s.execute(update(ArticleRow), part)
            rows = [{"article_id": a, "number": n, "vector": v} for (a, n), v in segments.items()]
            for part in chunks(rows, 500):
                s.execute(update(SegmentRow), part)


def segment_of(row: SegmentRow, *, with_vector: bool = False) -> Segment:
    """A stored segment as the domain value (with its vector, when asked and made)."""
    return Segment(paragraphs=tuple(row.paragraphs), question=row.question, asked_by=row.asked_by,
                   speaker=row.speaker, answer=row.answer,
                   vector=row.vector if with_vector else None)
