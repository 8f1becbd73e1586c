"""Stories from units: one pass in publication order, then passes that move a unit to the story
it now fits best; opinion pieces join the story they discuss."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from digest.domain import StoredArticle
from digest.stories.options import StoryOptions
from digest.stories.similarity import PairFeatures, language_key, same_story_probability
from digest.stories.units import Unit

__all__ = ["attach_opinions", "cluster"]


def cluster(units: Sequence[Unit], vectors: sparse.csr_matrix, options: StoryOptions,
             pair: PairFeatures | None = None) -> np.ndarray:
    """One pass in publication order: each unit joins the story whose members it is most similar
    to on average (average linkage, over its nearest earlier neighbours), or starts a story.
    Then ``options.refine_rounds`` passes in the same order move a unit to the story it is now
    most similar to, its later neighbours counting too: a unit placed early, when its event had
    one article, goes where the articles that came after it went (ECB+ train+dev B³ F1 0.886 ->
    0.895).

    Stories form within a language (joined across languages afterwards: digest/stories/languages.py).
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
    languages = np.array([language_key(u.article.language) for u in units])
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
        ok = ((np.abs(times - times[i]) <= gap) & (articles != articles[i]) & (sims > 0.02)
              & (languages == languages[i]))
        candidates = np.flatnonzero(ok)
        earlier = candidates[rank[candidates] < rank[i]]
        return nearest(earlier, sims), nearest(candidates, sims)

    labels = np.full(n, -1, dtype=np.int64)
    sizes: list[int] = []  # members per story
    # with the same-story model, a neighbour counts by how likely it shares the unit's event,
    # else by its similarity; a unit joins the story it is on average most likely to share
    # (most similar to), if likely (similar) enough. Joining the story with the largest sum of
    # probabilities instead let large stories swallow the reports of related events (AllSides
    # tune half B³ 0.904 -> 0.926, ECB+ train+dev 0.854 -> 0.919)
    modelled = pair is not None and options.same_story

    def best_story(i: int, candidates: np.ndarray, sims: np.ndarray) -> int:
        """Of the stories whose members ``i`` is on average similar (or likely) enough to, the
        one it is most similar to on average (-1: none); ties go to the later story."""
        totals: dict[int, float] = {}
        for label, similarity in zip(labels[candidates].tolist(), sims.tolist(), strict=True):
            totals[label] = totals.get(label, 0.0) + similarity
        current = int(labels[i])
        threshold = options.likely if modelled else options.similarity
        best, best_score = -1, -1.0
        for label in sorted(totals):
            average = totals[label] / (sizes[label] - (label == current))  # not counting itself
            if average >= threshold and average >= best_score:
                best, best_score = label, average
        return best

    # the first pass, in publication order; each unit's neighbours on both sides are kept
    near: list[np.ndarray] = [np.empty(0, dtype=np.int64)] * n
    near_sims: list[np.ndarray] = [np.empty(0)] * n
    chunk = 512
    for start in range(0, n, chunk):
        rows = order[start : start + chunk]
        block = (vectors[rows] @ transposed).toarray()
        found = [neighbours(i, sims) for i, sims in zip(rows, block, strict=True)]
        if pair is not None and modelled:
            # the model's probabilities replace the block's similarities, for the whole chunk
            # at once (they do not depend on where units went)
            scored = [np.union1d(earlier, both_sides) for earlier, both_sides in found]
            left = np.repeat(np.array(rows, dtype=np.int64), [len(s) for s in scored])
            probabilities = same_story_probability(pair.pairs(left, np.concatenate(scored)))
            offset = 0
            for sims, columns in zip(block, scored, strict=True):
                sims[columns] = probabilities[offset : offset + len(columns)]
                offset += len(columns)
        for i, sims, (earlier, both_sides) in zip(rows, block, found, strict=True):
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


def attach_opinions(opinions: Sequence[StoredArticle], opinion_vectors: sparse.csr_matrix,
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
