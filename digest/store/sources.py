"""The sources: synced from the config, their crawl health."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select

from digest.models import ArticleRow, SourceChangeRow, SourceRow, utcnow
from digest.store._database import Database, again_on_conflict


class SourceStore(Database):
    """Sources' rows and health."""

    def sync_sources(self, sources: Iterable[Any]) -> dict[str, int]:
        """Insert or update one row per configured source; returns name -> id. A crawl and its
        workers, started together on a new database, each sync the same sources: the one that
        finds them inserted by another meanwhile updates them instead."""
        wanted = list(sources)
        ids: dict[str, int] = {}
        again_on_conflict(lambda: ids.update(self._sync_sources(wanted)))
        return ids

    def _sync_sources(self, sources: list[Any]) -> dict[str, int]:
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

    def note_readings(self, notes: Mapping[str, str | None]) -> None:
        """Keep what the story stage found of how each source's pages read (None: nothing
        wrong), for the sources it read pages of."""
        with self.session() as s:
            for row in s.scalars(select(SourceRow).where(SourceRow.name.in_(list(notes)))):
                row.reading_note = notes[row.name]

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
                    "reading_note": r.reading_note,
                }
                for r in s.scalars(select(SourceRow).order_by(SourceRow.name))
            ]

    def record_source_change(self, *, who: str, source: str, action: str, detail: str) -> None:
        """Keep who changed a source in config.yaml, and how."""
        with self.session() as s:
            s.add(SourceChangeRow(who=who, source=source, action=action, detail=detail))

    def source_changes(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest changes to the sources, newest first."""
        query = select(SourceChangeRow).order_by(SourceChangeRow.id.desc()).limit(limit)
        with self.session() as s:
            return [{"at": row.at, "who": row.who, "source": row.source, "action": row.action,
                     "detail": row.detail} for row in s.scalars(query)]
