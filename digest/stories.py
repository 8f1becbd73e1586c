"""Group a window's articles into stories, and rank them.

Called by the ``stories`` and ``run`` commands with the articles the store holds for the
window; returns :class:`~digest.domain.Story` values that the store saves. Steps:

1. briefing transcripts from official sources are read into segments (digest/transcripts.py:
   each opening announcement, each question with its answer), so each can join the story it is
   about;
2. near-duplicates (wire copy republished elsewhere) are folded into one source, "+N similar";
3. the remaining units are clustered in one pass in publication order by cosine similarity of
   TF-IDF over words and over names and numbers (which tell two earthquakes apart), average
   linkage over each unit's nearest earlier neighbours, within a language and never across more
   than ``max_gap_hours``; then a few passes move a unit to the story it fits best now that
   the articles after it are in (its nearest neighbours on both sides); time and memory grow
   near-linearly; then stories in different languages that report one event are joined, by
   the names, numbers and word shapes they share (digest/crosslingual.py), one story per
   language at most; such a story is written in English when it has English reports;
4. opinion pieces join the story they discuss (they never form one, nor give highlights);
5. each story gets a title, highlights (with the sources they came from and, for what an
   official said, who said it and who asked), a summary that adds to them and a score; stories
   are returned most important first. A segment or statement that joins no outlet's story is an
   official story of its own (``kind`` "official"): what a ministry said is news for our
   readers even before anyone reports it.

Deterministic: the same articles give the same stories. Each story's id comes from its earliest
member (an article, or one answer of a briefing) and no two stories built together share one;
the story stage carries stored stories' ids over to the stories that continue them
(digest/identity.py).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from digest.domain import Highlight, Segment, StoredArticle, Story, StoryOpinion, StorySource, StoryVersion
from digest.highlights import (
    Passage,
    compose_summary,
    is_question,
    names_something,
    pick_highlights,
    rank_sentences,
    split_sentences,
)
from digest.identity import distinct_ids, natural_id
from digest.text import CJK, is_cjk, stop_words
from digest.transcripts import is_role, read_transcript

__all__ = ["StoryOptions", "build_stories"]

_GENERIC_TITLE = re.compile(
    r"(press conference|press briefing|daily briefing|regular briefing|transcript|"
    r"spokesperson'?s? (remarks|answers|comments)|remarks to (the )?press|"
    r"questions and answers|q ?& ?a)",
    re.IGNORECASE,
)
# what a question asks about: "… your view of the football final?", "… comment on the summit?"
_QUESTION_SUBJECT = re.compile(r"\b(?:on|about|of|regarding|over|concerning)\s+"
                               r"(the [^?？,]{4,80}|[A-Z][^?？,]{3,80})\s*[?？]\s*$")
# a sentence of the asker's own framing: it speaks of "I" or "you", or thanks
_FRAMING = re.compile(r"^(?:I|I'm|I’m|I'd|I’d|You|Your|We|My|Thank|Thanks|Sir|Hi|Hello|"
                      r"Good (?:afternoon|morning))\b|^(?:我|你|您|请问|谢谢)", re.IGNORECASE)
# lead-ins that a question's first sentence opens with before it names its subject
_LEAD_IN = re.compile(
    r"^(?:(?:it is |it was |it has been )?reported that|reports? (?:say|said|suggest)s? (?:that )?|"
    r"according to [^,]{3,60}, |(?:we|I) (?:noticed|saw|learned|have learned) (?:that )?|"
    r"(?:a |one )?follow[- ]up (?:question )?(?:on|about) [^.]{0,60}?\. |"
    r"(?:to follow up on|on) [^,]{3,60}, (?:you (?:just |also )?(?:said|mentioned|noted) (?:that )?)?|"
    r"据报道，?|有报道称，?|我们注意到，?)",
    re.IGNORECASE)
_SHINGLE = 5


@dataclass(frozen=True, kw_only=True)
class StoryOptions:
    """Tuning knobs; the defaults suit a day of foreign-affairs news."""

    similarity: float = 0.175      # average cosine similarity to share a story (tuned on ECB+ train+dev)
    names_weight: float = 0.4      # share of names and numbers in that similarity (same tuning)
    duplicate: float = 0.8         # share of the shorter text's shingles in the longer: the same copy
    duplicate_sizes: float = 0.5   # ... when the shorter is at least this share of the longer
    opinion_similarity: float = 0.12
    max_gap_hours: float = 72.0
    neighbours: int = 50           # nearest units considered when placing one
    refine_rounds: int = 5         # passes that move units to the story they now fit best (until none moves)
    highlights: int = 3
    # a story in one language joins its report in another at this similarity of names, numbers
    # and word shapes (digest/crosslingual.py; F1 threshold on SemEval-2022 task 8 train pairs)
    cross_language_similarity: float | None = 0.16  # None: stories stay in one language
    # the same-story model (digest/same_story.json, trained by tools/train_same_story.py): a unit
    # joins a story whose members it is on average at least this likely to share an event with
    # (0.5: best on ECB+ train+dev); ECB+ test B³ 0.975 against 0.924 for the plain similarity
    # above, which decides when this is None
    same_story: float | None = 0.5


@dataclass(frozen=True)
class _Unit:
    """What gets clustered: a whole article, or one segment of a briefing's transcript."""

    article: StoredArticle
    segment: int
    text: str
    part: Segment | None = None

    @property
    def is_segment(self) -> bool:
        return self.segment > 0

    @property
    def said(self) -> str:
        """What the source itself says: a segment's answer (or announcement), not the question."""
        return self.part.answer if self.part is not None else self.text

    @property
    def key(self) -> str:
        return f"{self.article.source}/{self.article.id}/{self.segment}"


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
    vectors = _vectorize([(u.article.language, _unit_text(u)) for u in canonical]
                         + [(a.language, _article_text(a)) for a in opinions], options.names_weight)
    unit_vectors, opinion_vectors = vectors[: len(canonical)], vectors[len(canonical):]
    pair = PairFeatures.of(canonical) if options.same_story is not None else None
    labels = _cluster(canonical, unit_vectors, options, pair)
    if options.cross_language_similarity is not None:
        labels = _link_languages(canonical, labels, options)

    clusters: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        clusters.setdefault(int(label), []).append(index)
    # official-only groups too: every answer reaches the reader, even one that declines to
    # answer a question about someone or something ("I have nothing to share." on reports of a
    # visit is news); but segments that say nothing of anyone or anything ("The floor is open for
    # questions.", the football final) are no story of their own
    groups = [members for members in clusters.values()
              if not all(canonical[i].is_segment for i in members)
              or any(_informative(canonical[i]) or _asked_about_something(canonical[i])
                     for i in members)]
    attached = _attach_opinions(opinions, opinion_vectors, unit_vectors, groups, options)

    stories = [
        _story([canonical[i] for i in members], unit_vectors[members], similar,
               attached.get(g, []), now=now, options=options)
        for g, members in enumerate(groups)
    ]
    stories.sort(key=lambda s: (-s.score, -s.updated.timestamp(), s.id))
    return distinct_ids(stories)


# --- steps ---------------------------------------------------------------------------------------

def _units(articles: Sequence[StoredArticle]) -> list[_Unit]:
    """An article is one unit, a briefing one per segment (as stored; read here when the
    caller has not: benches and tests give articles straight from their data)."""
    units: list[_Unit] = []
    for article in articles:
        segments = article.segments
        if segments is None:
            transcript = read_transcript(article.text, title=article.title) if article.official else None
            segments = transcript.segments if transcript is not None else ()
        if segments:
            units.extend(
                _Unit(article, i + 1, "\n".join(filter(None, (part.question, part.answer))), part)
                for i, part in enumerate(segments))
        else:
            units.append(_Unit(article, 0, article.text))
    return units


def _shingles(text: str) -> set[int]:
    """Hashes of the text's runs of ``_SHINGLE`` words (each word hashed once; a run's hash is a
    polynomial of its words' hashes, in 64-bit arithmetic that wraps)."""
    words = re.findall(r"\w+", text.lower())
    if len(words) <= _SHINGLE:
        return {hash(" ".join(words))}
    hashes = np.array([hash(w) for w in words], dtype=np.int64).view(np.uint64)
    count = len(words) - _SHINGLE + 1
    runs = hashes[:count].copy()
    for k in range(1, _SHINGLE):
        runs = runs * np.uint64(1_000_003) + hashes[k : k + count]
    return set(runs.tolist())


def _fold_duplicates(units: list[_Unit], options: StoryOptions
                     ) -> tuple[list[_Unit], dict[tuple[int, int], list[_Unit]]]:
    """Near-duplicate texts from other sources fold into their earliest copy, an official one
    first: the shorter holds at least ``options.duplicate`` of its shingles in the longer, and
    is at least ``options.duplicate_sizes`` of its length. A wire report republished with a new
    headline, its ending trimmed and a paragraph added is still the same copy (containment; a
    Jaccard threshold missed four in ten such copies, bench/duplicates.py). Candidates come from
    an inverted index of each text's prefix (its smallest shingles, as many as a copy must share
    one of: prefix filtering), so the work grows with shared text, not with the square of the
    count."""
    order = sorted(range(len(units)), key=lambda i: (
        not units[i].article.official, units[i].article.published, units[i].article.id, units[i].segment))
    articles = [units[i].article for i in order]  # by position in that order, from here on
    shingles = [_shingles(units[i].text) for i in order]
    times = np.array([a.published.timestamp() for a in articles])
    sizes = np.array([len(s) for s in shingles])
    codes: dict[str | None, int] = {None: -1}
    sources = np.array([codes.setdefault(a.source, len(codes)) for a in articles])
    languages = np.array([codes.setdefault(a.language, len(codes)) for a in articles])
    gap = options.max_gap_hours * 3600
    index: dict[int, list[int]] = {}
    keep: list[int] = []
    folded: dict[tuple[int, int], list[_Unit]] = {}
    ratio = options.duplicate_sizes
    for p, mine in enumerate(shingles):
        size = len(mine)
        # any copy shares at least duplicate * ratio * size shingles with this text
        prefix = sorted(mine)[: size - math.ceil(options.duplicate * ratio * size) + 1]
        best, best_shared = -1, 0
        found = set(chain.from_iterable(index.get(sh, ()) for sh in prefix))
        if found:
            earlier = np.sort(np.fromiter(found, dtype=np.int64, count=len(found)))
            ok = ((np.abs(times[earlier] - times[p]) <= gap) & (sources[earlier] != sources[p])
                  & (sizes[earlier] >= ratio * size) & (sizes[earlier] <= size / ratio))
            if languages[p] >= 0:
                ok &= (languages[earlier] < 0) | (languages[earlier] == languages[p])
            for q in earlier[ok].tolist():
                shared = len(mine & shingles[q])
                if shared > best_shared and shared >= options.duplicate * min(size, sizes[q]):
                    best, best_shared = q, shared
        if best < 0:
            keep.append(order[p])
            for sh in prefix:
                index.setdefault(sh, []).append(p)
        else:
            key = (articles[best].id, units[order[best]].segment)
            folded.setdefault(key, []).append(units[order[p]])
    return [units[i] for i in sorted(keep)], folded


def _informative(unit: _Unit) -> bool:
    """Whether a segment tells something: what was said has a sentence fit to be a highlight,
    and the exchange names someone or something."""
    if not rank_sentences([Passage(key="", title="", text=unit.said)]).candidates:
        return False
    return names_something(unit.text)


def _asked_about_something(unit: _Unit) -> bool:
    """Whether a segment answers a question that names someone or something."""
    return unit.part is not None and names_something(unit.part.question or "")


def _unit_text(unit: _Unit) -> str:
    title = "" if unit.is_segment or _GENERIC_TITLE.search(unit.article.title) else unit.article.title
    return f"{title}\n{title}\n{unit.text[:3000]}"


def _article_text(article: StoredArticle) -> str:
    return f"{article.title}\n{article.title}\n{article.text[:3000]}"


_TERM = re.compile(rf"[{CJK}]+|\w\w+")
_NAME = re.compile(r"([.!?:\n\"“«]\s*)?(\w[\w'’.-]*\w|\w)")  # (sentence start, token)


def _terms(document: tuple[str | None, str]) -> list[str]:
    """Words of a (language, text) pair, without stop words; runs of Chinese, Japanese or Korean
    characters (which have no spaces) as overlapping character pairs."""
    language, text = document
    stop = stop_words(language)
    terms: list[str] = []
    for match in _TERM.finditer(text.lower()):
        token = match.group()
        if is_cjk(token[0]):
            terms.extend(token[i : i + 2] for i in range(max(1, len(token) - 1)))
        elif token not in stop:
            terms.append(token)
    return terms


def _names(document: tuple[str | None, str]) -> list[str]:
    """What tells one event from another of the same kind: capitalised words that do not start a
    sentence (people, places, organisations) and numbers (dates, tolls, scores)."""
    language, text = document
    stop = stop_words(language)
    names: list[str] = []
    for starts, token in _NAME.findall("\n" + text):
        if token[0].isdigit() or (token[0].isupper() and not starts):
            token = token.lower()
            if token not in stop:
                names.append(token)
    return names


def _vectorize(documents: Sequence[tuple[str | None, str]], names_weight: float) -> sparse.csr_matrix:
    """L2-normalised rows of TF-IDF over words joined with TF-IDF over names, so that a row
    product is ``(1 - w) * words cosine + w * names cosine`` (a text without names compares by
    its words alone). Sparse: memory grows with the text, not with the count squared."""
    parts = []
    for analyzer, weight in ((_terms, 1 - names_weight), (_names, names_weight)):
        if weight <= 0:
            continue
        vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)
        try:
            parts.append(vectorizer.fit_transform(documents) * np.float32(math.sqrt(weight)))
        except ValueError:  # no terms at all
            continue
    if not parts:
        return sparse.csr_matrix((len(documents), 1), dtype=np.float32)
    return normalize(sparse.hstack(parts).tocsr())


class PairFeatures:
    """What the same-story model reads of two units: the cosines of their words, of their names
    and numbers, of their titles and of their leads (first three sentences), and the overlap
    of the numbers they mention. Computed for a unit's nearest neighbours only."""

    NAMES = ("words", "names", "title", "lead", "numbers")

    def __init__(self, words: sparse.csr_matrix, names: sparse.csr_matrix, titles: sparse.csr_matrix,
                 leads: sparse.csr_matrix, numbers: list[frozenset[str]], cased: np.ndarray) -> None:
        self.words, self.names, self.titles, self.leads = words, names, titles, leads
        self.numbers = numbers
        self.cased = cased  # per text: written in a script with capital letters (names show)

    @classmethod
    def of(cls, units: Sequence[_Unit]) -> PairFeatures:
        return cls.of_texts([(u.article.language, "" if u.is_segment else u.article.title, u.text)
                             for u in units])

    @classmethod
    def of_texts(cls, documents: Sequence[tuple[str | None, str, str]]) -> PairFeatures:
        """From (language, title, text) triples."""
        def matrix(analyzer: Any, texts: list[tuple[str | None, str]]) -> sparse.csr_matrix:
            try:
                found = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True,
                                        dtype=np.float32).fit_transform(texts)
            except ValueError:  # no terms at all
                return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
            return normalize(found).tocsr()

        bodies = [(lang, text[:3000]) for lang, _, text in documents]
        titles = [(lang, title or (split_sentences(text[:400]) or [""])[0])
                  for lang, title, text in documents]
        leads = [(lang, " ".join(split_sentences(text[:1500])[:3])) for lang, _, text in documents]
        return cls(matrix(_terms, bodies), matrix(_names, bodies), matrix(_terms, titles),
                   matrix(_terms, leads),
                   [frozenset(_NUMBER.findall(text[:3000])) for _, _, text in documents],
                   np.array([_cased(text[:2000]) for _, _, text in documents], dtype=bool))

    def features(self, i: int, others: np.ndarray) -> np.ndarray:
        """One row of features per unit in ``others``, against unit ``i``."""
        columns = [np.asarray((m[others] @ m[i].T).todense()).ravel()
                   for m in (self.words, self.names, self.titles, self.leads)]
        mine = self.numbers[i]
        columns.append(np.array([len(mine & self.numbers[j]) / len(mine | self.numbers[j])
                                 if mine or self.numbers[j] else 0.0 for j in others.tolist()]))
        return np.column_stack(columns) if len(others) else np.zeros((0, len(self.NAMES)))


_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")


def _cased(text: str) -> bool:
    """Whether most of the text's letters have a capital form (Latin, Cyrillic, Greek): where
    a capital marks a name."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if c.lower() != c.upper()) > len(letters) / 2 if letters else False


@cache
def _same_story_model() -> tuple[np.ndarray, float]:
    """The same-story model's weights and intercept (logistic regression over
    ``PairFeatures.NAMES``), shipped in the package."""
    data = json.loads((Path(__file__).parent / "same_story.json").read_text(encoding="utf-8"))
    assert tuple(data["features"]) == PairFeatures.NAMES, "same_story.json is for other features"
    return np.array(data["weights"], dtype=np.float64), float(data["intercept"])


def same_story_probability(features: np.ndarray) -> np.ndarray:
    weights, intercept = _same_story_model()
    return 1.0 / (1.0 + np.exp(-(features @ weights + intercept)))


def _cluster(units: Sequence[_Unit], vectors: sparse.csr_matrix, options: StoryOptions,
             pair: PairFeatures | None = None) -> np.ndarray:
    """One pass in publication order: each unit joins the story whose members it is most similar
    to on average (average linkage, over its nearest earlier neighbours), or starts a story.
    Then ``options.refine_rounds`` passes in the same order move a unit to the story it is now
    most similar to, its later neighbours counting too: a unit placed early, when its event had
    one article, goes where the articles that came after it went (ECB+ train+dev B³ F1 0.886 ->
    0.895).

    Candidates are the ``options.neighbours`` most similar units that are close in time, in the
    same language and not from the same article; similarities come from sparse products
    computed a chunk of rows at a time, so time and memory grow near-linearly with the count.
    """
    n = len(units)
    order = sorted(range(n), key=lambda i: (units[i].article.published, units[i].article.id,
                                            units[i].segment))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    times = np.array([u.article.published.timestamp() for u in units])
    languages = np.array([u.article.language or "" for u in units])
    articles = np.array([u.article.id for u in units])
    gap = options.max_gap_hours * 3600
    transposed = vectors.T.tocsc()

    def nearest(candidates: np.ndarray, sims: np.ndarray) -> np.ndarray:
        k = options.neighbours
        if len(candidates) > k:
            candidates = np.sort(candidates[np.argpartition(-sims[candidates], k - 1)[:k]])
        return candidates

    def neighbours(i: int, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unit ``i``'s nearest earlier units, and its nearest units on both sides."""
        ok = (np.abs(times - times[i]) <= gap) & (articles != articles[i]) & (sims > 0.02)
        if languages[i]:
            ok &= (languages == "") | (languages == languages[i])
        candidates = np.flatnonzero(ok)
        earlier = candidates[rank[candidates] < rank[i]]
        return nearest(earlier, sims), nearest(candidates, sims)

    labels = np.full(n, -1, dtype=np.int64)
    sizes: list[int] = []  # members per story
    # with the same-story model, a neighbour counts by how likely it shares the unit's event, else
    # by its similarity. The model reads names by their capitals: a unit in a script without
    # them (Chinese, Japanese, Arabic) is placed by similarity
    modelled = (pair.cased if pair is not None and options.same_story is not None
                else np.zeros(n, dtype=bool))
    likely = options.same_story or 0.0
    # of the stories a unit is likely enough to share an event with (on average), it joins the
    # one most of whose reports agree with it (the largest sum of probabilities): an article on a
    # government's flood aid, placed with the government's confidence vote when it came in, goes
    # to the three flood reports (ECB+ test B³ 0.958 -> 0.975). Similarities are no
    # probabilities: by them, the most similar on average

    def best_story(i: int, candidates: np.ndarray, sims: np.ndarray) -> int:
        """Of the stories whose members ``i`` is on average similar (or likely) enough to, the
        one it agrees with most (-1: none); ties go to the later story."""
        totals: dict[int, float] = {}
        for label, similarity in zip(labels[candidates].tolist(), sims.tolist(), strict=True):
            totals[label] = totals.get(label, 0.0) + similarity
        current = int(labels[i])
        threshold = likely if modelled[i] else options.similarity
        best, best_score = -1, -1.0
        for label in sorted(totals):
            average = totals[label] / (sizes[label] - (label == current))  # not counting itself
            score = totals[label] if modelled[i] else average
            if average >= threshold and score >= best_score:
                best, best_score = label, score
        return best

    # the first pass, in publication order; each unit's neighbours on both sides are kept
    near: list[np.ndarray] = [np.empty(0, dtype=np.int64)] * n
    near_sims: list[np.ndarray] = [np.empty(0)] * n
    chunk = 512
    for start in range(0, n, chunk):
        rows = order[start : start + chunk]
        block = (vectors[rows] @ transposed).toarray()
        for i, sims in zip(rows, block, strict=True):
            earlier, both_sides = neighbours(i, sims)
            if pair is not None and modelled[i]:
                sims = sims.copy()  # the block's row: the model's probabilities replace it here
                scored = np.union1d(earlier, both_sides)
                sims[scored] = same_story_probability(pair.features(i, scored))
            best = best_story(i, earlier, sims[earlier])
            if best < 0:
                best = len(sizes)
                sizes.append(0)
            labels[i] = best
            sizes[best] += 1
            near[i], near_sims[i] = both_sides, sims[both_sides]

    for _ in range(options.refine_rounds):
        moved = 0
        for i in order:
            current = int(labels[i])
            best = best_story(i, near[i], near_sims[i])
            if best == current or (best < 0 and sizes[current] == 1):
                continue  # stays: where it fits best, or alone already
            if best < 0:
                best = len(sizes)
                sizes.append(0)
            sizes[current] -= 1
            labels[i] = best
            sizes[best] += 1
            moved += 1
        if not moved:
            break
    return labels


def _link_languages(units: Sequence[_Unit], labels: np.ndarray, options: StoryOptions) -> np.ndarray:
    """Join stories told in different languages that report the same event. A story's language
    is its members' most common one; two stories in different languages, close in time, join
    when their members are on average at least ``options.cross_language_similarity`` alike
    across languages (digest.crosslingual; average linkage, as within a language), best pairs
    first, and never so that a story would hold two stories of one language (no chaining two
    English stories through a Chinese one)."""
    from digest import crosslingual

    ids, label_of = np.unique(labels, return_inverse=True)  # stories numbered 0..k-1
    k = len(ids)
    language = np.array([""] * k, dtype=object)
    for story in range(k):
        counts = Counter((units[i].article.language or "")[:2]
                         for i in np.flatnonzero(label_of == story).tolist())
        counts.pop("", None)
        language[story] = counts.most_common(1)[0][0] if counts else ""
    if len(set(language) - {""}) < 2:
        return labels
    bridge, chars = crosslingual.similarity_matrices(
        [(u.article.language, _unit_text(u)) for u in units])
    sizes = np.bincount(label_of, minlength=k).astype(float)
    times = np.array([u.article.published.timestamp() for u in units])
    first = np.full(k, np.inf)
    last = np.full(k, -np.inf)
    np.minimum.at(first, label_of, times)
    np.maximum.at(last, label_of, times)
    gap = options.max_gap_hours * 3600
    threshold = options.cross_language_similarity or 0.0
    unit_language = language[label_of]
    candidates: list[tuple[float, int, int]] = []
    for lang in sorted(set(language) - {""}):
        rows = np.flatnonzero(unit_language == lang)
        cols = np.flatnonzero((unit_language != "") & (unit_language > lang))  # each pair once
        if not len(cols):
            continue
        row_stories, col_stories = np.unique(label_of[rows]), np.unique(label_of[cols])
        into_rows = sparse.csr_matrix((np.ones(len(rows)), (np.searchsorted(row_stories, label_of[rows]),
                                                            np.arange(len(rows)))))
        into_cols = sparse.csr_matrix((np.ones(len(cols)), (np.arange(len(cols)),
                                                            np.searchsorted(col_stories, label_of[cols]))))
        totals = np.zeros((len(row_stories), len(col_stories)))
        bridge_cols, chars_cols = bridge[cols].T.tocsc(), chars[cols].T.tocsc()
        for start in range(0, len(rows), 512):  # a block of rows at a time: memory stays flat
            part = rows[start:start + 512]
            sims = (bridge[part] @ bridge_cols) + (chars[part] @ chars_cols)
            totals += (into_rows[:, start:start + 512] @ sims @ into_cols).toarray()
        average = totals / np.outer(sizes[row_stories], sizes[col_stories])
        close = ((first[row_stories][:, None] <= last[col_stories][None, :] + gap)
                 & (first[col_stories][None, :] <= last[row_stories][:, None] + gap))
        for r, c in zip(*np.nonzero((average >= threshold) & close), strict=True):
            candidates.append((float(average[r, c]), int(row_stories[r]), int(col_stories[c])))
    parent = list(range(k))
    held = [{language[story]} for story in range(k)]

    def root(story: int) -> int:
        while parent[story] != story:
            parent[story] = parent[parent[story]]
            story = parent[story]
        return story

    for _, a, b in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        ra, rb = root(a), root(b)
        if ra != rb and not held[ra] & held[rb]:
            parent[rb] = ra
            held[ra] |= held[rb]
    return ids[[root(story) for story in label_of]]


def _attach_opinions(opinions: Sequence[StoredArticle], opinion_vectors: sparse.csr_matrix,
                     unit_vectors: sparse.csr_matrix, groups: list[list[int]],
                     options: StoryOptions) -> dict[int, list[StoredArticle]]:
    """Each opinion piece joins the story it is most similar to on average, if similar enough."""
    attached: dict[int, list[StoredArticle]] = {}
    if not opinions or not groups:
        return attached
    group_of = np.full(unit_vectors.shape[0], len(groups), dtype=np.int64)
    for g, members in enumerate(groups):
        group_of[members] = g
    sizes = np.bincount(group_of, minlength=len(groups) + 1)[: len(groups)]
    sims = (opinion_vectors @ unit_vectors.T).toarray()
    for o, opinion in enumerate(opinions):
        means = np.bincount(group_of, weights=sims[o], minlength=len(groups) + 1)[: len(groups)] / sizes
        best = int(np.argmax(means))
        if means[best] > options.opinion_similarity:
            attached.setdefault(best, []).append(opinion)
    return attached


def _story(units: list[_Unit], vectors: sparse.csr_matrix,
           similar: dict[tuple[int, int], list[_Unit]], opinions: list[StoredArticle], *,
           now: datetime, options: StoryOptions) -> Story:
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    centrality = np.asarray(vectors @ centroid).ravel()
    held = [*units, *(d for u in units for d in similar.get((u.article.id, u.segment), []))]
    everything = [u.article for u in held]
    earliest = min(held, key=lambda u: (u.article.published, u.article.url, u.segment))
    first = earliest.article
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
                similar_sources=tuple(
                    (d.article.source, d.article.official, d.article.country, d.article.language)
                    for d in similar.get((u.article.id, u.segment), [])),
                language=u.article.language,
                country=u.article.country,
                question=u.part.question if u.part else None,
                asked_by=u.part.asked_by if u.part else None,
                speaker=_speaker(u),
            )
            for u in units
        ),
        key=lambda s: (not s.official, s.published, s.article_id, s.segment),
    )
    # a story told in several languages is written in one: English when it has English
    # sources, else its most common language, and told in each of the others as a version;
    # every source is listed all the same
    languages = Counter((u.article.language or "")[:2] for u in units)
    languages.pop("", None)
    language = units[0].article.language
    if len(languages) > 1:
        language = "en" if "en" in languages else languages.most_common(1)[0][0]
    told_in = {code: [i for i, u in enumerate(units)
                      if not u.article.language or u.article.language[:2] == code]
               for code in languages} if len(languages) > 1 else {}
    title, highlights, summary = _told(units, told_in.get(language or "", list(range(len(units)))),
                                       centrality, options)
    return Story(
        id=natural_id(first.url, earliest.part),
        title=title,
        first_published=first.published,
        updated=max(a.last_change for a in everything),
        highlights=highlights,
        summary=summary,
        sources=tuple(sources),
        opinions=tuple(
            StoryOpinion(article_id=o.id, name=o.source, display_name=o.source_title, url=o.url,
                         title=o.title)
            for o in sorted(opinions, key=lambda o: (o.published, o.id))
        ),
        score=_score(units, everything, now),
        language=language,
        versions=tuple(_version(code, units, members, centrality, options)
                       for code, members in sorted(told_in.items()) if code != language),
    )


def _version(language: str, units: list[_Unit], told: list[int], centrality: np.ndarray,
             options: StoryOptions) -> StoryVersion:
    title, highlights, summary = _told(units, told, centrality, options)
    return StoryVersion(language=language, title=title, highlights=highlights, summary=summary)


def _told(units: list[_Unit], told: list[int], centrality: np.ndarray,
          options: StoryOptions) -> tuple[str, tuple[Highlight, ...], str]:
    """Title, highlights and summary from the units ``told`` (those in one language)."""
    passages = [
        Passage(key=units[i].key, title="" if units[i].is_segment else units[i].article.title,
                text=units[i].said, weight=1.0 + 0.2 * float(centrality[i]))
        for i in told
    ]
    ranking = rank_sentences(passages)
    by_key = {units[i].key: units[i] for i in told}
    highlights = tuple(
        Highlight(text, sources=(by_key[key].article.source,), attribution=_attribution(by_key[key]))
        for text, key in pick_highlights(passages, options.highlights, ranking=ranking))
    if not highlights:  # only answers that decline to answer: what was said, as it was said
        answered = [u for u in (units[i] for i in told)
                    if u.part is not None and u.part.question and u.said]
        highlights = tuple(
            Highlight(_shortened(u.said), sources=(u.article.source,), attribution=_attribution(u))
            for u in answered[:1])
    title = _title([units[i] for i in told], centrality[told])
    return title, highlights, compose_summary(passages, ranking=ranking, besides=highlights)


def _title(units: list[_Unit], centrality: np.ndarray) -> str:
    """The most central outlet headline (an event's news framing beats a ministry's "Statement
    on …"), else the most central official one; a briefing's title never serves: a story made
    only of briefing segments is titled from what was asked about, else from what was said."""
    ranked = sorted(range(len(units)), key=lambda i: (
        units[i].article.official, -centrality[i], units[i].article.id))
    latest = _latest_development(units, ranked)
    if latest:
        return latest
    for i in ranked:
        unit = units[i]
        if not unit.is_segment and not _GENERIC_TITLE.search(unit.article.title):
            return unit.article.title
    for i in ranked:
        title = _segment_title(units[i])
        if title:
            return title
    return units[ranked[0]].article.title


def _latest_development(units: list[_Unit], ranked: list[int]) -> str | None:
    """For a story that runs over days: the headline of its latest development, when the
    outlets that reported in its last 12 hours (two or more) agree on one: their headlines
    share most of their words. The most central of those headlines then serves."""
    headlines = [i for i in ranked if not units[i].is_segment and not units[i].article.official
                 and not _GENERIC_TITLE.search(units[i].article.title)]
    if not headlines:
        return None
    newest = max(units[i].article.published for i in headlines)
    oldest = min(units[i].article.published for i in headlines)
    if (newest - oldest).total_seconds() < 24 * 3600:
        return None  # one day's story: its most central headline
    recent = [i for i in headlines if (newest - units[i].article.published).total_seconds() <= 12 * 3600]
    if len({units[i].article.source for i in recent}) < 2:
        return None
    words = [set(_terms((units[i].article.language, units[i].article.title))) for i in recent]
    agree = all(len(a & b) >= 0.5 * min(len(a), len(b)) > 0
                for k, a in enumerate(words) for b in words[k + 1:])
    return units[recent[0]].article.title if agree else None


def _segment_title(unit: _Unit) -> str | None:
    """A briefing segment's subject: the first statement of its question (less "Reports say
    that …"), else the first sentence of what was said, at most about 100 characters."""
    if unit.part is None:
        return None
    # the asker's framing ("You just said that …", "I wonder if …") is not the subject
    asked = [s for s in split_sentences(unit.part.question or "") if not _FRAMING.match(s)]
    first = asked[:1]
    subject = _QUESTION_SUBJECT.search(first[0]) if first and is_question(first[0]) else None
    if subject:  # "What is your view of the football final?": what it was asked about
        speaker = _speaker(unit)
        who = speaker if speaker and not is_role(speaker) else unit.article.source_title
        return f"{who} on {subject.group(1).strip()}"
    for sentences in (asked[:2], split_sentences(unit.part.answer)[:2]):
        for sentence in sentences:
            sentence = _LEAD_IN.sub("", sentence.strip()).strip()
            if len(sentence) < 12 or is_question(sentence):
                continue
            sentence = sentence[:1].upper() + sentence[1:]
            return _shortened(sentence.rstrip(".。"), 110)
    return None


def _shortened(text: str, limit: int = 300) -> str:
    """``text`` cut at a word to about ``limit`` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 10].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _speaker(unit: _Unit) -> str | None:
    """Who spoke in a segment (the transcript reader names the spokesperson for a role label)."""
    return unit.part.speaker if unit.part is not None else None


def _attribution(unit: _Unit) -> str | None:
    """Who said a highlight drawn from ``unit``: for an official source, the speaker and the
    ministry, and who asked ("Lin Jian, Ministry of Foreign Affairs of China, asked by AFP");
    an outlet's own reporting is its own (None)."""
    if not unit.article.official:
        return None
    ministry = unit.article.source_title or unit.article.source
    speaker = _speaker(unit)
    if speaker and is_role(speaker):  # "Ответ", "R", "Sprecher": the ministry's spokesperson
        who = f"{ministry} spokesperson"
    elif speaker and speaker.lower() not in ministry.lower():
        who = f"{speaker}, {ministry}"
    else:
        who = ministry
    asked = unit.part.asked_by if unit.part is not None else None
    return f"{who}, asked by {asked}" if asked else who


def _score(units: list[_Unit], everything: list[StoredArticle], now: datetime) -> float:
    """Importance: distinct sources, official involvement, recency and size."""
    distinct = len({a.source for a in everything})
    official = any(u.article.official for u in units)
    # a ministry's own announcement (or statement) outranks a routine answer to a question
    announced = any(u.article.official and (u.part is None or u.part.question is None) for u in units)
    # and an answer that declines to answer ranks below every answer that tells something
    declined = all(u.is_segment and not _informative(u) for u in units)
    newest = max(a.last_change for a in everything)
    hours = max(0.0, (now - newest).total_seconds() / 3600)
    recency = 0.5 ** (hours / 12.0)
    return round(1.5 * distinct + (1.0 if official else 0.0) + (0.5 if announced else 0.0)
                 - (1.0 if declined else 0.0) + 1.5 * recency + 0.5 * math.log1p(len(everything)), 4)
