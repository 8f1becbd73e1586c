"""Search: stored articles by words, ranked by the database's own full-text engine (SQLite
FTS5's BM25, PostgreSQL's ``ts_rank_cd``), with the story each belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, Text, column, text

from digest.models import UTCDateTime
from digest.store._database import Database

__all__ = ["SearchHit", "SearchStore"]

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, kw_only=True)
class SearchHit:
    """An article that matches, best first: where it is, a snippet around the words found
    (``[`` and ``]`` mark them) and its story, if it is in one."""

    article_id: int
    title: str
    url: str
    source: str
    published: datetime | None
    snippet: str
    story_id: str | None


class SearchStore(Database):
    """Full-text search over the stored articles."""

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """The articles matching every word of ``query``, best first (words only: quotes,
        operators and punctuation a user types are taken as words)."""
        words = _WORD.findall(query)[:20]
        if not words:
            return []
        if self.engine.dialect.name == "sqlite":
            sql = text(
                "SELECT a.id, a.title, a.url, s.name, a.published, "
                "snippet(articles_fts, 1, '[', ']', '…', 24) AS snippet, "
                "(SELECT m.story_id FROM story_articles m WHERE m.article_id = a.id "
                " AND m.role = 'source' LIMIT 1) AS story_id "
                "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                "JOIN sources s ON s.id = a.source_id "
                "WHERE articles_fts MATCH :match "
                "ORDER BY bm25(articles_fts, 5.0, 1.0), a.id LIMIT :limit")
            params: dict[str, object] = {
                "match": " ".join('"' + w.replace('"', "") + '"' for w in words), "limit": limit}
        else:
            sql = text(
                "SELECT a.id, a.title, a.url, s.name, a.published, "
                "ts_headline('english', a.text, q, 'StartSel=[, StopSel=], MaxWords=24, "
                "MinWords=12, MaxFragments=1') AS snippet, "
                "(SELECT m.story_id FROM story_articles m WHERE m.article_id = a.id "
                " AND m.role = 'source' LIMIT 1) AS story_id "
                "FROM (SELECT id, ts_rank_cd(search, q) AS rank, q FROM articles, "
                "      plainto_tsquery('english', :query) AS q WHERE search @@ q "
                "      ORDER BY rank DESC, id LIMIT :limit) AS found "
                "JOIN articles a ON a.id = found.id JOIN sources s ON s.id = a.source_id "
                "ORDER BY found.rank DESC, a.id")
            params = {"query": " ".join(words), "limit": limit}
        typed = sql.columns(column("id", Integer), column("title", Text), column("url", Text),
                          column("name", Text), column("published", UTCDateTime),
                          column("snippet", Text), column("story_id", Text))
        with self.session() as s:
            return [SearchHit(article_id=row[0], title=row[1], url=row[2], source=row[3],
                              published=row[4], snippet=" ".join(str(row[5] or "").split()),
                              story_id=row[6])
                    for row in s.execute(typed, params)]
