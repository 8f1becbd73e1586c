"""Editions: what each day's digest chose from, kept for the web archive."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from digest.domain import Story
from digest.models import EditionRow, EditionStoryRow, utcnow
from digest.store._database import Database, again_on_conflict


class EditionStore(Database):
    """The web archive's editions."""

    def save_edition(self, day: date, stories: Sequence[Story]) -> None:
        """Add the stories a day's digests chose from to that day's edition (a story seen
        again replaces its earlier version)."""
        again_on_conflict(lambda: self._save_edition(day, stories))

    def _save_edition(self, day: date, stories: Sequence[Story]) -> None:
        now = utcnow()
        with self.session() as s:
            row = s.get(EditionRow, day, with_for_update=True)  # parallel senders: one at a time
            if row is None:
                row = EditionRow(day=day, stories=[], created_at=now)
                s.add(row)
            merged = {item["id"]: item for item in row.stories}
            indexed = set(merged)
            merged.update((story.id, story.snapshot()) for story in stories)
            s.add_all(EditionStoryRow(story_id=story_id, day=day) for story_id in merged
                      if story_id not in indexed)
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

    def archived_story(self, story_id: str) -> Story | None:
        """A story as the newest edition that showed it kept it, or None."""
        with self.session() as s:
            day = s.scalar(select(EditionStoryRow.day).where(EditionStoryRow.story_id == story_id)
                           .order_by(EditionStoryRow.day.desc()).limit(1))
            row = s.get(EditionRow, day) if day is not None else None
            item = next((item for item in row.stories if item.get("id") == story_id), None) if row else None
            return Story.from_snapshot(item) if item is not None else None
