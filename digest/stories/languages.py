"""One story across languages: stories told in different languages that report one event join,
by the same-story model that groups them within a language, one story per language at most."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from digest.stories.options import StoryOptions
from digest.stories.similarity import PairFeatures, same_story_probability
from digest.stories.units import Unit

__all__ = ["link_languages"]


def link_languages(units: Sequence[Unit], labels: np.ndarray, pair: PairFeatures,
                   options: StoryOptions) -> np.ndarray:
    """Join stories in different languages that report the same event. Stories form within a
    language (digest/stories/cluster.py), so each is in one. Two stories in different
    languages, close in time, join when their members are on average at least
    ``options.likely`` to report one event by the same-story model (average linkage, as
    within a language): each unit's ``options.neighbours`` nearest units in other languages by
    their vectors are scored, and a pair not scored counts as 0. Best pairs first, and never
    so that a story would hold two stories of one language: a story one reader has in their
    language stays that story (no two English stories chained through a Chinese one, no two
    Chinese answers' stories merged through an English report)."""
    ids, label_of = np.unique(labels, return_inverse=True)  # stories numbered 0..k-1
    k = len(ids)
    language = np.empty(k, dtype=object)
    language[label_of] = pair.languages
    if len(set(language.tolist())) < 2:
        return labels
    times = np.array([u.article.published.timestamp() for u in units])
    gap = options.max_gap_hours * 3600
    scored = _nearest_across(pair, times, gap, options.neighbours)
    if not scored:
        return labels
    left = np.array([i for i, _ in scored])
    right = np.array([j for _, j in scored])
    probability = same_story_probability(pair.pairs(left, right))
    totals: dict[tuple[int, int], float] = {}
    for a, b, p in zip(label_of[left].tolist(), label_of[right].tolist(), probability.tolist(),
                       strict=True):
        key = (a, b) if a < b else (b, a)
        totals[key] = totals.get(key, 0.0) + p
    sizes = np.bincount(label_of, minlength=k).astype(float)
    first = np.full(k, np.inf)
    last = np.full(k, -np.inf)
    np.minimum.at(first, label_of, times)
    np.maximum.at(last, label_of, times)
    candidates = sorted(
        ((total / (sizes[a] * sizes[b]), a, b) for (a, b), total in totals.items()
         if total / (sizes[a] * sizes[b]) >= options.likely
         and first[a] <= last[b] + gap and first[b] <= last[a] + gap),
        key=lambda c: (-c[0], c[1], c[2]))
    parent = list(range(k))
    held = [{language[story]} for story in range(k)]

    def root(story: int) -> int:
        while parent[story] != story:
            parent[story] = parent[parent[story]]
            story = parent[story]
        return story

    for _, a, b in candidates:
        ra, rb = root(a), root(b)
        if ra != rb and not held[ra] & held[rb]:
            parent[rb] = ra
            held[ra] |= held[rb]
    return ids[[root(story) for story in label_of]]


def _nearest_across(pair: PairFeatures, times: np.ndarray, gap: float,
                    neighbours: int) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of units in different languages close in time where one is among
    the other's ``neighbours`` nearest by their vectors; a block of rows at a time, so memory
    stays flat."""
    found: set[tuple[int, int]] = set()
    meaning = pair.meaning
    for language in np.unique(pair.languages).tolist():
        mine = np.flatnonzero(pair.languages == language)
        others = np.flatnonzero(pair.languages != language)
        for start in range(0, len(mine), 512):
            rows = mine[start : start + 512]
            sims = meaning[rows] @ meaning[others].T
            sims[np.abs(times[rows][:, None] - times[others][None, :]) > gap] = -np.inf
            for i, row in zip(rows.tolist(), sims, strict=True):
                candidates = np.flatnonzero(row > -np.inf)
                if len(candidates) > neighbours:
                    candidates = candidates[np.argpartition(-row[candidates], neighbours - 1)[:neighbours]]
                found.update((min(i, j), max(i, j)) for j in others[candidates].tolist())
    return sorted(found)
