"""Stories: saved after each grouping, read back as :class:`~digest.domain.Story`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from digest.domain import Highlight, Story, StoryOpinion, StorySource, StoryVersion
from digest.identity import Membership
from digest.models import ArticleRow, SegmentRow, SourceRow, StoryArticleRow, StoryRow, utcnow
from digest.store._database import Database, chunks


class StoryStore(Database):
    """The stories of the last grouping."""

    def save_stories(self, stories: Sequence[Story], article_ids: Iterable[int]) -> None:
        """Replace the grouping of ``article_ids`` by ``stories``; stories left empty are removed."""
        ids = list(article_ids)
        with self.session() as s:
            for chunk in chunks(ids, 500):
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
                row.versions = [v.to_json() for v in story.versions] or None
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

    def story_membership(self, article_ids: Iterable[int]) -> Membership:
        """Which stored story each of these articles (and each answer of a briefing among them)
        is in, and, for those stories, the earliest member outside these articles."""
        ids = set(article_ids)
        story_of: dict[tuple[int, int], str] = {}
        with self.session() as s:
            for chunk in chunks(sorted(ids), 500):
                for story_id, article_id, segment in s.execute(
                        select(StoryArticleRow.story_id, StoryArticleRow.article_id, StoryArticleRow.segment)
                        .where(StoryArticleRow.article_id.in_(chunk), StoryArticleRow.role != "opinion")):
                    story_of[(article_id, segment)] = story_id
            earlier: dict[str, datetime] = {}
            when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
            for stories in chunks(sorted(set(story_of.values())), 500):
                for story_id, article_id, published in s.execute(
                        select(StoryArticleRow.story_id, ArticleRow.id, when)
                        .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
                        .where(StoryArticleRow.story_id.in_(stories), StoryArticleRow.role != "opinion")):
                    if article_id not in ids:
                        published = published if published.tzinfo else published.replace(tzinfo=UTC)
                        earlier[story_id] = min(earlier.get(story_id, published), published)
        return Membership(story_of=story_of, earlier=earlier)

    def stories_updated_since(self, since: datetime, *, limit: int | None = None) -> list[Story]:
        """Stored stories updated at or after ``since``, most important first (as
        :func:`digest.stories.build_stories` orders them)."""
        query = select(StoryRow).where(StoryRow.updated >= since).order_by(
            StoryRow.score.desc(), StoryRow.updated.desc(), StoryRow.first_published.desc(),
            StoryRow.title, StoryRow.id
        )
        if limit is not None:
            query = query.limit(limit)
        with self.session() as s:
            return _stories(s, list(s.scalars(query)))

    def story(self, story_id: str) -> Story | None:
        """A story as last built, or None (see also ``archived_story``)."""
        with self.session() as s:
            row = s.get(StoryRow, story_id)
            if row is not None and (story := _stories(s, [row])[0]).sources:
                return story
        return None


_Member = tuple[StoryArticleRow, ArticleRow, SourceRow, SegmentRow | None]


def _stories(s: Session, rows: list[StoryRow]) -> list[Story]:
    by_story: dict[str, list[_Member]] = {}
    for chunk in chunks([r.id for r in rows], 500):
        for link, art, src, seg in s.execute(
            select(StoryArticleRow, ArticleRow, SourceRow, SegmentRow)
            .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
            .join(SourceRow, SourceRow.id == ArticleRow.source_id)
            .outerjoin(SegmentRow, (SegmentRow.article_id == StoryArticleRow.article_id)
                       & (SegmentRow.number == StoryArticleRow.segment))
            .where(StoryArticleRow.story_id.in_(chunk))
            .order_by(ArticleRow.published, ArticleRow.id)
        ):
            by_story.setdefault(link.story_id, []).append((link, art, src, seg))
    return [_story_from_rows(r, by_story.get(r.id, [])) for r in rows]


def _story_from_rows(row: StoryRow, members: list[_Member]) -> Story:
    similar: dict[int, list[int]] = {}
    copies: dict[int, list[tuple[str, bool, str | None, str | None]]] = {}
    for link, art, src, _ in members:
        if link.role == "similar" and link.duplicate_of is not None:
            similar.setdefault(link.duplicate_of, []).append(art.id)
            copies.setdefault(link.duplicate_of, []).append(
                (src.name, src.official, src.country, art.language))
    sources = []
    for link, art, src, seg in members:
        if link.role != "source":
            continue
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
    sources.sort(key=lambda s: s.order)
    opinions = [
        StoryOpinion(article_id=art.id, name=src.name, display_name=src.title or src.name,
                     url=art.url, title=art.title)
        for link, art, src, _ in members
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
        versions=tuple(StoryVersion.from_json(v) for v in row.versions or ()),
    )
