"""Search: stored articles by words, ranked by the database's own full-text engine (SQLite
FTS5's BM25, PostgreSQL's ``ts_rank_cd``), with the story each belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, Text, column, select, text
from sqlalchemy.orm import Session

from digest.models import SegmentRow, StoryArticleRow, StoryRow, UTCDateTime
from digest.store._database import Database

__all__ = ["SearchHit", "SearchStore"]

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, kw_only=True)
class SearchHit:
    """An article that matches, best first: where it is, a snippet around the words found
    (``[`` and ``]`` mark them) and its story, if it is in one. For a briefing, whose answers
    are in several stories, the story is that of the answer that holds most of the words, and
    the snippet is from that answer."""

    article_id: int
    title: str
    url: str
    source: str  # the source's title (its name when it has none)
    published: datetime | None
    snippet: str
    story_id: str | None
    story_title: str | None = None


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
                "SELECT a.id, a.title, a.url, coalesce(s.title, s.name), a.published, "
                "snippet(articles_fts, 1, '[', ']', '…', 24) AS snippet "
                "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                "JOIN sources s ON s.id = a.source_id "
                "WHERE articles_fts MATCH :match "
                "ORDER BY bm25(articles_fts, 5.0, 1.0), a.id LIMIT :limit")
            params: dict[str, object] = {
                "match": " ".join('"' + w.replace('"', "") + '"' for w in words), "limit": limit}
        else:
            sql = text(
                "SELECT a.id, a.title, a.url, coalesce(s.title, s.name), a.published, "
                "ts_headline('english', a.text, q, 'StartSel=[, StopSel=], MaxWords=24, "
                "MinWords=12, MaxFragments=1') AS snippet "
                "FROM (SELECT id, ts_rank_cd(search, q) AS rank, q FROM articles, "
                "      plainto_tsquery('english', :query) AS q WHERE search @@ q "
                "      ORDER BY rank DESC, id LIMIT :limit) AS found "
                "JOIN articles a ON a.id = found.id JOIN sources s ON s.id = a.source_id "
                "ORDER BY found.rank DESC, a.id")
            params = {"query": " ".join(words), "limit": limit}
        typed = sql.columns(column("id", Integer), column("title", Text), column("url", Text),
                          column("name", Text), column("published", UTCDateTime),
                          column("snippet", Text))
        with self.session() as s:
            rows = list(s.execute(typed, params))
            stories = _stories_of(s, [row[0] for row in rows], words)
        hits = []
        for row in rows:
            story_id, story_title, snippet = stories.get(row[0], (None, None, None))
            hits.append(SearchHit(article_id=row[0], title=row[1], url=row[2], source=row[3],
                                  published=row[4], story_id=story_id, story_title=story_title,
                                  snippet=snippet or " ".join(str(row[5] or "").split())))
        return hits


def _stories_of(s: Session, article_ids: list[int],
                words: list[str]) -> dict[int, tuple[str, str, str | None]]:
    """Each article's story (id, title) and, for a briefing, the snippet of the answer that
    holds most of ``words`` (the first such answer on a tie), whose story it is."""
    found: dict[int, list[tuple[int, str, str, list[str] | None]]] = {}
    if not article_ids:
        return {}
    for article_id, segment, story_id, title, paragraphs in s.execute(
            select(StoryArticleRow.article_id, StoryArticleRow.segment, StoryRow.id, StoryRow.title,
                   SegmentRow.paragraphs)
            .join(StoryRow, StoryRow.id == StoryArticleRow.story_id)
            .outerjoin(SegmentRow, (SegmentRow.article_id == StoryArticleRow.article_id)
                       & (SegmentRow.number == StoryArticleRow.segment))
            .where(StoryArticleRow.article_id.in_(article_ids), StoryArticleRow.role == "source")
            .order_by(StoryArticleRow.article_id, StoryArticleRow.segment)):
        found.setdefault(article_id, []).append((segment, story_id, title, paragraphs))
    out: dict[int, tuple[str, str, str | None]] = {}
    for article_id, members in found.items():
        if len(members) == 1 or all(paragraphs is None for *_, paragraphs in members):
            out[article_id] = (members[0][1], members[0][2], None)
            continue
        scored = [(_words_found(" ".join(paragraphs or ()), words), -segment, story_id, title,
                   " ".join(paragraphs or ())) for segment, story_id, title, paragraphs in members]
        _, _, story_id, title, said = max(scored)
        out[article_id] = (story_id, title, _snippet(said, words))
    return out


def _stems(words: list[str]) -> list[str]:
    """What each word of a query is matched by in an answer's text: its first letters (a
    stemmer's engine finds "spies" for "spying"; here "spy" does), the whole word when short."""
    return [w.casefold()[: max(4, len(w) - 3)] for w in words]


def _words_found(said: str, words: list[str]) -> int:
    folded = said.casefold()
    return sum(1 for stem in _stems(words) if stem in folded)


def _snippet(said: str, words: list[str], width: int = 24) -> str:
    """About ``width`` words of ``said`` around the first word found, words found in [ ]."""
    tokens = said.split()
    stems = _stems(words)
    marked = [f"[{t}]" if any(stem in t.casefold() for stem in stems) else t for t in tokens]
    first = next((i for i, t in enumerate(marked) if t.startswith("[")), 0)
    start = max(0, first - width // 3)
    part = marked[start:start + width]
    return ("…" if start else "") + " ".join(part) + ("…" if start + width < len(marked) else "")
