"""Stories: saved after each grouping, read back as :class:`~digest.domain.Story`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from digest.domain import Highlight, Story, StoryOpinion, StorySource, StoryVersion
from digest.models import ArticleRow, EditionRow, SourceRow, StoryArticleRow, StoryRow, utcnow
from digest.store._database import Database, chunks
from digest.transcripts import Segment, Transcript, read_transcript


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

    def stories_updated_since(self, since: datetime, *, limit: int | None = None) -> list[Story]:
        """Stored stories updated at or after ``since``, most important first."""
        query = select(StoryRow).where(StoryRow.updated >= since).order_by(
            StoryRow.score.desc(), StoryRow.updated.desc(), StoryRow.id
        )
        if limit is not None:
            query = query.limit(limit)
        with self.session() as s:
            return _stories(s, list(s.scalars(query)))

    def story(self, story_id: str) -> Story | None:
        """A story as last built, or as the newest edition that showed it kept it (a story
        regrouped or gone out of the window since), or None."""
        with self.session() as s:
            row = s.get(StoryRow, story_id)
            if row is not None and (story := _stories(s, [row])[0]).sources:
                return story
            for edition in s.scalars(select(EditionRow).order_by(EditionRow.day.desc())):
                for item in edition.stories:
                    if item.get("id") == story_id:
                        return Story.from_snapshot(item)
        return None


def _stories(s: Session, rows: list[StoryRow]) -> list[Story]:
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
        versions=tuple(StoryVersion.from_json(v) for v in row.versions or ()),
    )
