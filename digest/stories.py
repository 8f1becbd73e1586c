"""Group a window's articles into stories, and rank them.

Called by the ``stories`` and ``run`` commands with the articles the store holds for the
window; returns :class:`~digest.domain.Story` values that the store saves. Steps:

1. press-conference transcripts from official sources are split into question-and-answer
   segments, so each answer can join the story it is about;
2. near-duplicates (wire copy republished elsewhere) are folded into one source, "+N similar";
3. the remaining units are clustered by TF-IDF cosine similarity (average linkage), never
   across languages or across more than ``max_gap_hours``;
4. opinion pieces join the story they discuss (they never form one, nor give highlights);
5. each story gets a title, highlights, a summary and a score; stories are returned most
   important first. Clusters made only of transcript segments are dropped: a question at a
   press conference is not a story until someone reports it.

Deterministic: the same articles give the same stories, with ids that stay the same as long
as a story's earliest article does.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from digest.domain import StoredArticle, Story, StoryOpinion, StorySource
from digest.highlights import Passage, choose_highlights, compose_summary

__all__ = ["StoryOptions", "build_stories", "split_transcript"]

_GENERIC_TITLE = re.compile(
    r"(press conference|press briefing|daily briefing|regular briefing|transcript|"
    r"spokesperson'?s? (remarks|answers|comments)|remarks to (the )?press|"
    r"questions and answers|q ?& ?a)",
    re.IGNORECASE,
)
_QUESTION_LABEL = re.compile(
    r"^(Q|Question|Reporter|Journalist|Correspondent|[A-Z][\w .’'-]{0,40}"
    r"(Reporter|Correspondent|News|Agency|TV|Times|Press|Post|Daily))\s*:\s*",
)
_SHINGLE = 5


@dataclass(frozen=True, kw_only=True)
class StoryOptions:
    """Tuning knobs; the defaults suit a day of foreign-affairs news in one language."""

    similarity: float = 0.22       # average cosine similarity for units to share a story
    duplicate: float = 0.7         # shingle Jaccard for two texts to be the same copy
    opinion_similarity: float = 0.12
    max_gap_hours: float = 72.0
    highlights: int = 3


@dataclass(frozen=True)
class _Unit:
    """What gets clustered: a whole article, or one segment of a transcript."""

    article: StoredArticle
    segment: int
    text: str

    @property
    def is_segment(self) -> bool:
        return self.segment > 0


def split_transcript(text: str) -> list[str]:
    """The question-and-answer segments of a press-conference transcript.

    Returns an empty list when ``text`` is not such a transcript (fewer than two labelled
    questions). Each segment starts with its question and runs to the next one.
    """
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    starts = [i for i, p in enumerate(paragraphs) if _QUESTION_LABEL.match(p)]
    if len(starts) < 2:
        return []
    bounds = [*starts, len(paragraphs)]
    return ["\n".join(paragraphs[a:b]) for a, b in pairwise(bounds)]


def build_stories(articles: Sequence[StoredArticle], *, now: datetime,
                  options: StoryOptions | None = None) -> list[Story]:
    """Group ``articles`` into ranked stories (most important first)."""
    options = options or StoryOptions()
    reporting = [a for a in articles if not a.is_opinion]
    opinions = [a for a in articles if a.is_opinion]
    units = _units(reporting)
    if not units:
        return []
    canonical, similar = _fold_duplicates(units, options)
    vectors = _vectorize([_unit_text(u) for u in canonical] + [_article_text(a) for a in opinions])
    unit_vectors, opinion_vectors = vectors[: len(canonical)], vectors[len(canonical):]
    labels = _cluster(canonical, unit_vectors, options)

    clusters: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        clusters.setdefault(int(label), []).append(index)
    groups = [members for members in clusters.values()
              if not all(canonical[i].is_segment for i in members)]

    attached: dict[int, list[StoredArticle]] = {}
    for o, opinion in enumerate(opinions):
        best, best_sim = -1, options.opinion_similarity
        for g, members in enumerate(groups):
            sim = float(np.mean(unit_vectors[members] @ opinion_vectors[o]))
            if sim > best_sim:
                best, best_sim = g, sim
        if best >= 0:
            attached.setdefault(best, []).append(opinion)

    stories = [
        _story([canonical[i] for i in members], unit_vectors[members], similar,
               attached.get(g, []), now=now, options=options)
        for g, members in enumerate(groups)
    ]
    stories.sort(key=lambda s: (-s.score, -s.updated.timestamp(), s.id))
    return stories


# --- steps ---------------------------------------------------------------------------------------

def _units(articles: Sequence[StoredArticle]) -> list[_Unit]:
    units: list[_Unit] = []
    for article in articles:
        segments = split_transcript(article.text) if article.official else []
        if segments:
            units.extend(_Unit(article, i + 1, text) for i, text in enumerate(segments))
        else:
            units.append(_Unit(article, 0, article.text))
    return units


def _shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(" ".join(words[i : i + _SHINGLE])) for i in range(max(1, len(words) - _SHINGLE + 1))}


def _comparable(a: StoredArticle, b: StoredArticle, options: StoryOptions) -> bool:
    """Whether two articles may belong together at all: close in time, same language."""
    close = abs((a.published - b.published).total_seconds()) <= options.max_gap_hours * 3600
    return close and (a.language is None or b.language is None or a.language == b.language)


def _fold_duplicates(units: list[_Unit], options: StoryOptions
                     ) -> tuple[list[_Unit], dict[tuple[int, int], list[_Unit]]]:
    """Near-duplicate texts (shingle Jaccard >= ``options.duplicate``) from other sources fold
    into their earliest copy, an official one first. Candidate pairs come from an inverted
    index of shingles, so the work grows with shared text, not with the square of the count."""
    order = sorted(range(len(units)), key=lambda i: (
        not units[i].article.official, units[i].article.published, units[i].article.id, units[i].segment))
    shingles = {i: _shingles(units[i].text) for i in order}
    index: dict[int, list[int]] = {}
    keep: list[int] = []
    folded: dict[tuple[int, int], list[_Unit]] = {}
    for i in order:
        shared: dict[int, int] = {}
        for sh in shingles[i]:
            for j in index.get(sh, ()):
                shared[j] = shared.get(j, 0) + 1
        original = next(
            (j for j, n in sorted(shared.items(), key=lambda kv: -kv[1])
             if n / (len(shingles[i]) + len(shingles[j]) - n) >= options.duplicate
             and units[j].article.source != units[i].article.source
             and _comparable(units[i].article, units[j].article, options)),
            None,
        )
        if original is None:
            keep.append(i)
            for sh in shingles[i]:
                index.setdefault(sh, []).append(i)
        else:
            key = (units[original].article.id, units[original].segment)
            folded.setdefault(key, []).append(units[i])
    return [units[i] for i in sorted(keep)], folded


def _answers(segment: str) -> str:
    """A transcript segment without its question: highlights quote what the ministry said."""
    return "\n".join(p for p in segment.split("\n") if not _QUESTION_LABEL.match(p))


def _unit_text(unit: _Unit) -> str:
    title = "" if unit.is_segment or _GENERIC_TITLE.search(unit.article.title) else unit.article.title
    return f"{title}\n{title}\n{unit.text[:3000]}"


def _article_text(article: StoredArticle) -> str:
    return f"{article.title}\n{article.title}\n{article.text[:3000]}"


def _vectorize(texts: Sequence[str]) -> np.ndarray:
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1,
                                 token_pattern=r"(?u)\b\w\w+\b")
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # only stop words
        return np.zeros((len(texts), 1))
    return matrix.toarray()


def _cluster(units: Sequence[_Unit], vectors: np.ndarray, options: StoryOptions) -> np.ndarray:
    n = len(units)
    if n == 1:
        return np.array([1])
    similarity = np.clip(vectors @ vectors.T, 0.0, 1.0)
    times = np.array([u.article.published.timestamp() for u in units])
    far = np.abs(times[:, None] - times[None, :]) > options.max_gap_hours * 3600
    languages = np.array([u.article.language or "" for u in units])
    known = languages != ""
    other_language = (languages[:, None] != languages[None, :]) & known[:, None] & known[None, :]
    ids = np.array([u.article.id for u in units])
    same_article = ids[:, None] == ids[None, :]  # segments of one transcript stay apart
    similarity[far | other_language | same_article] = 0.0
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return fcluster(tree, t=1.0 - options.similarity, criterion="distance")


def _story(units: list[_Unit], vectors: np.ndarray, similar: dict[tuple[int, int], list[_Unit]],
           opinions: list[StoredArticle], *, now: datetime, options: StoryOptions) -> Story:
    centroid = vectors.mean(axis=0)
    centrality = vectors @ centroid
    everything = [u.article for u in units] + [
        d.article for u in units for d in similar.get((u.article.id, u.segment), [])
    ]
    first = min(everything, key=lambda a: (a.published, a.url))
    sources = sorted(
        (
            StorySource(
                article_id=u.article.id,
                segment=u.segment,
                name=u.article.source,
                display_name=u.article.source_title,
                url=u.article.url,
                title=u.article.title,
                published=u.article.published,
                official=u.article.official,
                similar=tuple(d.article.id for d in similar.get((u.article.id, u.segment), [])),
            )
            for u in units
        ),
        key=lambda s: (not s.official, s.published, s.article_id, s.segment),
    )
    passages = [
        Passage(key=f"{u.article.source}/{u.article.id}", title=u.article.title,
                text=_answers(u.text) if u.is_segment else u.text,
                weight=1.0 + 0.2 * float(centrality[i]))
        for i, u in enumerate(units)
    ]
    return Story(
        id="s" + hashlib.sha1(first.url.encode("utf-8")).hexdigest()[:12],
        title=_title(units, centrality),
        first_published=first.published,
        updated=max(a.published for a in everything),
        highlights=tuple(choose_highlights(passages, options.highlights)),
        summary=compose_summary(passages),
        sources=tuple(sources),
        opinions=tuple(
            StoryOpinion(article_id=o.id, name=o.source, display_name=o.source_title, url=o.url,
                         title=o.title)
            for o in sorted(opinions, key=lambda o: (o.published, o.id))
        ),
        score=_score(units, everything, now),
        language=units[0].article.language,
    )


def _title(units: list[_Unit], centrality: np.ndarray) -> str:
    """The headline of the most central whole article; transcripts' titles never serve."""
    ranked = sorted(range(len(units)), key=lambda i: (-centrality[i], units[i].article.id))
    for i in ranked:
        unit = units[i]
        if not unit.is_segment and not _GENERIC_TITLE.search(unit.article.title):
            return unit.article.title
    return units[ranked[0]].article.title


def _score(units: list[_Unit], everything: list[StoredArticle], now: datetime) -> float:
    """Importance: distinct sources, official involvement, recency and size."""
    distinct = len({a.source for a in everything})
    official = any(u.article.official for u in units)
    newest = max(a.published for a in everything)
    hours = max(0.0, (now - newest).total_seconds() / 3600)
    recency = 0.5 ** (hours / 12.0)
    return round(1.5 * distinct + (1.0 if official else 0.0) + 1.5 * recency
                 + 0.5 * math.log1p(len(everything)), 4)
