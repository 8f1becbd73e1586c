"""Search: stored articles by words in any language the sources write (digest/search_terms.py),
ranked by the database's own full-text engine (SQLite FTS5's BM25 over each article's terms,
PostgreSQL's ``ts_rank_cd`` over the configuration of its language), with the story each
belongs to and a snippet around the words found."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Text, column, select, text
from sqlalchemy.orm import Session

from digest.models import ArticleRow, SegmentRow, StoryArticleRow, StoryRow, UTCDateTime
from digest.search_terms import PG_CONFIGS, index_terms, query_terms, query_words
from digest.store._database import Database
from digest.text import CJK

__all__ = ["SearchHit", "SearchStore"]

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK_RUN = re.compile(f"[{CJK}]+")


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

    _languages: tuple[float, tuple[str, ...]] | None = None

    def search_languages(self) -> tuple[str, ...]:
        """The languages the stored articles are in (a query word is read in each); read
        again a minute later, when new sources may have brought another."""
        now = time.monotonic()
        if self._languages is None or now - self._languages[0] > 60:
            with self.session() as s:
                found = {(code or "").lower()[:2]
                         for code in s.scalars(select(ArticleRow.language).distinct())}
            self._languages = (now, tuple(sorted(c for c in found if c)))
        return self._languages[1]

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """The articles matching every word of ``query``, best first (words only: quotes,
        operators and punctuation a user types are taken as words)."""
        groups = query_terms(query, self.search_languages())
        if not groups:
            return []
        if self.engine.dialect.name == "sqlite":
            sql = text(
                "SELECT a.id, a.title, a.url, coalesce(s.title, s.name), a.published, a.text, "
                "a.language FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                "JOIN sources s ON s.id = a.source_id "
                "WHERE articles_fts MATCH :match "
                "ORDER BY bm25(articles_fts, 5.0, 1.0), a.id LIMIT :limit")
            params: dict[str, Any] = {"match": _fts5_match(groups), "limit": limit}
        else:
            condition, params = _tsquery(query, self.search_languages())
            if not condition:
                return []
            sql = text(
                "SELECT a.id, a.title, a.url, coalesce(s.title, s.name), a.published, a.text, "
                "a.language FROM (SELECT id, ts_rank_cd(search, query.q) AS rank FROM articles, "
                f"      (SELECT {condition} AS q) AS query WHERE search @@ query.q "
                "      ORDER BY rank DESC, id LIMIT :limit) AS found "
                "JOIN articles a ON a.id = found.id JOIN sources s ON s.id = a.source_id "
                "ORDER BY found.rank DESC, a.id")
            params["limit"] = limit
        typed = sql.columns(column("id", Integer), column("title", Text), column("url", Text),
                            column("name", Text), column("published", UTCDateTime),
                            column("text", Text), column("language", Text))
        with self.session() as s:
            rows = list(s.execute(typed, params))
            wanted = _Wanted(query, groups, self.search_languages())
            stories = _stories_of(s, [row[0] for row in rows], wanted)
        hits = []
        for row in rows:
            story_id, story_title, snippet = stories.get(row[0], (None, None, None))
            hits.append(SearchHit(article_id=row[0], title=row[1], url=row[2], source=row[3],
                                  published=row[4], story_id=story_id, story_title=story_title,
                                  snippet=snippet or wanted.snippet(row[5] or "")))
        return hits


def _fts5_match(groups: list[list[str]]) -> str:
    """FTS5's query: every group, each one of its terms (a prefix term ends with ``*``)."""
    def term(t: str) -> str:
        return f'"{t[:-1]}"*' if t.endswith("*") else '"' + t.replace('"', "") + '"'

    return " AND ".join("(" + " OR ".join(term(t) for t in group) + ")" for group in groups)


def _tsquery(query: str, languages: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """PostgreSQL's query: each word read in the configuration of every stored language (any
    match), each CJK pair under ``simple``; all of them."""
    configs = sorted({PG_CONFIGS.get(code, "simple") for code in (*languages, "en")} | {"simple"})
    parts, params = [], {}
    for i, word in enumerate(query_words(query)):
        params[f"w{i}"] = word
        parts.append("(" + " || ".join(f"plainto_tsquery('{c}', :w{i})" for c in configs) + ")")
    pairs = [t for group in query_terms(query, ()) for t in group if t.startswith("cjk")]
    for j, pair in enumerate(pairs):
        params[f"p{j}"] = pair[:-1] + ":*" if pair.endswith("*") else pair
        parts.append(f"to_tsquery('simple', :p{j})")
    return " && ".join(parts), params


class _Wanted:
    """The query's terms, and how to tell a word of a text that is one of them (stemmed in
    each language the store holds, as the query was)."""

    def __init__(self, query: str, groups: list[list[str]], languages: tuple[str, ...]) -> None:
        self.groups = groups
        self.languages = tuple(sorted({*languages, "en"}))
        self.terms = {t for group in groups for t in group if not t.endswith("*")}
        self.prefixes = tuple(t[:-1] for group in groups for t in group if t.endswith("*"))
        self.runs = [run for run in _CJK_RUN.findall(query)]

    def word(self, token: str) -> bool:
        folded = token.casefold()
        if folded in self.terms:
            return True
        if not any(t[:2] in folded for t in self.terms):  # a stem shares its word's letters
            return False
        return any(index_terms(token, code) in self.terms for code in self.languages)

    def groups_in(self, said: str) -> int:
        """How many of the query's groups ``said`` holds."""
        words = {w for w in _WORD.findall(said) if self.word(w)}
        pairs = set(index_terms(said, None, words=False).split())
        terms = {t for w in words for code in self.languages
                 for t in index_terms(w, code).split()} | {w.casefold() for w in words} | pairs
        return sum(1 for group in self.groups if any(
            t in terms or (t.endswith("*") and any(x.startswith(t[:-1]) for x in pairs))
            for t in group))

    def snippet(self, said: str, width: int = 24) -> str:
        """About ``width`` words of ``said`` around the first word found, words found in
        [ ]; in Chinese or Japanese, 60 characters around the first run found."""
        for run in self.runs:
            at = said.find(run)
            if at >= 0:
                start = max(0, at - 20)
                end = min(len(said), at + len(run) + 40)
                return (("…" if start else "") + said[start:at] + f"[{run}]"
                        + said[at + len(run):end] + ("…" if end < len(said) else ""))
        tokens = said.split()

        def found(token: str) -> bool:
            return any(self.word(w) for w in _WORD.findall(token))

        first = next((i for i, t in enumerate(tokens) if found(t)), 0)
        start = max(0, first - width // 3)
        part = [f"[{t}]" if found(t) else t for t in tokens[start:start + width]]
        return ("…" if start else "") + " ".join(part) + ("…" if start + width < len(tokens) else "")


def _stories_of(s: Session, article_ids: list[int],
                wanted: _Wanted) -> dict[int, tuple[str, str, str | None]]:
    """Each article's story (id, title) and, for a briefing, the snippet of the answer that
    holds most of the query's terms (the first such answer on a tie), whose story it is."""
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
        scored = [(wanted.groups_in(" ".join(paragraphs or ())), -segment, story_id, title,
                   " ".join(paragraphs or ())) for segment, story_id, title, paragraphs in members]
        _, _, story_id, title, said = max(scored)
        out[article_id] = (story_id, title, wanted.snippet(said))
    return out
